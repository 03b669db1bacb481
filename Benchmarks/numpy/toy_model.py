#!/usr/bin/env python3
"""Reference implementation of Lodestone's risk toy model in straightforward NumPy.

The toy model (the same as `singleSupplier` in Tests/RiskTests and the `risk` benchmark):
one supplier with ample stock ships to one user over a link with no lead time; each month
the supplier's country bans exports with probability q (independently); the user holds a
strategic reserve of k months of demand that covers shortfalls and refills in full in any
open month; demand is d kg/month. Month t is short iff months t-k..t are all banned.

Usage: toy_model.py RUNS MONTHS Q K  ->  prints "seconds mean_shortfall_months p_short_month"
Vectorised over replications; a Python loop over months (the recursion is sequential in time).
"""
import sys
import time

import numpy as np


def run(runs: int, months: int, q: float, k: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    d = 1000.0
    banned = rng.random((runs, months)) < q
    level = np.full(runs, k * d)
    short_months = np.zeros(runs)
    short_by_month = np.zeros(months)
    for t in range(months):
        b = banned[:, t]
        # Banned: draw on the reserve; open: demand met from supply and the reserve refills.
        release = np.where(b, np.minimum(level, d), 0.0)
        unmet = np.where(b, d - release, 0.0)
        level = np.where(b, level - release, k * d)
        short = unmet > 1e-6
        short_months += short
        short_by_month[t] = short.mean()
    return short_months.mean(), short_by_month[k:].mean()


def main():
    runs, months, q, k = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        m, p = run(runs, months, q, k)
        best = min(best, time.perf_counter() - t0)
    print(f"{best:.6f} {m:.6f} {p:.6f}")


if __name__ == "__main__":
    main()
