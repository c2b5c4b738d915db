#!/usr/bin/python3
# odym_bench.py: the peer side of bench/mfa/run. Writes the inputs, times ODYM's DynamicStockModel on
# them (ODYM_DIR/src/odym/dynamic_stock_model.py, loaded from its path), and checks RMCT's results.
#   odym_bench.py inputs  DIR N_SYSTEMS YEARS      -> DIR/inputs.csv
#   odym_bench.py time    DIR REPS_SINGLE REPS_BATCH -> DIR/odym.csv; prints "single_s batch_s"
#   odym_bench.py check   DIR                      -> largest relative difference RMCT vs ODYM
import importlib.util
import math
import os
import sys
import time

import numpy as np

cmd, d = sys.argv[1], sys.argv[2]


def load_odym():
    odym_dir = os.environ.get("ODYM_DIR")
    if not odym_dir:
        sys.exit("odym_bench.py: set ODYM_DIR to a checkout of https://github.com/IndEcol/ODYM")
    spec = importlib.util.spec_from_file_location("odym_dsm", os.path.join(odym_dir, "src", "odym", "dynamic_stock_model.py"))
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m.DynamicStockModel


def read_inputs():
    systems = []
    with open(os.path.join(d, "inputs.csv")) as f:
        for line in f:
            v = [float(x) for x in line.split(",")]
            systems.append((v[0], v[1], np.array(v[2:])))
    return systems


if cmd == "inputs":
    ns, n = int(sys.argv[3]), int(sys.argv[4])
    with open(os.path.join(d, "inputs.csv"), "w") as f:
        for s in range(ns):
            # system 0: normal 30,10 and a logistic stock (tests/fixtures/mfa/odym/bench-normal300-stock.csv);
            # the others: lifetimes 5-50 years, logistic stocks with other midpoints and widths, a few
            # with a decline (negative inflows, kept as ODYM does by default)
            mean = 30.0 if s == 0 else 5.0 + 45.0 * ((s * 37) % 100) / 100.0
            sd = 10.0 if s == 0 else mean * (0.2 + 0.2 * ((s * 13) % 10) / 10.0)
            mid = n / 2.0 if s == 0 else n * (0.2 + 0.6 * ((s * 7) % 10) / 10.0)
            width = 30.0 if s == 0 else 10.0 + 5.0 * (s % 7)
            stock = [1e6 / (1 + math.exp(-(t - mid) / width)) for t in range(n)]
            if s % 5 == 4:
                stock = [v * (1 - 0.3 * max(0.0, (t - 0.8 * n) / (0.2 * n))) for t, v in enumerate(stock)]
            f.write(",".join([repr(mean), repr(sd)] + [repr(v) for v in stock]) + "\n")
elif cmd == "time":
    DSM = load_odym()
    systems = read_inputs()
    r1, r2 = int(sys.argv[3]), int(sys.argv[4])

    def run(mean, sd, stock):
        n = len(stock)
        m = DSM(t=np.arange(n), s=stock.copy(), lt={"Type": "Normal", "Mean": [mean], "StdDev": [sd]})
        s_c, o_c, i = m.compute_stock_driven_model()
        return i, o_c.sum(axis=1)

    t1 = []
    for _ in range(r1):
        t0 = time.perf_counter()
        run(*systems[0])
        t1.append(time.perf_counter() - t0)
    t2 = []
    res = None
    for _ in range(r2):
        t0 = time.perf_counter()
        res = [run(*s) for s in systems]
        t2.append(time.perf_counter() - t0)
    with open(os.path.join(d, "odym.csv"), "w") as f:
        f.write("system,year,inflow,outflow\n")
        for s, (i, o) in enumerate(res):
            for y in range(len(i)):
                f.write("%d,%d,%r,%r\n" % (s, y, float(i[y]), float(o[y])))
    print("%.9f %.9f" % (float(np.median(t1)), float(np.median(t2))))
elif cmd == "check":
    def load(name):
        a = np.loadtxt(os.path.join(d, name), delimiter=",", skiprows=1)
        return a
    a, b = load("rmct.csv"), load("odym.csv")
    if a.shape != b.shape or not (a[:, :2] == b[:, :2]).all():
        print("DIFFERENT SHAPES")
        sys.exit(1)
    worst = 0.0
    for col in (2, 3):
        # relative to the value, with a floor of 1e-6 of the largest stock (1e6 here): values that are
        # differences of nearly equal numbers are judged within 1e-15 of the stock
        rel = np.abs(a[:, col] - b[:, col]) / np.maximum(np.abs(b[:, col]), 1.0)
        worst = max(worst, float(rel.max()))
    print("%.3g" % worst)
else:
    sys.exit("odym_bench.py: unknown command " + cmd)
