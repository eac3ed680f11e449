"""Nodes of ``text_modes``: the lattice data and its judges; training and the two priors are
shared with ``missing_modes`` (``pipelines.prior_nodes``)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from shall_we_gans.data.text_lattice import TextLattice, sample_lattice, text_lattice
from shall_we_gans.metrics.support import support_metrics
from shall_we_gans.params.missing_modes import ModesEvaluation, TextData, Variant
from shall_we_gans.pipelines.prior_nodes import held_out, per_seed_metrics
from shall_we_gans.plotting.gan_figures import support_scatter
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow


def build_text_data(data: TextData) -> tuple[np.ndarray, TextLattice]:
    """The lattice of ``data.text`` and ``data.n`` uniform draws from it (``data.seed``)."""
    lattice = text_lattice(
        data.text, font_path=data.font_path, pixel_height=data.pixel_height, stride=data.stride
    )
    return sample_lattice(lattice, data.n, data.seed, jitter=data.jitter), lattice


def evaluate_support(
    samples: dict[int, np.ndarray], lattice: TextLattice, variant: Variant, tuning_seeds: list[int]
) -> MetricsDict:
    """``{prefix}.on_support`` (samples in a glyph pixel's cell) and
    ``{prefix}.support_coverage`` (cells holding a sample): mean over seeds, and each seed; no
    seed may be one of ``tuning_seeds``."""
    per_seed = {
        seed: support_metrics(points, lattice.support, lattice.step)
        for seed, points in held_out(samples, tuning_seeds).items()
    }
    return metrics_for_mlflow(per_seed_metrics(per_seed, variant.metric_prefix))


def ideal_support(
    lattice: TextLattice, evaluation: ModesEvaluation, seeds: list[int]
) -> MetricsDict:
    """The best possible values: ``ideal.on_support`` and ``ideal.support_coverage`` of
    ``evaluation.n`` draws from p_data itself, for each seed with the judged samples' seed
    ``evaluation.seed + seed`` (mean over seeds, and each seed)."""
    per_seed = {
        seed: support_metrics(
            sample_lattice(lattice, evaluation.n, evaluation.seed + seed),
            lattice.support,
            lattice.step,
        )
        for seed in seeds
    }
    return metrics_for_mlflow(per_seed_metrics(per_seed, "ideal"))


def plot_support(samples: dict[int, np.ndarray], lattice: TextLattice, variant: Variant) -> Figure:
    """Generated samples of the first seed (in colour) over the lattice points (grey), on an
    aspect-true axis fitted to the text."""
    seed, points = next(iter(samples.items()))
    title = f"{variant.metric_prefix} seed {seed} over p_data ({len(lattice.support)} points)"
    return support_scatter(points, lattice.support, title=title)
