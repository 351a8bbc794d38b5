#!/usr/bin/python3
"""Times the engine and its NumPy peer on the same work in one run and prints the ratios.

    bench/compare_peer.py BUILD/bench/geosim_bench [--quick]

The engine's side is bench/bench_peer.cpp (Google Benchmark), the peer's is bench/peer_step.py:
one noise-free step at 7, 50, 200 and 1,000 actors (engine: median of 5 repetitions; peer:
median of 3); 10,000 noisy one-year runs at 7 actors;
and, for the step at 1,000 actors, the memory-bandwidth floor (BM_StreamBound: streaming the
three matrices a dense step reads and the one it writes). Both sides run on one thread
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

TARGETS = {7: 50.0, 200: 5.0}  # issue 6: engine at least this many times faster than the peer


def engine_times(binary):
    out = subprocess.run([binary, "--benchmark_filter=BM_DriftStep|BM_Ensemble7|BM_StreamBound",
                          "--benchmark_format=json", "--benchmark_min_time=0.3",
                          "--benchmark_repetitions=5", "--benchmark_report_aggregates_only=true"],
                         check=True, capture_output=True, text=True).stdout
    times = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        times[b["run_name"]] = b["real_time"] * scale
    return times


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    quick = "--quick" in sys.argv
    engine = engine_times(sys.argv[1])
    print("| work | engine | NumPy peer | peer / engine | target |")
    print("|---|---|---|---|---|")
    for n, steps in ((7, 2000), (50, 500), (200, 20), (1000, 3)):
        e = engine[f"BM_DriftStep/{n}"] / 10  # ten steps per iteration
        p = median(peer_step.time_step(n, max(1, steps // (10 if quick else 1))) for _ in range(3))
        target = f">= {TARGETS[n]:g}x" if n in TARGETS else ""
        print(f"| one step, {n} actors | {e * 1e6:.2f} us | {p * 1e6:.2f} us | {p / e:.1f}x | {target} |")
    runs = 1000 if quick else 10000
    e = engine["BM_Ensemble7/10000/iterations:3"] * runs / 10000
    p = peer_step.time_ensemble(runs)
    print(f"| {runs:,} runs of a year, 7 actors | {e:.3f} s | {p:.3f} s | {p / e:.1f}x | |")
    bound = engine["BM_StreamBound/1000"]
    step = engine["BM_DriftStep/1000"] / 10
    print(f"\nDense step at 1,000 actors: {step * 1e3:.2f} ms; memory floor (BM_StreamBound, 32 MB "
          f"moved) {bound * 1e3:.2f} ms; step / floor = {step / bound:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
