"""Throughput of ``GANTrainer`` against a bare PyTorch loop on the same models, batch and steps.

Run: ``.venv/bin/python benchmarks/trainer_throughput.py [--steps 300] [--threads 1]``.
Both loops do the same work per iteration (one D step on a real and a fake batch, one G step,
non-saturating loss, Adam); the trainer adds its bookkeeping (logging every ``--log-every``
iterations, NaN checks, diagnostics on logged steps). Prints samples/s of each and the ratio
(goal: trainer >= 0.8x bare). Timings are the best of ``--repeats`` alternating runs.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
import yaml
from torch import nn

from shall_we_gans.gan import GANRunSpec, TrainerConfig, build_prior, run_gan
from shall_we_gans.gan.models import (
    DCGANDiscriminator,
    DCGANGenerator,
    MLPDiscriminator,
    MLPGenerator,
)
from shall_we_gans.params.stacked_mnist import DcganPair
from shall_we_gans.runtime import resolve_device

STACKED_CONF = Path(__file__).resolve().parents[1] / "conf/base/parameters_stacked_mnist.yml"


def bare_loop(
    g: nn.Module,
    d: nn.Module,
    data: torch.Tensor,
    steps: int,
    batch: int,
    latent: int,
    uniform: bool,
    device: torch.device,
) -> None:
    """The plainest alternating GAN loop."""
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    rng = torch.Generator(device=device).manual_seed(0)
    data = data.to(device)

    def noise() -> torch.Tensor:
        draw = torch.rand if uniform else torch.randn
        return draw(batch, latent, generator=rng, device=device)

    for _ in range(steps):
        x = data[torch.randint(len(data), (batch,), generator=rng, device=device)]
        with torch.no_grad():
            x_fake = g(noise())
        d_loss = F.softplus(-d(x)).mean() + F.softplus(d(x_fake)).mean()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        g_loss = F.softplus(-d(g(noise()))).mean()
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
    float(g_loss.detach())  # wait for the device


def trainer_loop(
    g: nn.Module,
    d: nn.Module,
    data: torch.Tensor,
    steps: int,
    batch: int,
    latent: int,
    uniform: bool,
    device: torch.device,
    log_every: int,
) -> None:
    config = TrainerConfig(
        steps=steps, batch_size=batch, device=str(device), progress=False, log_every=log_every
    )
    prior = build_prior("uniform" if uniform else "gaussian", latent)
    run_gan(GANRunSpec(lambda: g, lambda: d, prior, data, config, seed=0))


def timed(fn: Callable[[], None]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def compare(
    name: str,
    make_models: Callable[[], tuple[nn.Module, nn.Module]],
    data: torch.Tensor,
    steps: int,
    batch: int,
    latent: int,
    uniform: bool,
    args: argparse.Namespace,
) -> float:
    device = resolve_device(args.device)
    best = {"bare": float("inf"), "trainer": float("inf")}
    for _ in range(args.repeats):
        torch.manual_seed(0)
        g, d = (m.to(device) for m in make_models())
        best["bare"] = min(
            best["bare"],
            timed(lambda g=g, d=d: bare_loop(g, d, data, steps, batch, latent, uniform, device)),
        )
        torch.manual_seed(0)
        g, d = make_models()
        best["trainer"] = min(
            best["trainer"],
            timed(
                lambda g=g, d=d: trainer_loop(
                    g, d, data, steps, batch, latent, uniform, device, args.log_every
                )
            ),
        )
    rate = {k: steps * batch / v for k, v in best.items()}
    ratio = rate["trainer"] / rate["bare"]
    print(
        f"{name:<34} bare {rate['bare']:>9.0f} samples/s  trainer {rate['trainer']:>9.0f} "
        f"samples/s  ratio {ratio:.2f}  ({steps} steps, batch {batch}, {device})"
    )
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--dcgan-steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--log-every", type=int, default=50)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch default)")
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    g2 = torch.Generator().manual_seed(0)
    points = torch.randn(10_000, 2, generator=g2)
    ratios = [
        compare(
            "MLP 2-D GAN (z 256-d, width 128x3)",
            lambda: (MLPGenerator(256, 2, 128, 3), MLPDiscriminator(2, 128, 3)),
            points,
            args.steps,
            256,
            256,
            True,
            args,
        )
    ]
    if args.dcgan_steps:
        images = torch.rand(512, 1, 28, 28, generator=g2) * 2 - 1
        ratios.append(
            compare(
                "DCGAN 28x28x1 (z 100-d, width 32)",
                lambda: (DCGANGenerator(100, 1, 32), DCGANDiscriminator(1, 32, batch_norm=False)),
                images,
                args.dcgan_steps,
                64,
                100,
                False,
                args,
            )
        )
    if args.dcgan_steps:
        stacked = yaml.safe_load(STACKED_CONF.read_text())["stacked_mnist"]
        model = DcganPair(**stacked["model"])  # the schema's defaults for keys conf leaves out
        width, dim = model.width, stacked["gaussian"]["dim"]
        colour = torch.rand(512, 3, 28, 28, generator=g2) * 2 - 1
        ratios.append(
            compare(
                f"Stacked MNIST d100 (conf: z {dim}-d, width {width})",
                lambda: (
                    DCGANGenerator(dim, 3, width, batch_norm=model.g_batch_norm),
                    DCGANDiscriminator(3, width, 1.0, batch_norm=model.d_batch_norm),
                ),
                colour,
                args.dcgan_steps * 5,
                stacked["trainer"]["batch_size"],
                dim,
                False,
                args,
            )
        )
    print(f"worst ratio {min(ratios):.2f} (goal >= 0.80)")


if __name__ == "__main__":
    main()
