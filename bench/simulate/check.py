#!/usr/bin/python3
"""check.py: the comparisons of bench/simulate/run (see bench/README.md).

    check.py central RMCT.csv NUMPY.csv [--rel 1e-9]
        every value of `rmct simulate SCEN --format csv` against `numpy_sim.py MODEL --central`, row by
        row (month, chain/node) and column by column: equal when |a - b| <= rel x max(|a|, |b|).
        Prints one line: PASS/FAIL, rows and values compared, the largest relative difference, and
        the first problems. Exit 1 on any problem.

    check.py stats RMCT.csv NUMPY.json [--se 5]
        the ensemble statistics of `rmct simulate SCEN --runs N --format csv` (exact means and P(any))
        against numpy_sim.py --json on its own sample: for each metric, the mean and P(any) must agree
        within SE standard errors of the difference of two independent sample means,
        se = sd x sqrt(1/n_rmct + 1/n_numpy) (sd from the NumPy sample; rmct prints no sd) and
        se = sqrt(p (1 - p) (1/n_rmct + 1/n_numpy)) with p pooled. Prints every metric's z-scores
        and the worst; exit 1 if any |z| > SE.
"""
import argparse
import csv
import json
import math
import sys

KEYS = ("month", "node")


def read_rmct_trace(path):
    rows = {}
    order = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            key = (r["month"], "%s/%s" % (r["chain"], r["node"]))
            rows[key] = r
            order.append(key)
    return rows, order


def central(a):
    rmct, order = read_rmct_trace(a.rmct)
    with open(a.numpy, newline="") as f:
        rd = csv.DictReader(f)
        cols = [c for c in rd.fieldnames if c not in KEYS]
        np_rows = [r for r in rd]
    problems = []
    compared = 0
    worst = (0.0, None)
    np_keys = [(r["month"], r["node"]) for r in np_rows]
    if np_keys != order:
        problems.append("rows differ: rmct has %d (month, node) rows, numpy %d, or in another order" % (len(order), len(np_keys)))
    for r in np_rows:
        key = (r["month"], r["node"])
        x = rmct.get(key)
        if x is None:
            continue
        for c in cols:
            if c not in x:
                problems.append("column %s missing from the rmct CSV" % c)
                continue
            sa, sb = x[c], r[c]
            if sa == "" or sb == "":
                if sa != sb:
                    problems.append("%s %s %s: rmct %r, numpy %r" % (key[0], key[1], c, sa, sb))
                continue
            va, vb = float(sa), float(sb)
            compared += 1
            diff = abs(va - vb)
            scale = max(abs(va), abs(vb))
            rel = diff / scale if scale > 0 else 0.0
            if rel > worst[0]:
                worst = (rel, "%s %s %s: rmct %s, numpy %s" % (key[0], key[1], c, sa, sb))
            if diff > a.rel * scale:
                problems.append("%s %s %s: rmct %s, numpy %s (relative difference %.3g)" % (key[0], key[1], c, sa, sb, rel))
    skipped = [c for c in ("extra_import_usd",) if c not in cols]
    print("%s: %d rows, %d values within %g relative; largest relative difference %.3g%s%s" % (
        "PASS" if not problems else "FAIL (%d problems)" % len(problems), len(np_rows), compared, a.rel, worst[0],
        " (%s)" % worst[1] if worst[1] else "", "; not compared: " + ", ".join(skipped) if skipped else ""))
    for p in problems[:10]:
        print("  " + p)
    return 1 if problems else 0


def stats(a):
    with open(a.rmct, newline="") as f:
        rm = list(csv.DictReader(f))
    with open(a.numpy) as f:
        npj = json.load(f)
    n1, n2 = a.runs, npj["futures"]
    rows = []
    bad = 0
    worst = (0.0, "")
    if len(rm) != len(npj["metrics"]):
        print("FAIL: rmct has %d metrics, numpy %d" % (len(rm), len(npj["metrics"])))
        return 1
    for x, y in zip(rm, npj["metrics"]):
        if x["what"] != y["label"]:
            print("FAIL: metric order differs: rmct %r, numpy %r" % (x["what"], y["label"]))
            return 1
        m1, m2, sd = float(x["mean"]), y["mean"], y["sd"]
        p1, p2 = float(x["p_any"]), y["p_any"]
        se_m = sd * math.sqrt(1 / n1 + 1 / n2)
        z_m = (m2 - m1) / se_m if se_m > 0 else (0.0 if m1 == m2 else math.inf)
        pp = (p1 * n1 + p2 * n2) / (n1 + n2)
        se_p = math.sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2))
        z_p = (p2 - p1) / se_p if se_p > 0 else (0.0 if p1 == p2 else math.inf)
        for z, what in ((z_m, "mean"), (z_p, "P(any)")):
            if abs(z) > abs(worst[0]):
                worst = (z, "%s %s" % (y["label"], what))
        ok = abs(z_m) <= a.se and abs(z_p) <= a.se
        bad += not ok
        rows.append("  %-5s %-40s mean rmct %-14.6g numpy %-14.6g (z %+6.2f)   P(any) rmct %.4f numpy %.4f (z %+6.2f)" % (
            "ok" if ok else "FAIL", y["label"], m1, m2, z_m, p1, p2, z_p))
    print("%s: %d metrics, mean and P(any) within %g standard errors (rmct %d futures, numpy %d); worst: %s z = %+.2f" % (
        "PASS" if not bad else "FAIL (%d metrics)" % bad, len(rows), a.se, n1, n2, worst[1], worst[0]))
    if a.verbose or bad:
        print("\n".join(rows))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("central")
    c.add_argument("rmct")
    c.add_argument("numpy")
    c.add_argument("--rel", type=float, default=1e-9)
    s = sub.add_parser("stats")
    s.add_argument("rmct")
    s.add_argument("numpy")
    s.add_argument("--runs", type=int, required=True, help="futures of the rmct run")
    s.add_argument("--se", type=float, default=5.0)
    s.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    sys.exit(central(a) if a.cmd == "central" else stats(a))


if __name__ == "__main__":
    main()
