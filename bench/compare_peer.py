#!/usr/bin/python3
"""Times the engine and its NumPy peer on the same work in one run and prints the ratios.

    bench/compare_peer.py BUILD/bench/geosim_bench [--quick]

The engine's side is bench/bench_peer.cpp (Google Benchmark), the peer's is bench/peer_step.py:
one noise-free step at 7, 50, 200, 1,000 and 2,000 actors (engine: median of 5 repetitions;
peer: median of 3), the peer with the sparse spillover (drift_sparse) and, up to 1,000 actors,
the dense one; 10,000 noisy one-year runs at 7 actors; and, for the step at 200, 1,000 and 2,000
actors, the bound: the larger of the memory floor (BM_StreamBound: streaming the three matrices a
dense step reads and the one it writes) and the arithmetic floor (the step's flop count, from
bench_peer.cpp's step_flops, at the rate of an Eigen product of the step's n x n shape,
BM_FlopBound), both in the same run. Both sides run on one thread
(OPENBLAS_NUM_THREADS=1 and friends), as an ensemble's worker does.
"""
import json
from statistics import median
import os
import subprocess
import sys

for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peer_step  # noqa: E402  (after the thread settings, which NumPy reads at import)

TARGETS = {200: 5.0, 1000: 5.0}  # issue 14: engine at least this many times the sparse peer's speed


def engine_times(binary):
    out = subprocess.run([binary, "--benchmark_filter=BM_DriftStep|BM_Ensemble7|BM_StreamBound|BM_FlopBound",
                          "--benchmark_format=json", "--benchmark_min_time=0.3",
                          "--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true"],
                         check=True, capture_output=True, text=True).stdout
    times, counters = {}, {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        times[b["run_name"]] = b["real_time"] * scale
        counters[b["run_name"]] = b
    return times, counters


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    quick = "--quick" in sys.argv
    engine, counters = engine_times(sys.argv[1])
    print("| work | engine | NumPy peer, sparse | sparse / engine | NumPy peer, dense | dense / engine | target |")
    print("|---|---|---|---|---|---|---|")
    for n, steps in ((7, 2000), (50, 500), (200, 50), (1000, 5), (2000, 2)):
        e = engine[f"BM_DriftStep/{n}"] / 10  # ten steps per iteration
        trajectories = max(1, steps // (10 if quick else 1))
        p = median(peer_step.time_step(n, trajectories) for _ in range(3))
        dense, ratio = "", ""
        if n <= 1000:
            d = median(peer_step.time_step(n, max(1, trajectories // 3), sparse=False) for _ in range(3))
            dense, ratio = f"{d * 1e6:.2f} us", f"{d / e:.1f}x"
        target = f">= {TARGETS[n]:g}x: {'met' if p / e >= TARGETS[n] else 'not met'}" if n in TARGETS else ""
        print(f"| one step, {n} actors | {e * 1e6:.2f} us | {p * 1e6:.2f} us | {p / e:.1f}x | {dense} | {ratio} | {target} |")
    runs = 1000 if quick else 10000
    e = engine["BM_Ensemble7/10000/iterations:3"] * runs / 10000
    p = peer_step.time_ensemble(runs)
    print(f"| {runs:,} runs of a year, 7 actors | {e:.3f} s | {p:.3f} s (dense) | {p / e:.1f}x | | | |")
    print("\n| actors | step | memory floor (BM_StreamBound) | flop rate (BM_FlopBound) | arithmetic floor "
          "| bound = max | step / bound | target |")
    print("|---|---|---|---|---|---|---|---|")
    for n in (200, 1000, 2000):
        memory = engine[f"BM_StreamBound/{n}"]
        flop = counters[f"BM_FlopBound/{n}"]
        rate = flop["flops"] / engine[f"BM_FlopBound/{n}"]
        flops = counters[f"BM_DriftStep/{n}"]["flops_per_step"]
        arithmetic = flops / rate
        bound = max(memory, arithmetic)
        step = engine[f"BM_DriftStep/{n}"] / 10
        verdict = "met" if step / bound <= 2 else "not met"
        print(f"| {n:,} | {step * 1e3:.3f} ms | {memory * 1e3:.3f} ms ({4 * n * n * 8 / 1e6:.0f} MB moved) | "
              f"{rate / 1e9:.1f} Gflop/s | {arithmetic * 1e3:.3f} ms ({flops / 1e6:.1f} Mflop) | "
              f"{bound * 1e3:.3f} ms | {step / bound:.2f} | <= 2: {verdict} |")


if __name__ == "__main__":
    main()
