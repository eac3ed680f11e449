"""Nodes of ``text_lattice``: GANs on the lattice points of a rendered string."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from torch import nn

from shall_we_gans.data.text_lattice import TextLattice, text_lattice
from shall_we_gans.metrics.support import on_support, support_coverage
from shall_we_gans.pipelines.gan_nodes import (
    init_discriminator,
    init_generator,
    train_gan,
    variant_trainer,
)
from shall_we_gans.plotting.gan_figures import support_scatter
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow


def build_lattice(text: str, lattice: dict[str, Any]) -> TextLattice:
    """The lattice points of ``text`` (``lattice``: ``font_path``, ``pixel_height``, ``stride``).

    A font that lacks a character of ``text`` raises ``ValueError`` naming ``font_path``.
    """
    return text_lattice(text, **lattice)


def train_on_lattice(
    generator: nn.Module,
    lattice: TextLattice,
    model: dict[str, Any],
    trainer: dict[str, Any],
    evaluation: dict[str, Any],
    metric_prefix: str,
) -> tuple[nn.Module, pd.DataFrame, np.ndarray]:
    """Train ``generator`` (fresh or warm) against a fresh D on the uniform lattice distribution.

    Every support point is one training example, so shuffled epochs draw them uniformly.
    """
    trained, _, history, samples = train_gan(
        generator,
        init_discriminator(model, lattice.support.shape[1]),
        lattice.support,
        model,
        variant_trainer(trainer, metric_prefix=metric_prefix),
        evaluation,
    )
    return trained, history, samples


def evaluate_on_lattice(
    samples: np.ndarray, lattice: TextLattice, metric_prefix: str
) -> MetricsDict:
    """``{prefix}.on_support`` and ``{prefix}.support_coverage`` of the samples."""
    return metrics_for_mlflow(
        {
            f"{metric_prefix}.on_support": on_support(samples, lattice.support, lattice.step),
            f"{metric_prefix}.support_coverage": support_coverage(samples, lattice.support),
        }
    )


def plot_on_lattice(samples: np.ndarray, lattice: TextLattice, metric_prefix: str) -> Figure:
    """The samples drawn over the lattice points."""
    return support_scatter(samples, lattice.support, title=metric_prefix)


__all__ = [
    "build_lattice",
    "evaluate_on_lattice",
    "init_generator",
    "plot_on_lattice",
    "train_on_lattice",
]
