"""Node code shared by the GAN pipelines: models from a typed ``model`` block, a variant's
trainer settings, training with the run's MLflow sink, and 2-D Gaussian data."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn

from shall_we_gans.data.toy import gaussian
from shall_we_gans.gan import (
    GANTrainer,
    Prior,
    TrainerConfig,
    build_discriminator,
    build_generator,
    build_prior,
)
from shall_we_gans.gan.trainer import ExtraGLoss
from shall_we_gans.params.gaussian_2d import (
    DiscriminatorSpec,
    EvaluationSpec,
    GaussianDataSpec,
    GeneratorSpec,
    ModelSpec,
)
from shall_we_gans.tracking import MlflowMetricLogger


def sample_gaussian_data(data: GaussianDataSpec) -> np.ndarray:
    """``data.n`` training points (float32 n×2) of N(``data.mean``, ``data.cov``)."""
    return gaussian(data.n, data.mean, data.cov, data.seed).points


def seeded(build: Callable[[], nn.Module], seed: int) -> nn.Module:
    """``build()`` with torch's RNG seeded with ``seed``, the caller's RNG state left as it was.
    The project's rule for a pair: G with the run's seed, D with seed + 1."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build()


def mlp_pair(
    generator: GeneratorSpec,
    discriminator: DiscriminatorSpec,
    latent_dim: int,
    dim: int,
    seed: int,
) -> tuple[nn.Module, nn.Module]:
    """A fresh MLP generator (weights drawn with ``seed``) and discriminator (``seed + 1``)."""
    g_spec, d_spec = generator.model_dump(), discriminator.model_dump()
    g = seeded(lambda: build_generator("mlp", latent_dim=latent_dim, out_dim=dim, **g_spec), seed)
    d = seeded(lambda: build_discriminator("mlp", in_dim=dim, **d_spec), seed + 1)
    return g, d


def init_generator(model: ModelSpec, out_dim: int = 2) -> nn.Module:
    """A fresh ``MLPGenerator`` from ``model`` (weights drawn with ``model.seed``)."""
    spec = model.generator.model_dump()
    return seeded(
        lambda: build_generator("mlp", latent_dim=model.prior.dim, out_dim=out_dim, **spec),
        model.seed,
    )


def init_discriminator(model: ModelSpec, in_dim: int = 2) -> nn.Module:
    """A fresh ``MLPDiscriminator`` from ``model`` (weights drawn with ``model.seed + 1``)."""
    spec = model.discriminator.model_dump()
    return seeded(lambda: build_discriminator("mlp", in_dim=in_dim, **spec), model.seed + 1)


def init_prior(model: ModelSpec) -> Prior:
    """The latent prior ``model.prior`` (``name``, ``dim``)."""
    return build_prior(model.prior.name, model.prior.dim)


def variant_trainer(trainer: TrainerConfig, metric_prefix: str, **changes) -> TrainerConfig:
    """The shared trainer settings for one variant (its ``metric_prefix`` and ``changes``);
    checkpoints go to ``checkpoint_dir/<metric_prefix with / for .>``."""
    folder = trainer.checkpoint_dir
    if folder:
        folder = str(Path(folder, *metric_prefix.split(".")))
    return dataclasses.replace(
        trainer, metric_prefix=metric_prefix, checkpoint_dir=folder, **changes
    )


def fit(
    generator: nn.Module,
    discriminator: nn.Module,
    prior: Prior,
    data: np.ndarray,
    trainer: TrainerConfig,
    extra_g_loss: ExtraGLoss | None = None,
) -> GANTrainer:
    """Train ``generator`` and ``discriminator`` (trained in place) with the active MLflow
    run as the metric sink; return the trainer."""
    with MlflowMetricLogger() as log:
        gan = GANTrainer(
            generator,
            discriminator,
            prior,
            data,
            trainer,
            extra_g_loss=extra_g_loss,
            log_metrics=log,
        )
        gan.fit()
    return gan


def train_gan(
    generator: nn.Module,
    discriminator: nn.Module,
    data: np.ndarray,
    model: ModelSpec,
    trainer: TrainerConfig,
    evaluation: EvaluationSpec,
) -> tuple[nn.Module, nn.Module, pd.DataFrame, np.ndarray]:
    """Train copies of ``generator`` and ``discriminator`` on ``data`` (the inputs stay as given).

    The copies are made trainable (a saved EMA generator is frozen). Returns the trained G (its
    EMA when ``ema_decay`` is set) and D on the CPU, the history and ``evaluation.n`` samples
    drawn with ``evaluation.seed``.
    """
    gan = fit(
        copy.deepcopy(generator).requires_grad_(True),
        copy.deepcopy(discriminator).requires_grad_(True),
        init_prior(model),
        data,
        trainer,
    )
    samples = gan.sample(evaluation.n, seed=evaluation.seed).numpy()
    trained = gan.generator if gan.ema is None else gan.ema.requires_grad_(True)
    return trained.cpu().eval(), gan.discriminator.cpu().eval(), gan.history_frame(), samples
