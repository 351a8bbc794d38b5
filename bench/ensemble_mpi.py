#!/usr/bin/env python3
"""What spreading an ensemble over MPI processes costs against threads, side by side in one
run: each mode in turn, repeated, the median of each (wall, user + system CPU of the whole
process tree, from os.wait4), and a check that every mode wrote the same three files.

    python3 bench/ensemble_mpi.py build/ci/apps [--runs 10000] [--repeat 5]

The folder must hold geosim and geosim-mpi (a build with -DGEOSIM_MPI=ON, as the ci preset).
mpirun runs with --oversubscribe and, for root, Open MPI's allow-run-as-root variables.
"""
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
import time


def once(command, out, env):
    start = time.perf_counter()
    proc = subprocess.Popen(command + ["--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}: {proc.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    folder = args[0]
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 10000
    repeat = int(args[args.index("--repeat") + 1]) if "--repeat" in args else 5
    geosim = os.path.join(folder, "geosim")
    mpi = os.path.join(folder, "geosim-mpi")
    request = ["ensemble", "baseline", "--runs", str(runs), "--seed", "3"]
    mpirun = ["mpirun", "-q", "--oversubscribe", "-np"]
    modes = [
        ("geosim --threads 1", [geosim] + request + ["--threads", "1"]),
        ("geosim --threads 2", [geosim] + request + ["--threads", "2"]),
        ("geosim-mpi --threads 2 (no mpirun)", [mpi] + request + ["--threads", "2"]),
        ("mpirun -np 1 geosim-mpi --threads 2", mpirun + ["1", mpi] + request + ["--threads", "2"]),
        ("mpirun -np 2 geosim-mpi --threads 1", mpirun + ["2", mpi] + request + ["--threads", "1"]),
        ("mpirun -np 2 geosim-mpi --threads 2", mpirun + ["2", mpi] + request + ["--threads", "2"]),
    ]
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    times = {name: [] for name, _ in modes}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            for i, (name, command) in enumerate(modes):
                times[name].append(once(command, os.path.join(tmp, str(i)), env))
        for i in range(1, len(modes)):
            for f in ("percentiles.csv", "thresholds.csv", "ensemble.json"):
                if not filecmp.cmp(os.path.join(tmp, "0", f), os.path.join(tmp, str(i), f), shallow=False):
                    sys.exit(f"{modes[i][0]}: {f} differs from {modes[0][0]}")
    print(f"ensemble baseline --runs {runs} --seed 3, median of {repeat}, load average "
          f"{os.getloadavg()[0]:.1f} at the end; every mode's three files identical")
    print("| mode | wall | CPU (user + system) |\n|---|---|---|")
    for name, _ in modes:
        wall = statistics.median(t[0] for t in times[name])
        cpu = statistics.median(t[1] for t in times[name])
        print(f"| `{name}` | {wall:.2f} s | {cpu:.2f} s |")


if __name__ == "__main__":
    main()
