"""Nodes of ``text_lattice``: GANs on the lattice points of a rendered string."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from torch import nn

from shall_we_gans.data.text_lattice import TextLattice, sample_lattice, text_lattice
from shall_we_gans.gan import GANTrainer, TrainerConfig
from shall_we_gans.gan.run import Schedule
from shall_we_gans.metrics.support import support_metrics
from shall_we_gans.params.gaussian_2d import EvaluationSpec, ModelSpec
from shall_we_gans.params.text_lattice import CurveSpec, LatticeSpec, TextVariant
from shall_we_gans.pipelines.gan_nodes import mlp_spec, train, variant_trainer
from shall_we_gans.plotting.gan_figures import glyph_curves_figure, support_scatter
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
    curve: CurveSpec,
    variant: TextVariant,
) -> tuple[nn.Module, pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Train a copy of ``generator`` (fresh or warm) against a fresh D on the uniform lattice
    distribution (every support point is one training example, so shuffled epochs draw them
    uniformly), judging it on the glyphs every ``curve.every`` steps.

    Returns the trained G (its EMA when kept), the trainer's history, ``evaluation.n`` samples
    and the on-glyph curve (``step``, ``on_support``, ``support_coverage``).
    """
    config = variant_trainer(trainer, variant.metric_prefix)
    spec = mlp_spec(generator, lattice.support, model, config, schedule=glyph_curve(lattice, curve))
    run = train(spec)
    samples = run.sample(evaluation.n, seed=evaluation.seed).numpy()
    return run.generator(), run.gan.history_frame(), samples, run.outcome


def glyph_curve(lattice: TextLattice, curve: CurveSpec) -> Schedule:
    """A schedule: train to the budget (resuming as ``fit`` does) in chunks of
    ``curve.every`` steps; after each, ``curve.n`` samples' ``on_support`` and
    ``support_coverage`` go to the run's sink as ``{prefix}.on_support_curve`` and
    ``{prefix}.coverage_curve`` at that step. Returns the curve as a frame."""

    def schedule(gan: GANTrainer) -> pd.DataFrame:
        gan.resume()
        prefix, rows = gan.config.metric_prefix, []
        while gan.step < gan.config.steps:
            gan.train(min(curve.every, gan.config.steps - gan.step))
            samples = gan.sample(curve.n, seed=curve.seed).numpy()
            rows.append(
                {"step": gan.step, **support_metrics(samples, lattice.support, lattice.step)}
            )
            named = {"on_support_curve": "on_support", "coverage_curve": "support_coverage"}
            points = {f"{prefix}.{k}" if prefix else k: rows[-1][v] for k, v in named.items()}
            gan.log_metrics(points, gan.step)
        return pd.DataFrame(rows, columns=["step", "on_support", "support_coverage"])

    return schedule


def steps_to(curve: pd.DataFrame, threshold: float) -> int | None:
    """The first step of ``curve`` whose ``on_support`` reached ``threshold``, else ``None``."""
    reached = curve.loc[curve["on_support"] >= threshold, "step"]
    return int(reached.iloc[0]) if len(reached) else None


def evaluate_on_lattice(
    samples: np.ndarray,
    lattice: TextLattice,
    curve_frame: pd.DataFrame,
    evaluation: EvaluationSpec,
    curve: CurveSpec,
    variant: TextVariant,
) -> MetricsDict:
    """``{prefix}.on_support`` (samples in a glyph pixel's cell) and
    ``{prefix}.support_coverage`` (cells holding a sample), beside the best possible values
    ``ideal.{prefix}.*``: as many draws from p_data itself, with ``evaluation.seed``; and
    ``{prefix}.steps_to_{curve.threshold}`` when the on-glyph curve reached it."""
    prefix = variant.metric_prefix
    ideal = sample_lattice(lattice, len(samples), evaluation.seed)
    metrics = {}
    reached = steps_to(curve_frame, curve.threshold)
    if reached is not None:
        metrics[f"{prefix}.steps_to_{curve.threshold:g}"] = reached
    for name, points in ((prefix, samples), (f"ideal.{prefix}", ideal)):
        for metric, value in support_metrics(points, lattice.support, lattice.step).items():
            metrics[f"{name}.{metric}"] = value
    return metrics_for_mlflow(metrics)


def plot_on_lattice(samples: np.ndarray, lattice: TextLattice, variant: TextVariant) -> Figure:
    """The samples drawn over the lattice points."""
    return support_scatter(samples, lattice.support, title=variant.metric_prefix)


def plot_warm_start(warm: pd.DataFrame, cold: pd.DataFrame, curve: CurveSpec) -> Figure:
    """令和's on-glyph curve warm-started from the 平成 generator against from scratch."""
    return glyph_curves_figure({"reiwa_warm": warm, "reiwa_cold": cold}, curve.threshold)
