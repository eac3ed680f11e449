"""Node helpers shared by the 2-D GAN pipelines (``gaussian_2d``, ``text_lattice``,
``gradient_vanishing``): models from a ``model`` block, per-variant trainer blocks, training."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from shall_we_gans.gan import (
    GANTrainer,
    Prior,
    TrainerConfig,
    build_discriminator,
    build_generator,
    build_prior,
)


def init_generator(model: dict[str, Any], out_dim: int = 2) -> nn.Module:
    """A fresh ``MLPGenerator`` from ``model`` (weights drawn with ``model.seed``)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(model["seed"])
        latent_dim = model["prior"]["dim"]
        return build_generator("mlp", latent_dim=latent_dim, out_dim=out_dim, **model["generator"])


def init_discriminator(model: dict[str, Any], in_dim: int = 2) -> nn.Module:
    """A fresh ``MLPDiscriminator`` from ``model`` (weights drawn with ``model.seed + 1``)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(model["seed"] + 1)
        return build_discriminator("mlp", in_dim=in_dim, **model["discriminator"])


def init_prior(model: dict[str, Any]) -> Prior:
    """The latent prior ``model.prior`` (``name``, ``dim``)."""
    return build_prior(model["prior"]["name"], model["prior"]["dim"])


def variant_trainer(trainer: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """The shared trainer block with a variant's settings; checkpoints go to a per-variant folder.

    ``overrides`` must set ``metric_prefix`` (the variant's name).
    """
    merged = {**trainer, **overrides}
    if merged.get("checkpoint_dir"):
        merged["checkpoint_dir"] = str(Path(merged["checkpoint_dir"]) / merged["metric_prefix"])
    return merged


def train_gan(
    generator: nn.Module,
    discriminator: nn.Module,
    data: np.ndarray,
    model: dict[str, Any],
    trainer: dict[str, Any],
    evaluation: dict[str, Any],
) -> tuple[nn.Module, nn.Module, pd.DataFrame, np.ndarray]:
    """Train copies of ``generator`` and ``discriminator`` on ``data`` (the inputs stay as given).

    The copies are made trainable (a saved EMA generator is frozen). Returns the trained G (its
    EMA when ``ema_decay`` is set) and D on the CPU, the history and ``evaluation.n`` samples
    drawn with ``evaluation.seed``.
    """
    gan = GANTrainer(
        copy.deepcopy(generator).requires_grad_(True),
        copy.deepcopy(discriminator).requires_grad_(True),
        init_prior(model),
        data,
        TrainerConfig.from_dict(trainer),
    )
    history = gan.fit()
    samples = gan.sample(evaluation["n"], seed=evaluation["seed"]).numpy()
    trained = gan.generator if gan.ema is None else gan.ema.requires_grad_(True)
    return trained.cpu().eval(), gan.discriminator.cpu().eval(), history, samples
