#!/usr/bin/python3
"""A reference implementation of geosim's step in Python with NumPy: the peer.

It replays a geosim run from its exported start state (`geosim export --step 0 --format json`)
and its log of applied events (`run.json` from `geosim run`), applying the same drift as
docs/model.md, and checks that it reaches the same final tensions. Noise must be off.

    peer_step.py check START.json RUN.json [--tolerance 1e-9]
    peer_step.py time N TRAJECTORIES [--dense]  # seconds per step (10-step trajectories) at N actors
    peer_step.py agree N            # largest difference of the sparse and dense steps at N actors
    peer_step.py ensemble RUNS      # seconds for RUNS noisy one-year runs at 7 actors
"""
import json
import sys
import time

import numpy as np


def drift(T, B, W, r, k, sigma):
    """Relaxation + reciprocity + spillover, all from the same T (docs/model.md)."""
    n = T.shape[0]
    off = ~np.eye(n, dtype=bool)
    relax = r[:, None] * (B - T)
    recip = k[:, None] * (T - B).T
    w = W * off
    t = T * off
    row = w.sum(axis=1)
    # sum_{m != i,j} W_im (T_mj - T_ij) = (W T)_ij - (row_i - W_ij) T_ij, with T_jj = 0
    spill = (w @ t - (row[:, None] - w) * t) * (sigma / np.maximum(1.0, row))[:, None]
    total = (relax + recip + spill) * off
    return total


class SparseTies:
    """The ties as an expert NumPy user would keep them for the spillover, once per run: each
    actor's few non-zero ties as a padded (n, m) table of partners and weights (ELLPACK), so
    that W @ T is m gathered rows of T scaled and added, O(n * m * n) instead of O(n^3)."""

    def __init__(self, W, sigma):
        n = W.shape[0]
        self.w = W * ~np.eye(n, dtype=bool)
        nonzero = self.w != 0
        m = max(1, int(nonzero.sum(axis=1).max()))
        self.partner = np.zeros((n, m), dtype=np.intp)
        self.weight = np.zeros((n, m))
        for i in range(n):
            cols = np.flatnonzero(nonzero[i])
            self.partner[i, :cols.size] = cols
            self.weight[i, :cols.size] = self.w[i, cols]
        self.row = self.w.sum(axis=1)
        self.scale = (sigma / np.maximum(1.0, self.row))[:, None]


def drift_sparse(T, B, ties, r, k):
    """drift() with the spillover's W @ T over the non-zero ties only (T's diagonal is 0)."""
    wt = ties.weight[:, 0, None] * T[ties.partner[:, 0]]
    for s in range(1, ties.weight.shape[1]):
        wt += ties.weight[:, s, None] * T[ties.partner[:, s]]
    total = r[:, None] * (B - T)
    total += k[:, None] * (T - B).T
    total += (wt - (ties.row[:, None] - ties.w) * T) * ties.scale
    np.fill_diagonal(total, 0.0)
    return total


def load_start(path):
    doc = json.load(open(path))
    ids = [a["id"] for a in doc["actors"]]
    index = {a: i for i, a in enumerate(ids)}
    n = len(ids)
    T, B, W = (np.zeros((n, n)) for _ in range(3))
    for rel in doc["relations"]:
        i, j = index[rel["from"]], index[rel["to"]]
        T[i, j], B[i, j], W[i, j] = rel["tension"], rel["baseline"], rel["tie"]
    r = np.array([a["restraint"] for a in doc["actors"]])
    k = np.array([a["reactivity"] for a in doc["actors"]])
    return ids, index, T, B, W, r, k, doc["parameters"]["spillover"], doc["parameters"]["noise"]


def check(start_path, run_path, tolerance):
    ids, index, T, B, W, r, k, sigma, noise = load_start(start_path)
    if noise != 0:
        sys.exit("peer: the scenario has noise; the peer replays noise-free runs only")
    run = json.load(open(run_path))
    by_step = {}
    for event in run["events"]:
        by_step.setdefault(event["step"], []).append(event)
    for step in range(1, run["steps"] + 1):
        for event in by_step.get(step, []):  # the engine's logged, already-bounded changes
            for c in event["changes"]:
                i, j = index[c["from"]], index[c["to"]]
                T[i, j] += c["tension"]
                B[i, j] += c["baseline"]
                W[i, j] += c["tie"]
        T = np.clip(T + drift(T, B, W, r, k, sigma), 0.0, 1.0)
    worst = 0.0
    for rel in run["final"]["relations"]:
        i, j = index[rel["from"]], index[rel["to"]]
        worst = max(worst, abs(T[i, j] - rel["tension"]))
    print(f"peer: {len(ids)} actors, {run['steps']} steps, largest difference {worst:.3e}")
    return 0 if worst <= tolerance else 1


def synthetic_world(n, rng):
    """A world like bench/synthetic_world.cpp's: dense tensions, about four ties per actor."""
    T = rng.uniform(0.1, 0.9, (n, n))
    np.fill_diagonal(T, 0.0)  # as the engine's: no relation with oneself
    B = T.copy()
    W = np.zeros((n, n))
    for i in range(n):
        W[i, rng.integers(0, n, 4)] = rng.uniform(0.2, 0.8, 4)
    np.fill_diagonal(W, 0.0)
    r = rng.uniform(0.04, 0.08, n)
    k = rng.uniform(0.01, 0.03, n)
    return T, B, W, r, k


def time_step(n, trajectories, steps=10, sparse=True):
    """Seconds per step: `trajectories` times, `steps` noise-free steps from the same start
    (as BM_DriftStep does; stepping on for ever would relax onto subnormal differences).
    `sparse`: the spillover over the non-zero ties (drift_sparse, ties prepared once, as the
    engine keeps them); otherwise the dense product W @ T."""
    T0, B, W, r, k = synthetic_world(n, np.random.default_rng(7))
    start = time.perf_counter()
    ties = SparseTies(W, 0.05) if sparse else None
    for _ in range(trajectories):
        T = T0.copy()
        for _ in range(steps):
            change = drift_sparse(T, B, ties, r, k) if sparse else drift(T, B, W, r, k, 0.05)
            T = np.clip(T + change, 0.0, 1.0, out=T)
    return (time.perf_counter() - start) / (trajectories * steps)


def time_ensemble(runs, n=7, steps=52, noise=0.01):
    """The work of BM_Ensemble7: per run and step, a chance event (p = 0.7) between two actors,
    the drift, noise on every relation, the bounds; then percentiles of an indicator."""
    rng = np.random.default_rng(7)
    T0, B, W, r, k = synthetic_world(n, rng)
    pairs = [(int(a), int((a + 1 + rng.integers(0, n - 1)) % n)) for a in rng.integers(0, n, steps)]
    off = ~np.eye(n, dtype=bool)
    series = np.empty((runs, steps))
    start = time.perf_counter()
    for run in range(runs):
        T = T0.copy()
        for step, (a, b) in enumerate(pairs):
            if rng.random() < 0.7:
                shock = rng.normal(0.05, 0.02)
                T[a, b] = min(1.0, max(0.0, T[a, b] + shock))
                T[b, a] = min(1.0, max(0.0, T[b, a] + shock))
            T = np.clip(T + drift(T, B, W, r, k, 0.05) + noise * rng.standard_normal((n, n)) * off, 0.0, 1.0)
            series[run, step] = 0.5 * (T[0, 1] + T[1, 0])
    np.percentile(series, [5, 25, 50, 75, 95], axis=0)
    return time.perf_counter() - start


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "ensemble":
        print(f"{time_ensemble(int(sys.argv[2])):.6f}")
        sys.exit(0)
    if len(sys.argv) >= 4 and sys.argv[1] == "check":
        tol = float(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--tolerance" else 1e-9
        sys.exit(check(sys.argv[2], sys.argv[3], tol))
    if len(sys.argv) in (4, 5) and sys.argv[1] == "time":
        print(f"{time_step(int(sys.argv[2]), int(sys.argv[3]), sparse='--dense' not in sys.argv):.9f}")
        sys.exit(0)
    if len(sys.argv) == 3 and sys.argv[1] == "agree":
        T, B, W, r, k = synthetic_world(int(sys.argv[2]), np.random.default_rng(7))
        gap = np.abs(drift_sparse(T, B, SparseTies(W, 0.05), r, k) - drift(T, B, W, r, k, 0.05)).max()
        print(f"{gap:.3e}")
        sys.exit(0 if gap <= 1e-12 else 1)
    sys.exit(__doc__)
