#!/usr/bin/python3
"""numpy_sim.py: the disruption simulator of lib/sim.c written as an analyst would in NumPy, the peer
of `rmct simulate --runs N` in bench/simulate/run (see bench/simulate/README.md).

    numpy_sim.py MODEL.json --futures N --seed S [--batch B] [--no-hazards] [--json FILE]
    numpy_sim.py MODEL.json --central > trace.csv

MODEL.json is the compiled model `rmct simulate SCENARIO --runs 1 --dump-model MODEL.json` writes:
every array the kernel reads, the events and response draws with their distributions, the
background hazards with the import pairs they hit, the series and the per-future metrics.

The model is docs/SIMULATION.md ("The monthly model", "Monte Carlo"), implemented from the text and
lib/sim.c (draw_future, apply_episodes, run_chain_impl): the same draws (its own NumPy generator,
not rmct's counter-based one, so individual futures differ and only statistics can be compared), the
same episode effects, the two passes per node and month, the same per-future metrics in the order of
the model's `metrics` list. Futures are the vector dimension: every state is an array of shape
(futures,) per node, and the months and the nodes (in the chain's order) are Python loops.

One legitimate difference: rmct jumps a quiet stretch of months in closed form (`quiet_jump`); this
code steps every month. The results differ by rounding only. Like rmct, a chain stays at its normal
state until the first month any disruption reaches it (docs/SIMULATION.md, "Quiet months").

--central runs the single central future (central values, no hazards) and prints per node and month
the numeric columns of `rmct simulate SCENARIO --format csv` (month and chain/node as keys).
extra_import_usd (the extra import bill under price shocks) is printed only when the model has node
prices (`price`), which rmct's dump does not carry today.

Only NumPy and the standard library. Use one core: OPENBLAS_NUM_THREADS=1 etc. (nothing here calls
BLAS, but the bench sets it anyway).
"""
import argparse
import json
import math
import sys
import time

import numpy as np

np.seterr(divide="ignore", invalid="ignore")   # 0/0 and x/0 are masked out by np.where below

RK_STOCK, RK_ALT, RK_SUB, RK_REC = 1, 2, 4, 8
DAYS_PER_MONTH = 365.0 / 12.0
RESP_FIELDS = ["ps0", "trigger", "max_release", "floor", "stock_lead", "alt_max", "alt_lead", "alt_ramp",
               "sub_fraction", "sub_delay", "rec_factor", "rec_delay", "rec_ramp"]


def arr(values):
    """A JSON list of numbers as float64; null (rmct's infinity: no capacity, no release limit) -> inf."""
    return np.array([math.inf if v is None else v for v in values], dtype=np.float64)


class Model:
    def __init__(self, j):
        self.T = j["months"]
        self.start = j["start"]
        self.rebuild = j["rebuild_months"]
        self.eps = j["short_eps"]
        self.chain_begin = j["chain_begin"]
        self.n_chains = len(self.chain_begin) - 1
        self.ids = j["node_ids"]
        self.n = len(self.ids)
        for k in ["fd0", "d0", "istar", "cap", "ds", "rec0", "q0", "value", "daily"]:
            setattr(self, k, arr(j[k]))
        self.price = arr(j["price"]) if "price" in j else None
        self.resp_kind = j["resp_kind"]
        self.metal_series = j["metal_series"]
        self.sector_series = j["sector_series"]
        self.stock_series = j["stock_series"]
        self.final_metric = j["final_metric"]
        self.resp = {f: arr(j["resp"][f]) for f in RESP_FIELDS}
        self.in_off = j["in_off"]
        self.in_from = j["in_from"]
        self.in_req = j["in_req"]
        self.pair_node = j["pair_node"]
        self.pair_share = j["pair_share"]
        self.events = j["events"]
        self.rdraws = j["response_draws"]
        self.hazards = j.get("hazards", [])
        self.series = j["series"]
        self.metrics = j["metrics"]
        self.node_chain = [0] * self.n
        for c in range(self.n_chains):
            for i in range(self.chain_begin[c], self.chain_begin[c + 1]):
                self.node_chain[i] = c
        # metric indices: metal series -> metric, sector series -> metric, the total
        self.metal_metric = {}
        self.sector_metric = {}
        self.total_metric = None
        for k, mi in enumerate(self.metrics):
            if mi["kind"] == "metal_t":
                self.metal_metric[mi["ref"]] = k
            elif mi["kind"] == "sector_usd":
                self.sector_metric[mi["ref"]] = k
            elif mi["kind"] == "total_usd":
                self.total_metric = k
        # the normal state as the trace shows it before a chain starts (lib/sim.c: baseline())
        self.r0 = np.minimum(self.rec0, self.d0)
        self.m0 = (self.d0 - self.r0) - self.q0


# ---------------- draws ----------------

def draw_q(q, rng, N, stochastic):
    """One value per future of a scenario quantity (lib/sim.c: draw): the central value without
    randomness or without a distribution; else its distribution, clamped to [lo, hi]."""
    v = q["value"]
    kind = q["dist"]
    if not stochastic or kind == "none":
        return np.full(N, v)
    if kind == "uniform":
        x = q["low"] + (q["high"] - q["low"]) * rng.random(N)
    elif kind == "triangular":
        x = triangular(rng.random(N), q["low"], q["mode"], q["high"])
    elif kind == "normal":
        x = v + q["sd"] * rng.standard_normal(N)
    elif kind == "lognormal":
        x = v * np.exp(q["sd"] * rng.standard_normal(N))
    else:
        raise ValueError("unknown distribution %r" % kind)
    hi = math.inf if q["hi"] is None else q["hi"]
    return np.clip(x, q["lo"], hi)


def triangular(u, lo, mode, hi):
    """Inverse CDF of the triangular distribution on [lo, hi] with the given mode."""
    if hi <= lo:
        return np.full(u.shape, lo)
    f = (mode - lo) / (hi - lo)
    return np.where(u < f, lo + np.sqrt(u * (hi - lo) * (mode - lo)), hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode)))


def months_len(dur, cap):
    """A duration in months as a whole number of months >= 1 (rounded half up), at most cap."""
    return np.minimum(cap, np.maximum(1.0, np.floor(dur + 0.5))).astype(np.int64)


def ramp(t, start, ramp_months):
    """0 before start (or without one, start < 0), then (t - start + 1) / ramp_months up to 1."""
    rm = np.broadcast_to(ramp_months, np.shape(start)) if np.ndim(ramp_months) == 0 else ramp_months
    f = np.where(rm <= 0, 1.0, np.minimum((t - start + 1) / rm, 1.0))
    return np.where((start < 0) | (t < start), 0.0, f)


# ---------------- one batch of futures ----------------

class Batch:
    """N futures: their draws, their effects per node and month, and their simulation."""

    def __init__(self, m, N, rng, stochastic, hazards, trace=False):
        self.m, self.N, self.T = m, N, m.T
        self.trace = trace
        T = m.T
        self.tg = np.arange(T)[:, None]                            # months, as a column
        self.chain_first = np.full((m.n_chains, N), T, dtype=np.int64)
        self.episodes = np.zeros(N, dtype=np.int64)
        # effects, (T, N) per node or pair, only where something can act
        self.capf, self.demf, self.pricef = {}, {}, {}             # node -> capacity / final demand / price factor
        self.has_cap = {}                                          # node -> futures with an outage episode
        self.draw(rng, stochastic, hazards)

    # the futures' episodes, as effect arrays (lib/sim.c: draw_future + apply_episodes)
    def draw(self, rng, stochastic, hazards):
        m, N, T = self.m, self.N, self.T
        # scenario events: depth, duration, phase-in per future, in the order of the model
        ev_eps = []                                                # (kind, t0, t1, phase, depth, include, targets)
        for ev in m.events:
            depth = draw_q(ev["depth"], rng, N, stochastic)
            dur = draw_q(ev["duration"], rng, N, stochastic) if ev["has_duration"] else np.full(N, 1e9)
            phase = draw_q(ev["phase"], rng, N, stochastic)
            t0 = ev["month"]
            t1 = t0 + months_len(dur, 1e6)
            ph = np.floor(phase + 0.5).astype(np.int64)
            include = (t1 > 0) & (t0 < T) & (len(ev["targets"]) > 0)
            ev_eps.append((ev["kind"], t0, t1, ph, depth, include, ev["targets"]))
        # responses drawn per future, written to every target node (days -> units)
        self.resp = {f: np.repeat(m.resp[f][:, None], N, axis=1) for f in RESP_FIELDS}
        for rd in m.rdraws:
            v = draw_q(rd["q"], rng, N, stochastic)
            for i in rd["nodes"]:
                self.resp[rd["field"]][i] = v * (m.daily[i] if rd["days"] else 1)
        # background hazards: each year independently, start month uniform in the year
        hz_eps = []                                                # (hazard, [(futures hit, t0, t1, depth) per year])
        if stochastic and hazards:
            years = (T + 11) // 12
            for hi_, h in enumerate(m.hazards):
                eps_h = []
                for y in range(years):
                    occ = rng.random(N) < h["p_year"]
                    k = int(occ.sum())
                    if not k:
                        continue
                    idx = np.nonzero(occ)[0]
                    t0 = y * 12 + (12 * rng.random(k)).astype(np.int64)
                    depth = triangular(rng.random(k), h["depth_low"], h["depth_mode"], h["depth_high"])
                    dur = h["duration_median"] * np.exp(h["duration_sdlog"] * rng.standard_normal(k))
                    t1 = t0 + months_len(dur, 1200)
                    keep = t0 < T
                    if not keep.all():
                        idx, t0, t1, depth = idx[keep], t0[keep], t1[keep], depth[keep]
                    if len(idx):
                        eps_h.append((idx, t0, t1, depth))
                if eps_h:
                    hz_eps.append((hi_, eps_h))
        # episodes: count, chain start, effects. Survival of each import pair (share of its deliveries
        # not withheld) is the product over the episodes on it; a hazard's survival is built only for
        # the futures it hits, then added into the node's withheld share.
        src = {}                                                   # pair -> survival sources, in episode order
        for kind, t0, t1, ph, depth, include, targets in ev_eps:
            self.episodes += include
            a = max(t0, 0)
            chains = {m.node_chain[m.pair_node[p] if kind == "export_restriction" else p] for p in targets}
            for c in chains:
                self.chain_first[c] = np.where(include & (a < self.chain_first[c]), a, self.chain_first[c])
            # factor per month and future: in force in [max(t0,0), min(t1,T)), phase-in from t0
            t = self.tg
            inforce = include & (t >= a) & (t < np.minimum(t1, T))
            f = np.where((ph > 0) & (t - t0 + 1 < ph), (t - t0 + 1) / np.maximum(ph, 1), 1.0)
            x = depth * f
            if kind == "price_shock":                              # no physical effect: the extra import bill
                fac = np.where(inforce, x, 1.0)
                for tgt in targets:
                    self.pricef[tgt] = self.pricef[tgt] * fac if tgt in self.pricef else fac
                continue
            fac = np.where(inforce, 1 + x if kind == "demand_surge" else 1 - x, 1.0)
            for tgt in targets:
                if kind == "export_restriction":
                    src.setdefault(tgt, []).append((None, fac))
                    continue
                if kind == "outage":
                    store = self.capf
                    self.has_cap[tgt] = self.has_cap.get(tgt, np.zeros(N, bool)) | include
                else:
                    store = self.demf
                store[tgt] = store[tgt] * fac if tgt in store else fac
        for h, eps_h in hz_eps:
            hit = np.unique(np.concatenate([e[0] for e in eps_h]))
            sub = np.ones((T, len(hit)))
            for idx, t0, t1, depth in eps_h:
                self.episodes[idx] += 1
                pos = np.searchsorted(hit, idx)
                inforce = (self.tg >= t0) & (self.tg < np.minimum(t1, T))
                sub[:, pos] *= np.where(inforce, 1 - depth, 1.0)
                for c in {m.node_chain[m.pair_node[p]] for p in m.hazards[h]["pairs"]}:
                    self.chain_first[c, idx] = np.minimum(self.chain_first[c, idx], t0)
            for p in m.hazards[h]["pairs"]:
                src.setdefault(p, []).append((hit, sub))
        # withheld share of each node's imports: sum over its partners of share x (1 - survival)
        self.loss = {}
        for p in sorted(src):
            i = m.pair_node[p]
            if i not in self.loss:
                self.loss[i] = np.zeros((T, N))
            s = src[p]
            if len(s) == 1 and s[0][0] is not None:
                hit, sub = s[0]
                self.loss[i][:, hit] += m.pair_share[p] * (1 - sub)
                continue
            surv = np.ones((T, N))
            for hit, f in s:
                if hit is None:
                    surv *= f
                else:
                    surv[:, hit] *= f
            self.loss[i] += m.pair_share[p] * (1 - surv)

    def run(self):
        m, N, T = self.m, self.N, self.T
        n = m.n
        rb = 1.0 / m.rebuild
        eps = m.eps
        rs = self.resp
        I = np.repeat(m.istar[:, None], N, axis=1)
        ps = rs["ps0"].copy()
        sat = np.ones((n, N))
        reqsum = np.zeros((n, N))
        D_ = np.zeros((n, N))
        fd_ = np.zeros((n, N))
        Q_ = np.zeros((n, N))
        M_ = np.zeros((n, N))
        R_ = np.zeros((n, N))
        req = np.zeros((len(m.in_from), N))
        neg = np.full((n, N), -1, dtype=np.int64)
        first_loss, first_trouble, first_short, trig_start = neg.copy(), neg.copy(), neg.copy(), neg.copy()
        sub_on = np.zeros((n, N), dtype=bool)
        metrics = np.zeros((len(m.metrics), N))
        # whole months, trunc of the drawn lead/delay quantities, as rmct's (int) casts
        lead = {f: np.trunc(rs[f]).astype(np.int64) for f in ("stock_lead", "alt_lead", "sub_delay", "rec_delay")}
        if self.trace:
            tr = {k: np.zeros((n, T)) for k in ("demand", "served", "shortfall", "final_lost", "inventory_start",
                                                 "inventory_end", "public_stock", "imports", "import_lost",
                                                 "production", "recycled", "released", "returned",
                                                 "extra_import_usd")}
            self.tr = tr
        cap_eff = {}
        for i, c in self.capf.items():
            base = m.q0[i] if math.isinf(m.cap[i]) else m.cap[i]
            # an outage cuts capacity only while it lasts (factor < 1); otherwise the stated capacity
            cap_eff[i] = np.where(c < 1, base * c, m.cap[i])         # (T, N)
        chains = range(m.n_chains)
        ones = np.ones(N)
        for t in range(T):
            for c in chains:
                b, e = m.chain_begin[c], m.chain_begin[c + 1]
                started = self.chain_first[c] <= t
                if not started.any():
                    if self.trace:
                        self.trace_normal(b, e, t)
                    continue
                # requirements, downstream to upstream
                for i in range(e - 1, b - 1, -1):
                    fd = m.fd0[i] * self.demf[i][t] if i in self.demf else m.fd0[i]
                    D = fd + reqsum[i]
                    reqsum[i] = 0
                    D_[i] = D
                    fd_[i] = fd
                    F = np.maximum(D + (m.istar[i] - I[i]) * rb, 0.0)
                    if m.rec0[i] > 0:
                        R = m.rec0[i]
                        if m.resp_kind[i] & RK_REC:
                            ft = first_trouble[i]
                            st = np.where(ft < 0, -1, ft + lead["rec_delay"][i])
                            R = R * (1 + (rs["rec_factor"][i] - 1) * ramp(t, st, rs["rec_ramp"][i]))
                        R = np.minimum(R, F)
                    else:
                        R = 0.0
                    net = F - R
                    Q = m.ds[i] * net
                    if i in cap_eff:
                        Q = np.minimum(Q, np.where(self.has_cap[i], cap_eff[i][t], m.cap[i]))
                    elif not math.isinf(m.cap[i]):
                        Q = np.minimum(Q, m.cap[i])
                    Q_[i] = Q
                    M_[i] = net - Q
                    R_[i] = R
                    for k in range(m.in_off[i], m.in_off[i + 1]):
                        u = m.in_from[k]
                        r = Q * m.in_req[k]
                        if m.resp_kind[u] & RK_SUB:
                            r = np.where(sub_on[u], r * (1 - rs["sub_fraction"][u]), r)
                        req[k] = r
                        reqsum[u] += r
                # supply, upstream to downstream
                for i in range(b, e):
                    kind = m.resp_kind[i]
                    Mo = M_[i]
                    if i in self.loss:
                        lost = Mo * self.loss[i][t]
                        A = Mo - lost
                        pos = lost > 0
                        first_loss[i] = np.where(pos & (first_loss[i] < 0), t, first_loss[i])
                        first_trouble[i] = np.where(pos & (first_trouble[i] < 0), t, first_trouble[i])
                        if kind & RK_ALT:
                            fl = first_loss[i]
                            alt = Mo * rs["alt_max"][i] * ramp(t, fl + lead["alt_lead"][i], rs["alt_ramp"][i])
                            alt = np.where(fl >= 0, np.minimum(alt, lost), 0.0)
                            A = A + alt
                            lost = lost - alt
                    else:
                        A, lost = Mo, 0.0
                    P = Q_[i]
                    k0, k1 = m.in_off[i], m.in_off[i + 1]
                    if k1 > k0:
                        ms = np.minimum.reduce([sat[m.in_from[k]] for k in range(k0, k1)] + [ones])
                        P = P * ms
                        # inputs delivered beyond what the scarcest one allows go back to stock
                        for k in range(k0, k1):
                            u = m.in_from[k]
                            back = req[k] * (sat[u] - ms)
                            I[u] += back
                            if self.trace:
                                tr["returned"][u, t] += back[0]
                    R = R_[i]
                    V = I[i] + A + P + R
                    D = D_[i]
                    G = 0.0
                    if kind & RK_STOCK:
                        avail = ps[i] - rs["floor"][i]
                        need = rs["trigger"][i] - (V - D)
                        cond = (avail > 0) & (need > 0)
                        trig_start[i] = np.where(cond & (trig_start[i] < 0), t, trig_start[i])
                        rel = cond & (t >= trig_start[i] + lead["stock_lead"][i])
                        G = np.where(rel, np.minimum(np.minimum(need, rs["max_release"][i]), avail), 0.0)
                        ps[i] -= G
                    S = np.minimum(V + G, D)
                    q = np.where(D > 0, S / D, 1.0)
                    shortfall = D - S
                    short = shortfall > eps * m.d0[i]
                    sat[i] = np.where(short, q, 1.0)
                    S = np.where(short, S, D)
                    shortfall = np.where(short, shortfall, 0.0)
                    Istart = I[i].copy() if self.trace else None
                    I[i] = V + G - S
                    first_short[i] = np.where(short & (first_short[i] < 0), t, first_short[i])
                    first_trouble[i] = np.where(short & (first_trouble[i] < 0), t, first_trouble[i])
                    # substitution: on from its delay after the first shortage until stocks are back to normal
                    if kind & RK_SUB:
                        on = short & (first_short[i] >= 0) & (t >= first_short[i] + lead["sub_delay"][i])
                        off = ~short & (I[i] >= m.istar[i] * (1 - 1e-9))
                        sub_on[i] = on | (sub_on[i] & ~off)
                    # outputs
                    fd_lost = np.where(short, fd_[i] * (1 - sat[i]), 0.0)
                    mi = m.metal_series[i]
                    if mi >= 0:
                        metrics[m.metal_metric[mi]] += shortfall
                    fm = m.final_metric[i]
                    if fm >= 0:
                        lost_units = np.where(fd_lost > 0, fd_lost, 0.0)
                        usd = lost_units * m.value[i]
                        metrics[fm] += lost_units
                        metrics[m.sector_metric[m.sector_series[i]]] += usd
                        metrics[m.total_metric] += usd
                    if self.trace:
                        for key, v in (("demand", D), ("served", S), ("shortfall", shortfall), ("final_lost", fd_lost),
                                       ("inventory_start", Istart), ("inventory_end", I[i]), ("public_stock", ps[i]),
                                       ("imports", A), ("import_lost", lost), ("production", P), ("recycled", R),
                                       ("released", G)):
                            tr[key][i, t] = np.broadcast_to(v, (N,))[0]
                        if i in self.pricef and m.price is not None:
                            tr["extra_import_usd"][i, t] = (A * m.price[i] * (self.pricef[i][t] - 1))[0]
                # futures whose chain has not started stay at the normal state (as rmct, which does not
                # simulate them): undo the month for them
                if not started.all():
                    w = ~started
                    for i in range(b, e):
                        I[i, w] = m.istar[i]
                        ps[i, w] = rs["ps0"][i, w]
                        sat[i, w] = 1
                        for a_ in (first_loss, first_trouble, first_short, trig_start):
                            a_[i, w] = -1
                        sub_on[i, w] = False
                    if self.trace:
                        self.trace_normal(b, e, t)
        if self.trace:
            tr["inventory_end"] += tr["returned"]
        self.metrics = metrics
        return metrics

    def trace_normal(self, b, e, t):
        m, tr = self.m, self.tr
        for k in tr:
            tr[k][b:e, t] = 0
        tr["demand"][b:e, t] = tr["served"][b:e, t] = m.d0[b:e]
        tr["inventory_start"][b:e, t] = tr["inventory_end"][b:e, t] = m.istar[b:e]
        tr["imports"][b:e, t] = m.m0[b:e]
        tr["production"][b:e, t] = m.q0[b:e]
        tr["recycled"][b:e, t] = m.r0[b:e]
        tr["public_stock"][b:e, t] = self.resp["ps0"][b:e, 0]


# ---------------- the two modes ----------------

def month_text(m, t):
    x = m.start + t
    return "%04d-%02d" % (x // 12, x % 12 + 1)


def central(m, out):
    b = Batch(m, 1, None, stochastic=False, hazards=False, trace=True)
    b.run()
    tr = b.tr
    cols = ["demand", "served", "shortfall", "shortfall_pct", "inventory_start", "inventory", "cover_days",
            "public_stock", "imports", "imports_withheld", "production", "recycled", "released", "returned",
            "final_lost", "lost_usd"]
    if m.price is not None:
        cols.append("extra_import_usd")
    out.write("month,node," + ",".join(cols) + "\n")
    for t in range(m.T):
        mt = month_text(m, t)
        for i in range(m.n):
            d = tr["demand"][i, t]
            row = {
                "demand": d, "served": tr["served"][i, t], "shortfall": tr["shortfall"][i, t],
                "shortfall_pct": 100 * tr["shortfall"][i, t] / d if d > 0 else 0.0,
                "inventory_start": tr["inventory_start"][i, t], "inventory": tr["inventory_end"][i, t],
                "cover_days": tr["inventory_end"][i, t] / (m.d0[i] / DAYS_PER_MONTH) if m.d0[i] > 0 else None,
                "public_stock": tr["public_stock"][i, t], "imports": tr["imports"][i, t],
                "imports_withheld": tr["import_lost"][i, t], "production": tr["production"][i, t],
                "recycled": tr["recycled"][i, t], "released": tr["released"][i, t], "returned": tr["returned"][i, t],
                "final_lost": tr["final_lost"][i, t], "lost_usd": tr["final_lost"][i, t] * m.value[i],
            }
            if m.price is not None:
                row["extra_import_usd"] = tr["extra_import_usd"][i, t]
            out.write("%s,%s,%s\n" % (mt, m.ids[i], ",".join("" if row[k] is None else repr(float(row[k])) for k in cols)))


def norm_of(m, mi):
    """The normal amount P(any) is measured against (lib/ensemble.c)."""
    if mi["kind"] == "metal_t":
        return m.series[mi["ref"]]["normal"]
    if mi["kind"] == "final_units":
        return m.fd0[mi["ref"]]
    if mi["kind"] == "sector_usd":
        return m.series[mi["ref"]]["normal"]
    return sum(s["normal"] for s in m.series if s["kind"] == "sector")


def ensemble(m, N, seed, batch, hazards):
    totals = np.zeros((N, len(m.metrics)))
    episodes = np.zeros(N, dtype=np.int64)
    t0 = time.perf_counter()
    for bi, lo in enumerate(range(0, N, batch)):
        hi = min(N, lo + batch)
        rng = np.random.default_rng([seed, bi])
        b = Batch(m, hi - lo, rng, stochastic=True, hazards=hazards)
        totals[lo:hi] = b.run().T
        episodes[lo:hi] = b.episodes
    seconds = time.perf_counter() - t0
    norms = np.array([norm_of(m, mi) for mi in m.metrics])
    pos = totals > 1e-9 * norms
    phys = np.array([mi["kind"] in ("metal_t", "final_units") for mi in m.metrics])
    return {
        "futures": N, "seed": seed, "batch": batch, "seconds": seconds, "futures_per_s": N / seconds,
        "episodes": int(episodes.sum()), "episodes_sd": float(episodes.std(ddof=1)) if N > 1 else 0.0,
        "p_any_shortfall": float(pos[:, phys].any(axis=1).mean()),
        "metrics": [{"kind": mi["kind"], "label": mi["label"], "unit": mi["unit"],
                     "mean": float(totals[:, k].mean()), "sd": float(totals[:, k].std(ddof=1)) if N > 1 else 0.0,
                     "p_any": float(pos[:, k].mean())} for k, mi in enumerate(m.metrics)],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model")
    ap.add_argument("--futures", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=5000, help="futures per vectorised batch (memory: about 0.4 MB per future)")
    ap.add_argument("--no-hazards", action="store_true")
    ap.add_argument("--central", action="store_true", help="the central future, every flow, as CSV")
    ap.add_argument("--json", help="write the ensemble statistics as JSON to this file")
    a = ap.parse_args()
    with open(a.model) as f:
        m = Model(json.load(f))
    if a.central:
        central(m, sys.stdout)
        return
    if not m.hazards and not a.no_hazards:
        print("numpy_sim.py: note: the model has no hazards (dump it with --runs)", file=sys.stderr)
    r = ensemble(m, a.futures, a.seed, a.batch, not a.no_hazards)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(r, f, indent=1)
    print("numpy: %d futures x %d months, seed %d, batches of %d: %.2f s (%.0f futures/s); %d disruptions drawn; "
          "P(any shortfall) %.4f" % (r["futures"], m.T, a.seed, a.batch, r["seconds"], r["futures_per_s"], r["episodes"],
                                     r["p_any_shortfall"]))
    for x in r["metrics"]:
        print("  %-12s %-40s %-16s mean %-22.10g sd %-22.10g P(any) %.4f" % (x["kind"], x["label"], x["unit"], x["mean"],
                                                                             x["sd"], x["p_any"]))


if __name__ == "__main__":
    main()
