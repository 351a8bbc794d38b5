#!/usr/bin/env python3
"""`geosim run` of the 200-state world as a whole process, side by side in one run: each
program and each set of options in turn, repeated, the median of each (wall, user + system
CPU, maximum resident set), from os.wait4's resource usage.

    python3 bench/run_io.py build/ci/apps/geosim [OTHER_GEOSIM ...] [--repeat 7]

With two programs (say, one built before a change and one after), every line is run with both,
alternating, so both see the same machine; a line a program fails (an option it lacks) says so.
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORLD = os.path.join(HERE, "..", "scenarios", "world-200.yaml")
CASES = [
    ("run (every relation)", []),
    ("run --relations top:100", ["--relations", "top:100"]),
    ("run --gzip", ["--gzip"]),
    ("run --steps 0 (load, one step's files)", ["--steps", "0"]),
]


def once(program, extra, out):
    start = time.perf_counter()
    proc = subprocess.Popen([program, "run", WORLD, "--out", out] + extra, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        return None  # e.g. an option the program does not have
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def main():
    args = sys.argv[1:]
    repeat = 7
    if "--repeat" in args:
        k = args.index("--repeat")
        repeat = int(args[k + 1])
        del args[k:k + 2]
    programs = args or [os.path.join(HERE, "..", "build", "ci", "apps", "geosim")]
    print(f"{len(open(WORLD).read().splitlines())}-line scenario {os.path.relpath(WORLD)}, median of {repeat}")
    print("| command | program | wall (s) | CPU, user + system (s) | max RSS (MB) |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for label, extra in CASES:
            results = {p: [] for p in programs}
            for _ in range(repeat):
                for p in programs:
                    results[p].append(once(p, extra, os.path.join(tmp, "out")))
            for p in programs:
                if None in results[p]:
                    print(f"| `{label}` | {p} | (fails) | | |")
                    continue
                wall, cpu, rss = (statistics.median(r[i] for r in results[p]) for i in range(3))
                print(f"| `{label}` | {p} | {wall:.3f} | {cpu:.3f} | {rss:.0f} |")


if __name__ == "__main__":
    main()
