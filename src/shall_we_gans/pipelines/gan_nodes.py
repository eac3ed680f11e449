"""Node code shared by the GAN pipelines: networks from a typed ``model`` block, a variant's
trainer settings, ``train``: ``gan.run_gan`` with the node's metric sink, and 2-D Gaussian
data."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from torch import nn

from shall_we_gans.data.toy import gaussian
from shall_we_gans.gan import (
    GANRun,
    GANRunSpec,
    Prior,
    TrainerConfig,
    build_discriminator,
    build_generator,
    build_prior,
    run_gan,
    seeded,
)
from shall_we_gans.params.gaussian_2d import (
    DiscriminatorSpec,
    EvaluationSpec,
    GaussianDataSpec,
    GeneratorSpec,
    ModelSpec,
)
from shall_we_gans.tracking import current_run_id, run_sink

Builder = Callable[[], nn.Module]


def sample_gaussian_data(data: GaussianDataSpec) -> np.ndarray:
    """``data.n`` training points (float32 n×2) of N(``data.mean``, ``data.cov``)."""
    return gaussian(data.n, data.mean, data.cov, data.seed).points


def train(spec: GANRunSpec) -> GANRun:
    """``run_gan(spec)`` reporting to the pipeline's MLflow run when there is one (else to
    nothing: the outputs hold what was measured), checkpoints in that run's folder."""
    with run_sink() as sink:
        return run_gan(spec, sink, run_name=current_run_id())


def mlp_builders(
    generator: GeneratorSpec, discriminator: DiscriminatorSpec, latent_dim: int, dim: int
) -> tuple[Builder, Builder]:
    """Builders of a fresh MLP generator and discriminator (``run_gan`` seeds them)."""
    g_spec, d_spec = generator.model_dump(), discriminator.model_dump()
    return (
        lambda: build_generator("mlp", latent_dim=latent_dim, out_dim=dim, **g_spec),
        lambda: build_discriminator("mlp", in_dim=dim, **d_spec),
    )


def init_generator(model: ModelSpec, out_dim: int = 2) -> nn.Module:
    """A fresh ``MLPGenerator`` from ``model`` (weights drawn with ``model.seed``, the seed
    ``run_gan`` gives G)."""
    build, _ = mlp_builders(model.generator, model.discriminator, model.prior.dim, out_dim)
    return seeded(build, model.seed)


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


def mlp_spec(
    generator: nn.Module,
    data: np.ndarray,
    model: ModelSpec,
    trainer: TrainerConfig,
    **changes,
) -> GANRunSpec:
    """A run of a copy of ``generator`` (made trainable: a saved EMA generator is frozen)
    against a fresh MLP discriminator of ``model`` (seed ``model.seed + 1``)."""
    _, build_d = mlp_builders(model.generator, model.discriminator, model.prior.dim, data.shape[1])
    return GANRunSpec(
        generator=lambda: copy.deepcopy(generator).requires_grad_(True),
        discriminator=build_d,
        prior=init_prior(model),
        data=data,
        trainer=trainer,
        seed=model.seed,
        **changes,
    )


def train_gan(
    generator: nn.Module,
    data: np.ndarray,
    model: ModelSpec,
    trainer: TrainerConfig,
    evaluation: EvaluationSpec,
) -> tuple[nn.Module, pd.DataFrame, np.ndarray]:
    """Train a copy of ``generator`` (the input stays as given) against a fresh D on ``data``.

    Returns the trained G (its EMA when ``ema_decay`` is set) on the CPU, the history and
    ``evaluation.n`` samples drawn with ``evaluation.seed``.
    """
    run = train(mlp_spec(generator, data, model, trainer))
    samples = run.sample(evaluation.n, seed=evaluation.seed).numpy()
    return run.generator(), run.gan.history_frame(), samples
