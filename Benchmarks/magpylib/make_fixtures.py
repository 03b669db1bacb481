#!/usr/bin/env python3
"""Generate magpylib reference fields for Lodestone's Magnets tests.

Run from the package root:  python3 Benchmarks/magpylib/make_fixtures.py
Writes Tests/Fixtures/magnets/fields.csv (deterministic: fixed seed, %.17g numbers).

Each row: one magnet (shape, dimensions, polarization J in its own frame, position,
orientation as a rotation vector in radians) and one observer point, all SI (m, T), with
magpylib's B (T) and H (A/m) at that point. Observers avoid the edges by at least 2 % of
the smallest dimension (magpylib and Lodestone both lose accuracy right at edges), but
include points inside the magnets and close to the cylinder axis (r < 0.05 R, where
magpylib switches to a series for the diametral field), and a set of points on the
extensions of cuboid edges (outside the magnet), where naive formulas meet 0/0.
"""
import csv
import os
import sys

import magpylib as magpy
import numpy as np
from scipy.spatial.transform import Rotation as R

OUT = os.path.join("Tests", "Fixtures", "magnets", "fields.csv")
rng = np.random.default_rng(20261123)

CASES = [
    # name, shape, dims (m), J (T), position (m), rotvec (rad)
    ("cuboid-axial", "cuboid", (0.010, 0.010, 0.005), (0, 0, 1.3), (0, 0, 0), (0, 0, 0)),
    ("cuboid-oblique", "cuboid", (0.004, 0.007, 0.003), (0.3, -0.5, 1.1), (0.001, -0.002, 0.0005), (0.3, -0.7, 0.4)),
    ("cylinder-axial", "cylinder", (0.010, 0.005, 0), (0, 0, 1.2), (0, 0, 0), (0, 0, 0)),
    ("cylinder-diametral", "cylinder", (0.010, 0.005, 0), (1.2, 0, 0), (0, 0, 0), (0, 0, 0)),
    ("cylinder-oblique", "cylinder", (0.006, 0.012, 0), (0.4, 0.7, -0.9), (-0.002, 0.001, 0.003), (-0.5, 0.2, 1.1)),
    ("cuboid-edge-extensions", "cuboid", (0.010, 0.010, 0.005), (0.2, -0.4, 1.3), (0, 0, 0), (0, 0, 0)),
]

# Points on the extensions of cuboid edges (outside the magnet), where the textbook formula
# has 0/0 terms: two coordinates on face planes, the third beyond the edge's end.
EDGE_EXTENSIONS = [
    (sx * 0.005, sy * 0.005 * f, sz * 0.0025)
    for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1) for f in (1.5, 3.0)
] + [
    (sx * 0.005 * f, sy * 0.005, sz * 0.0025)
    for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1) for f in (2.0,)
] + [
    (sx * 0.005, sy * 0.005, sz * 0.0025 * f)
    for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1) for f in (4.0,)
]


def far_from_edges(shape, dims, p, margin):
    """True when the body-frame point p is at least `margin` from every edge."""
    if shape == "cuboid":
        h = np.array(dims) / 2
        d = np.abs(np.abs(p) - h)
        # an edge is where two coordinates sit on faces and the third is within range
        for i in range(3):
            j, k = [a for a in range(3) if a != i]
            if np.hypot(d[j], d[k]) < margin and abs(p[i]) <= h[i] + margin:
                return False
        return True
    r0, z0 = dims[0] / 2, dims[1] / 2
    r = np.hypot(p[0], p[1])
    return np.hypot(r - r0, abs(p[2]) - z0) >= margin


def observers(shape, dims):
    size = max(dims)
    margin = 0.02 * min(d for d in dims if d > 0)
    pts = []
    # 40 points in a box of twice the size, 12 inside, 8 near the axis / centre line
    while len(pts) < 40:
        p = rng.uniform(-1.2, 1.2, 3) * size
        if far_from_edges(shape, dims, p, margin):
            pts.append(p)
    if shape == "cuboid":
        h = np.array(dims) / 2
        while len(pts) < 52:
            p = rng.uniform(-0.95, 0.95, 3) * h
            if far_from_edges(shape, dims, p, margin):
                pts.append(p)
    else:
        r0, z0 = dims[0] / 2, dims[1] / 2
        while len(pts) < 52:
            rr = r0 * np.sqrt(rng.uniform(0, 0.9))
            ph = rng.uniform(-np.pi, np.pi)
            p = np.array([rr * np.cos(ph), rr * np.sin(ph), rng.uniform(-0.95, 0.95) * z0])
            if far_from_edges(shape, dims, p, margin):
                pts.append(p)
        for _ in range(8):  # near the axis: r < 0.05 R (series branch of the diametral field)
            rr = r0 * rng.uniform(0.001, 0.049)
            ph = rng.uniform(-np.pi, np.pi)
            pts.append(np.array([rr * np.cos(ph), rr * np.sin(ph), rng.uniform(-2, 2) * z0]))
    # a few far points (5-10 sizes away)
    for _ in range(4):
        v = rng.normal(size=3)
        pts.append(v / np.linalg.norm(v) * size * rng.uniform(5, 10))
    return np.array(pts)


def main():
    rows = []
    for name, shape, dims, J, pos, rv in CASES:
        rot = R.from_rotvec(rv)
        if shape == "cuboid":
            src = magpy.magnet.Cuboid(dimension=dims, polarization=J, position=pos, orientation=rot)
        else:
            src = magpy.magnet.Cylinder(dimension=dims[:2], polarization=J, position=pos, orientation=rot)
        body = np.array(EDGE_EXTENSIONS) if name == "cuboid-edge-extensions" else observers(shape, dims)
        glob = rot.apply(body) + np.array(pos)
        B = src.getB(glob)
        H = src.getH(glob)
        for o, b, h in zip(glob, B, H):
            rows.append([name, shape, *dims, *J, *pos, *rv, *o, *b, *h])
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", newline="") as f:
        f.write(f"# magpylib {magpy.__version__}, numpy {np.__version__}; made by Benchmarks/magpylib/make_fixtures.py\n")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "shape", "d1_m", "d2_m", "d3_m", "jx_T", "jy_T", "jz_T", "px_m", "py_m", "pz_m",
                    "rx_rad", "ry_rad", "rz_rad", "x_m", "y_m", "z_m", "bx_T", "by_T", "bz_T",
                    "hx_A_m", "hy_A_m", "hz_A_m"])
        for r in rows:
            w.writerow([r[0], r[1]] + ["%.17g" % v for v in r[2:]])
    print(f"wrote {len(rows)} rows to {OUT} ({os.path.getsize(OUT)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
