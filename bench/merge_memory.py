#!/usr/bin/env python3
"""`geosim ensemble merge` of N shard files as a whole process, side by side in one run: the
shards are made once (by the last program given, or --make-with), then each program merges
them in turn, repeated; per program the median wall time and the median peak resident set
(os.wait4's ru_maxrss), and whether every program wrote the same files.

    python3 bench/merge_memory.py build/ci/apps/geosim [OTHER_GEOSIM ...] [--shards 16]
        [--runs 32768] [--steps 400] [--repeat 3] [--make-with GEOSIM]

Made with an older program, the shards are of a version every later one reads. The default
request is the baseline's 32,768 runs of 400 steps in 16 shards of 32 chunks each: one tree
node of 2,048 values a column each, 63 MB a shard file.
"""
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
import time


def option(args, name, default):
    if name in args:
        i = args.index(name)
        value = args[i + 1]
        del args[i:i + 2]
        return value
    return default


def once(program, files, out):
    start = time.perf_counter()
    proc = subprocess.Popen([program, "ensemble", "merge"] + files + ["--out", out], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"{program}: merge failed: {proc.stderr.read().decode().strip()}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024.0


def main():
    args = sys.argv[1:]
    shards = int(option(args, "--shards", "16"))
    runs = option(args, "--runs", "32768")
    steps = option(args, "--steps", "400")
    repeat = int(option(args, "--repeat", "3"))
    maker = option(args, "--make-with", None)
    programs = args
    if not programs:
        sys.exit(__doc__)
    maker = maker or programs[-1]
    with tempfile.TemporaryDirectory() as tmp:
        parts = os.path.join(tmp, "parts")
        for k in range(1, shards + 1):
            subprocess.run([maker, "ensemble", "baseline", "--runs", runs, "--steps", steps, "--threads", "2",
                            "--shard", f"{k}/{shards}", "--out", parts], check=True, stdout=subprocess.DEVNULL)
        files = [os.path.join(parts, f"shard-{k}-of-{shards}.gsshard") for k in range(1, shards + 1)]
        size = sum(os.path.getsize(f) for f in files) / 1e6
        print(f"{shards} shards of `ensemble baseline --runs {runs} --steps {steps}`: {size:.0f} MB of shard files")
        results = {p: [] for p in programs}
        for r in range(repeat):
            for i, p in enumerate(programs):
                results[p].append(once(p, files, os.path.join(tmp, f"out-{i}")))
        same = all(filecmp.cmp(os.path.join(tmp, "out-0", f), os.path.join(tmp, f"out-{i}", f), shallow=False)
                   for i in range(1, len(programs)) for f in ("percentiles.csv", "thresholds.csv", "ensemble.json"))
        for p in programs:
            walls = [w for w, _ in results[p]]
            peaks = [m for _, m in results[p]]
            print(f"{p}: {statistics.median(walls):.2f} s (of {', '.join(f'{w:.2f}' for w in walls)}), "
                  f"peak {statistics.median(peaks):.0f} MB")
        if len(programs) > 1:
            print("the same files from every program" if same else "THE PROGRAMS WROTE DIFFERENT FILES")


if __name__ == "__main__":
    main()
