#!/usr/bin/env python3
"""Time magpylib on the observer points Lodestone's `magnets` benchmark uses.

Usage: python3 Benchmarks/magpylib/bench_magpylib.py N
Points: p_i = (frac(i·0.7548776662) − 0.5, frac(i·0.5698402910) − 0.5, frac(i·0.4382) − 0.5) · 0.04 m,
i = 0…N−1 (the Swift benchmark builds the same points). Sources as in magnets.md §3:
cuboid 10×10×5 mm with J = (0, 0, 1.3) T; cylinder D 10 × H 5 mm axial J = (0, 0, 1.2) T and
diametral J = (1.2, 0, 0) T. Prints one line per case:
  <case> <evaluations per wall second> <checksum: sum of all B components in T> <evaluations per CPU second>
using the best of 3 runs (by wall time) of magpylib.func.<shape>_field("B", …) (the functional API, the
fastest public path; includes magpylib's input checks and special-case masks).
"""
import sys
import time

import magpylib as magpy
import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
i = np.arange(n, dtype=np.float64)
pts = np.stack([(i * 0.7548776662) % 1.0 - 0.5, (i * 0.5698402910) % 1.0 - 0.5, (i * 0.4382) % 1.0 - 0.5], axis=1) * 0.04

cases = [
    ("cuboid", lambda: magpy.func.cuboid_field("B", pts, (0.01, 0.01, 0.005), (0, 0, 1.3))),
    ("cylinder-axial", lambda: magpy.func.cylinder_field("B", pts, (0.01, 0.005), (0, 0, 1.2))),
    ("cylinder-diametral", lambda: magpy.func.cylinder_field("B", pts, (0.01, 0.005), (1.2, 0, 0))),
]
print(f"magpylib {magpy.__version__} numpy {np.__version__}", flush=True)
for name, f in cases:
    best, best_cpu = float("inf"), float("inf")
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        B = f()
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        if wall < best:
            best, best_cpu = wall, cpu
    print(f"{name} {n / best:.6g} {np.sum(B):.15g} {n / best_cpu:.6g}", flush=True)
