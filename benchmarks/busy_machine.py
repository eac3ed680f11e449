"""Torch threads and OpenMP wait policy per workload, on a quiet machine and beside one
CPU-bound process; and the Bourgain embedding of 2,000 points against the official
single-threaded approach in both conditions.

Run: ``.venv/bin/python benchmarks/busy_machine.py [--n 2000] [--repeats 5]``.

Workloads (each in a fresh subprocess, since OpenMP reads ``OMP_WAIT_POLICY`` when torch
loads): ``embedding`` (``embed`` of ``--n`` uniform 784-d points, as
``benchmarks/bourgain_embedding.py``), ``training`` (``--steps`` steps of the missing_modes
MLP GAN: width 128, depth 3, batch 512, 2-d data), and ``official`` (the official code's
approach, numpy/scipy, t = 5; ``bourgain_embedding.official_approach``). Settings: threads in
1 … cores, wait policy ACTIVE (spin; OpenMP's usual default) or PASSIVE (sleep). "busy": one
extra process spinning on one core for the whole measurement. Times are the median of
``--repeats`` calls after a warm-up (inf: past ``--timeout``). The last lines give what
``shall_we_gans.cpu`` sets.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(workload: str, threads: int, n: int, steps: int, repeats: int) -> float:
    """Median seconds of one call of ``workload`` in this process."""
    import numpy as np
    import torch

    torch.set_num_threads(threads)
    if workload == "official":
        sys.path.insert(0, str(HERE))
        from bourgain_embedding import official_approach

        points = np.random.default_rng(0).random((n, 784)).astype(np.float64)
        official_approach(points[:200], 5)
        call = lambda: official_approach(points, 5)  # noqa: E731
    elif workload == "embedding":
        from shall_we_gans.embedding import embed

        points = np.random.default_rng(0).random((n, 784), dtype=np.float32)
        embed(points[:200], seed=0)
        call = lambda: embed(points, seed=0)  # noqa: E731
    else:
        from shall_we_gans.gan import GANRunSpec, TrainerConfig, build_prior, run_gan
        from shall_we_gans.gan.models import MLPDiscriminator, MLPGenerator

        data = np.random.default_rng(0).normal(size=(10000, 2)).astype(np.float32)

        def call() -> None:
            config = TrainerConfig(steps=steps, batch_size=512, device="cpu", log_every=1000)
            spec = GANRunSpec(
                generator=lambda: MLPGenerator(latent_dim=50, out_dim=2, width=128, depth=3),
                discriminator=lambda: MLPDiscriminator(in_dim=2, width=128, depth=3),
                prior=build_prior("gaussian", 50),
                data=data,
                trainer=config,
                seed=0,
            )
            run_gan(spec)

        call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_subprocess(workload: str, threads: int, policy: str, args: argparse.Namespace) -> float:
    """Median seconds in a fresh process (``inf`` past ``--timeout`` seconds)."""
    env = {**os.environ, "OMP_WAIT_POLICY": policy}
    command = [sys.executable, __file__, "--child", workload, "--threads", str(threads)]
    command += ["--n", str(args.n), "--steps", str(args.steps), "--repeats", str(args.repeats)]
    try:
        out = subprocess.run(
            command, env=env, check=True, capture_output=True, text=True, timeout=args.timeout
        ).stdout
    except subprocess.TimeoutExpired:
        return float("inf")
    return json.loads(out.strip().splitlines()[-1])["seconds"]


def spinner() -> subprocess.Popen:
    """One CPU-bound process (a pure-Python busy loop) on the machine."""
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per setting")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        seconds = measure(args.child, args.threads, args.n, args.steps, args.repeats)
        print(json.dumps({"seconds": seconds}))
        return

    from shall_we_gans.cpu import SETTINGS, usable_cores

    cores = usable_cores()
    print(f"{cores} cores, load before {os.getloadavg()}")
    print(f"{'workload':<11}{'threads':>8}{'policy':>9}{'quiet s':>10}{'busy s':>10}")
    results: dict[tuple, dict[str, float]] = {}
    settings = [
        (w, t, p)
        for w in ("embedding", "training")
        for t in range(1, cores + 1)
        for p in ("ACTIVE", "PASSIVE")
    ] + [("official", 1, "PASSIVE")]
    for condition in ("quiet", "busy"):
        busy = spinner() if condition == "busy" else None
        try:
            for key in settings:
                results.setdefault(key, {})[condition] = in_subprocess(*key, args)
        finally:
            if busy is not None:
                busy.kill()
                busy.wait()
    for (workload, threads, policy), row in results.items():
        print(f"{workload:<11}{threads:>8}{policy:>9}{row['quiet']:>10.3f}{row['busy']:>10.3f}")
    official = results[("official", 1, "PASSIVE")]
    for workload in ("embedding", "training"):
        threads, policy = SETTINGS[workload]
        threads = min(threads or cores, cores)
        row = results[(workload, threads, policy)]
        line = f"shall_we_gans.cpu: {workload} {threads} thread(s), OMP_WAIT_POLICY={policy}:"
        print(f"{line} quiet {row['quiet']:.3f} s, busy {row['busy']:.3f} s")
        if workload == "embedding":
            for condition in ("quiet", "busy"):
                speedup = official[condition] / row[condition]
                print(
                    f"embedding of {args.n} points, {condition}: ours {row[condition]:.3f} s, "
                    f"official {official[condition]:.3f} s, {speedup:.1f}x faster"
                )
    print(f"load after {os.getloadavg()}")


if __name__ == "__main__":
    main()
