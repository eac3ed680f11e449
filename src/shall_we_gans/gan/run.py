"""One place that runs a GAN: ``run_gan(spec, sink)``.

The recipe, written once: G's weights drawn with ``spec.seed`` and D's with ``spec.seed + 1``
(the caller's RNG left as it was), a ``GANTrainer`` reporting to the metric sink handed in,
trained by ``spec``'s schedule (``fit`` by default: the whole budget, with checkpoints and
resume), and a ``GANRun`` to draw samples from and take the trained generator (its EMA when
one is kept) out of. A pipeline node builds the spec from its parameter block and hands in its
MLflow run's sink; a notebook or a test hands in ``MemorySink`` or nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from shall_we_gans.gan.batches import DataSource
from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.gan.priors import Prior
from shall_we_gans.gan.sinks import MetricSink, flush
from shall_we_gans.gan.trainer import ExtraGLoss, GANTrainer

Schedule = Callable[[GANTrainer], Any]


def seeded(build: Callable[[], nn.Module], seed: int) -> nn.Module:
    """``build()`` with torch's RNG seeded with ``seed``, the caller's RNG state left as it was."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build()


def fit(gan: GANTrainer) -> None:
    """The default schedule: ``gan.fit()`` (the whole budget; resume when configured)."""
    gan.fit()


@dataclass(frozen=True)
class GANRunSpec:
    """What one GAN run is: the two networks' builders (called under ``seed`` and
    ``seed + 1``), the latent prior, the real data (``GANTrainer``'s ``data``), the trainer
    settings, BourGAN-style ``extra_g_loss`` and the training ``schedule(gan)`` (its return
    value becomes ``GANRun.outcome``)."""

    generator: Callable[[], nn.Module]
    discriminator: Callable[[], nn.Module]
    prior: Prior
    data: DataSource
    trainer: TrainerConfig
    seed: int
    extra_g_loss: ExtraGLoss | None = None
    schedule: Schedule = fit


@dataclass
class GANRun:
    """A finished run: the trainer (weights, history, EMA) and what its schedule returned."""

    gan: GANTrainer
    outcome: Any = None

    def generator(self, use_ema: bool = True) -> nn.Module:
        """A copy of the trained generator (the EMA one when kept and ``use_ema``), on the
        CPU in eval mode."""
        if use_ema:
            self.gan.refresh_ema()
        trained = self.gan.ema if use_ema and self.gan.ema is not None else self.gan.generator
        return copy.deepcopy(trained).cpu().eval()

    def sample(self, n: int, seed: int) -> torch.Tensor:
        """``n`` samples on the CPU from the EMA generator when kept, latent seed ``seed``."""
        return self.gan.sample(n, seed=seed)


def run_gan(
    spec: GANRunSpec, sink: MetricSink | None = None, run_name: str | None = None
) -> GANRun:
    """Build the pair under ``spec.seed``, train it by ``spec.schedule`` reporting to ``sink``
    (flushed at the end) and return the run. ``run_name``: the folder of its
    checkpoints under ``trainer.checkpoint_dir`` (a pipeline passes its MLflow run id)."""
    generator = seeded(spec.generator, spec.seed)
    discriminator = seeded(spec.discriminator, spec.seed + 1)
    gan = GANTrainer(
        generator,
        discriminator,
        spec.prior,
        spec.data,
        spec.trainer,
        extra_g_loss=spec.extra_g_loss,
        log_metrics=sink,
        run_name=run_name,
    )
    outcome = spec.schedule(gan)
    if sink is not None:
        flush(sink)
    return GANRun(gan, outcome)
