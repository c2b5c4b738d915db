/* sim_lanes_kernel.h: the body of sim_lanes.c's month loop, included there once per instruction
 * set with LANES_FN (the function's name), LANES_TARGET (its target attribute) and LANES_BITS (a
 * mask's lanes as bits, by that set's own instruction where it has one) defined. Not a header to
 * include anywhere else. */

#define LANES_ANY(m) (LANES_BITS(m) != 0)

/* Chain c of every future of the batch: sim.c's run_chain_impl without the trace. Each lane takes
 * the next future whose chain is disturbed, steps it month by month at its own month (tv), jumps
 * its quiet stretches, and takes the next future when it reaches the horizon, so the lanes stay
 * busy until the batch runs out. */
LANES_TARGET static void LANES_FN(const rmct_model *m, sim_lanes *L, int c)
{
    const int b = m->chain_begin[c], e = m->chain_begin[c + 1], T = m->T;
    const int *restrict in_from = m->in_from;
    const double *restrict in_req = m->in_req;
    const sim_node *restrict nodes = m->nodes;
    vd *restrict I = L->I, *restrict sat = L->sat, *restrict req = L->req, *restrict reqsum = L->reqsum;
    vd *restrict Dn = L->D, *restrict fdn = L->fd, *restrict Qn = L->Q, *restrict Mn = L->M, *restrict Rn = L->R;
    vd *restrict ps = L->ps;
    vl *restrict first_loss = L->first_loss, *restrict first_trouble = L->first_trouble;
    vl *restrict first_short = L->first_short, *restrict trig_start = L->trig_start, *restrict sub_on = L->sub_on;
    const vd *restrict rv = L->rv;
    int next_future = 0;
    for (int l = 0; l < SIM_LANES; l++) lane_stop(L, l, b, e);
    for (int i = b; i < e; i++) reqsum[i] = SPLAT(0);
    for (;;) {
        /* each lane's month to step: its future's next month that is not jumped */
        vl act = SPLAT_L(0), tv = SPLAT_L(0);
        bool stepping = false, changed = false;
        for (int l = 0; l < SIM_LANES; l++) {
            for (;;) {
                sim_scratch *s = L->cur[l];
                if (!s) {
                    while (next_future < L->used && L->fut[next_future]->chain_first[c] >= T) next_future++;
                    if (next_future >= L->used) break;
                    lane_start(m, L, l, L->fut[next_future++], c);
                    changed = true;
                    continue;
                }
                int t = L->tl[l];
                if (t >= T) {
                    lane_stop(L, l, b, e);
                    changed = true;
                    continue;
                }
                const unsigned char *busy = s->busy + (size_t)c * T;
                if (!busy[t]) {
                    int next = t + 1;
                    while (next < T && !busy[next]) next++;
                    if (lane_quiet_jump(m, L, l, b, e, t, next)) {
                        L->tl[l] = next;
                        continue;
                    }
                }
                act[l] = -1;
                tv[l] = t;
                stepping = true;
                break;
            }
        }
        if (!stepping) break;
        if (changed)
            for (int i = b; i < e; i++) {
                unsigned f = nodes[i].flags;
                for (int l = 0; l < SIM_LANES; l++) f |= L->lane_flags[i * SIM_LANES + l];
                L->flags[i] = f;
            }
        /* requirements, downstream to upstream */
        for (int i = e - 1; i >= b; i--) {
            const sim_node *nd = &nodes[i];
            const unsigned f = L->flags[i];
            vd fd = SPLAT(nd->fd0);
            if (f & NF_DEM) fd *= ROWS_AT(L->demf + i * SIM_LANES, tv);
            vd D = fd + reqsum[i];
            reqsum[i] = SPLAT(0);
            Dn[i] = D;
            fdn[i] = fd;
            vd F = D + (SPLAT(nd->istar) - I[i]) * (1.0 / REBUILD_MONTHS);
            F = SEL(F < 0, SPLAT(0), F);
            vd R = SPLAT(nd->rec0);
            if (f & NF_RECYCLED) {
                if (f & NF_REC) {
                    const vd *rp = rv + i * R__COUNT;
                    vl st = SEL_L(first_trouble[i] < 0, SPLAT_L(-1), first_trouble[i] + TO_L(rp[R_RECDELAY]));
                    R *= 1 + (rp[R_RECF] - 1) * RAMP(tv, st, rp[R_RECRAMP]);
                }
                R = SEL(R > F, F, R);
            }
            vd net = F - R;
            vd cap = SPLAT(nd->cap);
            if (f & NF_CAP) {
                vd cf = ROWS_AT(L->capf + i * SIM_LANES, tv);
                cap = SEL(cf < 1, SPLAT(isinf(nd->cap) ? nd->q0 : nd->cap) * cf, cap);
            }
            vd Q = nd->ds * net;
            Q = SEL(Q > cap, cap, Q);
            Qn[i] = Q;
            Mn[i] = net - Q;
            Rn[i] = R;
            if (f & NF_SUBIN) {
                for (int k = nd->in_b; k < nd->in_e; k++) {
                    int u = in_from[k];
                    vd r = Q * in_req[k];
                    r = SEL(sub_on[u], r * (1 - rv[u * R__COUNT + R_SUBFRAC]), r);
                    req[k] = r;
                    reqsum[u] += r;
                }
            } else
                for (int k = nd->in_b; k < nd->in_e; k++) {
                    vd r = Q * in_req[k];
                    req[k] = r;
                    reqsum[in_from[k]] += r;
                }
        }
        /* supply, upstream to downstream */
        for (int i = b; i < e; i++) {
            const sim_node *nd = &nodes[i];
            const unsigned f = L->flags[i];
            vd Mo = Mn[i], A = Mo;
            if (f & NF_LOSS) {
                vd lost = Mo * ROWS_AT(L->loss + i * SIM_LANES, tv);
                A = Mo - lost;
                /* the months of first trouble are read only by the responses that start from them */
                if (f & (NF_ALT | NF_REC)) {
                    vl hit = (lost > 0) & act;
                    first_loss[i] = SEL_L(hit & (first_loss[i] < 0), tv, first_loss[i]);
                    first_trouble[i] = SEL_L(hit & (first_trouble[i] < 0), tv, first_trouble[i]);
                }
                if (f & NF_ALT) {
                    const vd *rp = rv + i * R__COUNT;
                    vl on = first_loss[i] >= 0;
                    vd alt = Mo * rp[R_ALTMAX] * RAMP(tv, first_loss[i] + TO_L(rp[R_ALTLEAD]), rp[R_ALTRAMP]);
                    alt = SEL(alt > lost, lost, alt);
                    A = SEL(on, A + alt, A);
                }
            }
            vd P = Qn[i];
            if (f & NF_INPUTS) {
                vd ms = SPLAT(1);
                for (int k = nd->in_b; k < nd->in_e; k++) {
                    vd su = sat[in_from[k]];
                    ms = SEL(su < ms, su, ms);
                }
                vl low = (ms < 1) & act;
                if (LANES_ANY(low)) {
                    P = SEL(low, P * ms, P);
                    /* inputs delivered beyond what the scarcest one allows go back to stock */
                    for (int k = nd->in_b; k < nd->in_e; k++) {
                        int u = in_from[k];
                        vd back = req[k] * (sat[u] - ms);
                        I[u] = SEL(low, I[u] + back, I[u]);
                    }
                }
            }
            vd R = Rn[i];
            vd V = I[i] + A + P + R;
            vd D = Dn[i];
            vd G = SPLAT(0);
            const vd *rp = rv + i * R__COUNT;
            if (f & NF_STOCK) {
                vd avail = ps[i] - rp[R_FLOOR];
                vd need = rp[R_TRIG] - (V - D);
                vl trig = (avail > 0) & (need > 0) & act;
                trig_start[i] = SEL_L(trig & (trig_start[i] < 0), tv, trig_start[i]);
                vl rel = trig & (tv >= trig_start[i] + TO_L(rp[R_SLEAD]));
                vd g = need;
                g = SEL(g > rp[R_MAXREL], rp[R_MAXREL], g);
                g = SEL(g > avail, avail, g);
                G = SEL(rel, g, G);
                ps[i] = SEL(rel, ps[i] - G, ps[i]);
            }
            vd VG = V + G;
            vl is_short = (D - VG > nd->eps) & act;
            const bool some_short = LANES_ANY(is_short);
            vd S = D, sat_new = SPLAT(1), shortfall = SPLAT(0);
            if (some_short) {
                S = SEL(is_short, VG, D);
                shortfall = SEL(is_short, D - S, shortfall);
                sat_new = SEL(is_short, S / D, sat_new);
                if (f & (NF_SUB | NF_REC)) {
                    first_short[i] = SEL_L(is_short & (first_short[i] < 0), tv, first_short[i]);
                    first_trouble[i] = SEL_L(is_short & (first_trouble[i] < 0), tv, first_trouble[i]);
                }
            }
            sat[i] = SEL(act, sat_new, sat[i]);
            I[i] = SEL(act, VG - S, I[i]);
            /* substitution lasts from its delay after the first shortage until stocks are back to normal */
            if (f & NF_SUB) {
                vl on = is_short & (tv >= first_short[i] + TO_L(rp[R_SUBDELAY]));
                vl off = ~is_short & act & (I[i] >= nd->istar * (1 - 1e-9));
                sub_on[i] = (sub_on[i] & ~off) | on;
            }
            /* outputs, lane by lane: rare enough that scalar stores cost little */
            if (some_short) {
                vd fd_lost = fdn[i] * (1 - sat_new);
                for (unsigned lanes = LANES_BITS(is_short); lanes; lanes &= lanes - 1) {
                    int l = __builtin_ctz(lanes);
                    sim_scratch *s = L->cur[l];
                    const int t = (int)tv[l];
                    if (nd->metal >= 0) {
                        s->metrics[nd->metal_metric] += shortfall[l];
                        s->series[(size_t)nd->metal * T + t] += shortfall[l];
                        sim_mark(s, nd->metal, t, t + 1);
                    }
                    if (nd->final_metric >= 0 && fd_lost[l] > 0) {
                        double usd = fd_lost[l] * nd->value;
                        s->metrics[nd->final_metric] += fd_lost[l];
                        s->metrics[nd->sector_metric] += usd;
                        s->metrics[m->total_metric] += usd;
                        s->series[(size_t)nd->sector * T + t] += usd;
                        sim_mark(s, nd->sector, t, t + 1);
                    }
                }
            }
            if ((f & NF_STOCK) && nd->stock_series >= 0) {
                for (unsigned lanes = LANES_BITS((ps[i] < rp[R_PS0]) & act); lanes; lanes &= lanes - 1) {
                    int l = __builtin_ctz(lanes);
                    sim_scratch *s = L->cur[l];
                    const int t = (int)tv[l];
                    s->series[(size_t)nd->stock_series * T + t] =
                        sim_stock_used_scaled(m, nd->stock_series, rp[R_PS0][l] - ps[i][l], rp[R_PS0][l]);
                    sim_mark(s, nd->stock_series, t, t + 1);
                }
            }
        }
        for (int l = 0; l < SIM_LANES; l++) L->tl[l] += act[l] != 0;
    }
}

#undef LANES_ANY
#undef LANES_FN
#undef LANES_TARGET
#undef LANES_BITS
