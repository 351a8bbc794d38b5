#!/usr/bin/env python3
"""A world of N actors as a scenario file, for timing the commands (`geosim analyze`, ...) at
sizes the shipped scenarios do not reach. Like synthetic_world.cpp: restraint in [0.04, 0.08],
reactivity in [0.01, 0.03], tensions in [0.1, 0.9], each actor tied to 4 partners (ties in
[0.2, 0.8]), spillover 0.05. Deterministic in the seed.

    python3 bench/synthetic_world.py 200 > /tmp/world200.yaml
"""
import random
import sys


def main() -> None:
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
    out = [f"scenario: {{id: synthetic-{n}, title: synthetic-{n}, start: 2025-08-01, steps: 52}}",
           "parameters: {spillover: 0.05}", "defaults: {tension: 0.5, tie: 0.0}", "actors:"]
    for i in range(n):
        out.append(f"  - {{id: A{i}, name: A{i}, restraint: {0.04 + 0.04 * rng.random():.4f}, "
                   f"reactivity: {0.01 + 0.02 * rng.random():.4f}}}")
    out.append("relations:")
    for i in range(n):
        for j in sorted(rng.sample([j for j in range(n) if j != i], min(4, n - 1))):
            out.append(f"  - {{from: A{i}, to: A{j}, tension: {0.1 + 0.8 * rng.random():.3f}, "
                       f"tie: {0.2 + 0.6 * rng.random():.3f}}}")
    out += ["indicators:", "  - {id: first_pair, title: First pair, kind: mean, relations: [[A0, A1]]}"]
    print("\n".join(out))


if __name__ == "__main__":
    main()
