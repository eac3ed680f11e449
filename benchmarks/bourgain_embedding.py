"""Speed and peak memory of ``embed`` against the official BourGAN code's approach.

Run: ``.venv/bin/python benchmarks/bourgain_embedding.py [--threads 2] [--sizes 2000 20000]``.

Data: uniform random points in [0, 1]^784 (float32), seed 0. Every case runs in a fresh
subprocess; "peak MB" is the growth of the process's peak resident set (``ru_maxrss`` from
``resource.getrusage``) during the call, over its value after the data and a warm-up call.
Times are the best of ``--repeats`` calls (one call above 5,000 points): wall seconds and the
process's CPU seconds (all threads; on a busy machine wall > cpu / threads).

"official" re-implements the official code's approach (it is not imported): the full distance
matrix by ``scipy.spatial.distance.pdist`` + ``squareform``, then a numpy loop over the subsets
taking row minima of the matrix columns of each subset, then its scale factor from the full
matrix of embedded distances. It uses the official t = 5 repetitions and, as a like-for-like
row, our default t = ceil(log2 n). Ours also computes the JL projection and the exact beta.
Above ``--official-max`` points the official approach is skipped: its two n x n float64
matrices need 3.2 GB each at 20,000 points.

OMP_WAIT_POLICY=PASSIVE is set (unless already set): on a machine shared with other jobs,
OpenMP threads that spin while waiting for a descheduled sibling make every small torch op
10-100x slower; passive waiting removes that artefact and changes nothing on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def official_approach(points, repetitions: int, seed: int = 0) -> float:
    """The official pipeline's work (distance matrix, subset minima, scale); returns the scale."""
    import numpy as np
    from scipy.spatial.distance import pdist, squareform

    rng = np.random.default_rng(seed)
    n = len(points)
    levels = int(np.ceil(np.log2(n)))
    distmat = squareform(pdist(points, "euclidean"))
    columns = []
    for level in range(1, levels + 1):
        for _ in range(repetitions):
            subset = np.flatnonzero(rng.random(n) < 2.0**-level)
            columns.append(distmat[:, subset].min(axis=1) if len(subset) else np.zeros(n))
    embedded = np.stack(columns, axis=1)
    embedded_dist = squareform(pdist(embedded, "euclidean"))
    np.fill_diagonal(embedded_dist, 1.0)
    return float(np.max(distmat / embedded_dist))


def run_case(case: str, n: int, dim: int, threads: int, repeats: int) -> dict:
    """Time one case in this process and measure its peak-memory growth."""
    import numpy as np
    import torch

    from shall_we_gans.embedding import embed

    torch.set_num_threads(threads)
    points = np.random.default_rng(0).random((n, dim), dtype=np.float32)
    warm = points[:200]
    if case == "ours":
        embed(warm, seed=0)
        call = lambda: embed(points, seed=0)  # noqa: E731
    else:
        repetitions = 5 if case == "official t=5" else int(np.ceil(np.log2(n)))
        points64 = points.astype(np.float64)
        official_approach(points64[:200], repetitions)
        call = lambda: official_approach(points64, repetitions)  # noqa: E731
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeats if n <= 5000 else 1):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = call()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    peak_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    row = {"case": case, "n": n, "seconds": best, "cpu_seconds": best_cpu, "peak_mb": peak_mb}
    if case == "ours":
        row.update(dim=result.dim, beta=result.beta)
    return row


def in_subprocess(case: str, args: argparse.Namespace, n: int) -> dict:
    command = [sys.executable, __file__, "--case", case, "--n", str(n), "--dim", str(args.dim)]
    command += ["--threads", str(args.threads), "--repeats", str(args.repeats)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--dim", type=int, default=784)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--official-max", type=int, default=5000)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:  # child process: one case, one JSON line
        print(json.dumps(run_case(args.case, args.n, args.dim, args.threads, args.repeats)))
        return

    print(f"{args.threads} threads, {args.dim}-d uniform float32 points, load {os.getloadavg()}")
    print(f"{'case':<16}{'n':>7}{'seconds':>10}{'cpu s':>8}{'peak MB':>10}{'dim':>5}{'beta':>9}")
    timings: dict[tuple[str, int], float] = {}
    for n in args.sizes:
        cases = ["ours"] + (["official t=5", "official t=log2n"] if n <= args.official_max else [])
        for case in cases:
            row = in_subprocess(case, args, n)
            timings[(case, n)] = row["seconds"]
            extra = f"{row['dim']:>5}{row['beta']:>9.4f}" if case == "ours" else ""
            seconds, cpu, peak = row["seconds"], row["cpu_seconds"], row["peak_mb"]
            print(f"{case:<16}{n:>7}{seconds:>10.3f}{cpu:>8.2f}{peak:>10.1f}{extra}")
        if n > args.official_max:
            print(f"{'official':<16}{n:>7}   skipped (two {n}x{n} float64 matrices)")
    for n in args.sizes:
        for case in ("official t=5", "official t=log2n"):
            if (case, n) in timings:
                speedup = timings[(case, n)] / timings[("ours", n)]
                print(f"speed-up over {case} at n={n}: {speedup:.1f}x")
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
