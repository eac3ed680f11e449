"""Nodes of ``missing_modes``: per training seed, a draw of p_data (a grid or a ring) and its
Bourgain embedding, one GAN per prior on it, judged by PacGAN's protocol.

Nothing is shared between seeds but the settings: training seed ``s`` draws its p_data sample
with the data seed ``data.<dataset>.seed + s`` and its embedding (the points embedded, the
subsets, the JL projection) with ``bourgain.seed + s``, so an evaluation seed meets neither the
sample nor the embedding the settings were tuned on. Both priors train on the same draw.
``benchmarks/tune_missing_modes.py`` draws through ``draw_for_seed`` too. The training itself is
shared with ``text_modes`` (``pipelines.prior_nodes``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from shall_we_gans.data.toy import ToySample, grid, ring
from shall_we_gans.embedding import BourgainEmbedding
from shall_we_gans.gan import TrainerConfig
from shall_we_gans.metrics.modes import mode_metrics
from shall_we_gans.params.missing_modes import (
    BourgainSpec,
    GaussianPriorSpec,
    GridData,
    MlpPair,
    ModesEvaluation,
    RingData,
    Variant,
)
from shall_we_gans.pipelines.prior_nodes import (
    SeedRun,
    bourgain_latent,
    embed_data_points,
    gaussian_latent,
    held_out,
    per_seed_metrics,
    train_one,
)
from shall_we_gans.plotting.samples import scatter_panels
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow


@dataclass(frozen=True, eq=False)
class SeedDraw:
    """One training seed's data: p_data's sample (``toy.points``, with the mixture's centres
    and std) and the Bourgain embedding of ``bourgain.n_points`` of those points."""

    toy: ToySample
    embedding: BourgainEmbedding


def sample_for_seed(spec: GridData | RingData, seed: int) -> ToySample:
    """``spec.n`` points of the grid or ring mixture for training seed ``seed``, drawn with
    the data seed ``spec.seed + seed``."""
    make = grid if spec.kind == "grid" else ring
    return make(**spec.model_dump(exclude={"kind", "seed"}), seed=spec.seed + seed)


def embed_for_seed(points: np.ndarray, bourgain: BourgainSpec, seed: int) -> BourgainEmbedding:
    """The Bourgain embedding for training seed ``seed``: ``bourgain.n_points`` of ``points``
    chosen and embedded with the seed ``bourgain.seed + seed``."""
    return embed_data_points(points, bourgain.model_copy(update={"seed": bourgain.seed + seed}))


def draw_for_seed(spec: GridData | RingData, bourgain: BourgainSpec, seed: int) -> SeedDraw:
    """p_data's sample and its Bourgain embedding for training seed ``seed``."""
    toy = sample_for_seed(spec, seed)
    return SeedDraw(toy, embed_for_seed(toy.points, bourgain, seed))


def draw_grid(
    spec: GridData, bourgain: BourgainSpec, seeds: list[int]
) -> tuple[dict[int, SeedDraw], ToySample]:
    """Each seed's draw of the k×k grid mixture ``{seed: SeedDraw}``, and the mixture of the
    first seed (its centres and std, the same for every seed, judge the samples)."""
    draws = {seed: draw_for_seed(spec, bourgain, seed) for seed in seeds}
    return draws, draws[seeds[0]].toy


def draw_ring(
    spec: RingData, bourgain: BourgainSpec, seeds: list[int]
) -> tuple[dict[int, SeedDraw], ToySample]:
    """Each seed's draw of the ring mixture, and the mixture (as ``draw_grid``)."""
    draws = {seed: draw_for_seed(spec, bourgain, seed) for seed in seeds}
    return draws, draws[seeds[0]].toy


def train_gaussian_seed(
    draws: dict[int, SeedDraw],
    gaussian: GaussianPriorSpec,
    model: MlpPair,
    trainer: TrainerConfig,
    evaluation: ModesEvaluation,
    seeds: list[int],
    variant: Variant,
    *,
    slot: int,
) -> dict[int, SeedRun]:
    """Seed slot ``slot``: a GAN with p_z = N(0, I) on the seed's draw of p_data
    (``prior_nodes.train_one``); ``{}`` when there are fewer seeds than slots."""
    if slot >= len(seeds):
        return {}
    seed = seeds[slot]
    points, latent = draws[seed].toy.points, gaussian_latent(gaussian)
    return train_one(points, latent, model, trainer, evaluation, seed, variant)


def train_bourgain_seed(
    draws: dict[int, SeedDraw],
    bourgain: BourgainSpec,
    model: MlpPair,
    trainer: TrainerConfig,
    evaluation: ModesEvaluation,
    seeds: list[int],
    variant: Variant,
    *,
    slot: int,
) -> dict[int, SeedRun]:
    """Seed slot ``slot``: a GAN with the Bourgain mixture of the seed's own embedding as p_z,
    on the seed's draw of p_data; ``{}`` when there are fewer seeds than slots."""
    if slot >= len(seeds):
        return {}
    seed, draw = seeds[slot], draws[seeds[slot]]
    latent = bourgain_latent(draw.embedding, bourgain, trainer)
    return train_one(draw.toy.points, latent, model, trainer, evaluation, seed, variant)


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
