"""Nodes of ``missing_modes``: p_data samples of a grid or a ring, judged by PacGAN's protocol.

Training and the two priors are shared with ``text_modes`` (``pipelines.prior_nodes``).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from shall_we_gans.data.toy import ToySample, grid, ring
from shall_we_gans.metrics.modes import mode_metrics
from shall_we_gans.params.missing_modes import GridData, ModesEvaluation, RingData, Variant
from shall_we_gans.pipelines.prior_nodes import held_out, per_seed_metrics
from shall_we_gans.plotting.samples import scatter_panels
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow


def sample_grid(spec: GridData) -> tuple[np.ndarray, ToySample]:
    """``spec.n`` training points (n×2) of the k×k grid mixture, and the mixture itself (its
    centres and std judge the samples)."""
    toy = grid(spec.n, k=spec.k, spacing=spec.spacing, std=spec.std, seed=spec.seed)
    return toy.points, toy


def sample_ring(spec: RingData) -> tuple[np.ndarray, ToySample]:
    """``spec.n`` training points (n×2) of the ring mixture, and the mixture itself."""
    toy = ring(spec.n, n_modes=spec.n_modes, radius=spec.radius, std=spec.std, seed=spec.seed)
    return toy.points, toy


def evaluate_modes(
    samples: dict[int, np.ndarray],
    toy: ToySample,
    evaluation: ModesEvaluation,
    variant: Variant,
    tuning_seeds: list[int],
) -> MetricsDict:
    """PacGAN's protocol per seed, and the mean over seeds, as ``{prefix}.{metric}``; no seed
    may be one of ``tuning_seeds``."""
    names = ("modes_covered", "hq_fraction", "kl_to_uniform")
    per_seed = {}
    for seed, points in held_out(samples, tuning_seeds).items():
        judged = mode_metrics(points, toy.centres, toy.std, n_sigma=evaluation.n_sigma)
        per_seed[seed] = {name: judged[name] for name in names}
    return metrics_for_mlflow(per_seed_metrics(per_seed, variant.metric_prefix))


def plot_modes(samples: dict[int, np.ndarray], toy: ToySample, variant: Variant) -> Figure:
    """Generated samples of each seed over the mode centres (the seed's side-by-side picture)."""
    panels = {f"{variant.metric_prefix} seed {s}": {"p_g": pts} for s, pts in samples.items()}
    return scatter_panels(panels, centres=toy.centres)
