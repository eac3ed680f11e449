"""Nodes of ``text_lattice``: GANs on the lattice points of a rendered string."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from torch import nn

from shall_we_gans.data.text_lattice import TextLattice, sample_lattice, text_lattice
from shall_we_gans.gan import TrainerConfig
from shall_we_gans.metrics.support import support_metrics
from shall_we_gans.params.gaussian_2d import EvaluationSpec, ModelSpec
from shall_we_gans.params.text_lattice import LatticeSpec, TextVariant
from shall_we_gans.pipelines.gan_nodes import train_gan, variant_trainer
from shall_we_gans.plotting.gan_figures import support_scatter
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow


def build_lattice(variant: TextVariant, lattice: LatticeSpec) -> TextLattice:
    """The lattice points of ``variant.text`` (``lattice``: font, pixel height, stride).

    A font that lacks a character of the text raises ``ValueError`` naming ``font_path``.
    """
    return text_lattice(variant.text, **lattice.model_dump())


def train_on_lattice(
    generator: nn.Module,
    lattice: TextLattice,
    model: ModelSpec,
    trainer: TrainerConfig,
    evaluation: EvaluationSpec,
    variant: TextVariant,
) -> tuple[nn.Module, pd.DataFrame, np.ndarray]:
    """Train ``generator`` (fresh or warm) against a fresh D on the uniform lattice distribution.

    Every support point is one training example, so shuffled epochs draw them uniformly.
    """
    config = variant_trainer(trainer, variant.metric_prefix)
    return train_gan(generator, lattice.support, model, config, evaluation)


def evaluate_on_lattice(
    samples: np.ndarray, lattice: TextLattice, evaluation: EvaluationSpec, variant: TextVariant
) -> MetricsDict:
    """``{prefix}.on_support`` (samples in a glyph pixel's cell) and
    ``{prefix}.support_coverage`` (cells holding a sample), beside the best possible values
    ``ideal.{prefix}.*``: as many draws from p_data itself, with ``evaluation.seed``."""
    prefix = variant.metric_prefix
    ideal = sample_lattice(lattice, len(samples), evaluation.seed)
    metrics = {}
    for name, points in ((prefix, samples), (f"ideal.{prefix}", ideal)):
        for metric, value in support_metrics(points, lattice.support, lattice.step).items():
            metrics[f"{name}.{metric}"] = value
    return metrics_for_mlflow(metrics)


def plot_on_lattice(samples: np.ndarray, lattice: TextLattice, variant: TextVariant) -> Figure:
    """The samples drawn over the lattice points."""
    return support_scatter(samples, lattice.support, title=variant.metric_prefix)
