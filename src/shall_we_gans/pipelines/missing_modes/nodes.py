"""Nodes of ``missing_modes`` (and ``text_modes``): train one 2-D GAN per seed and prior."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn

from shall_we_gans.data.toy import ToySample, grid, ring
from shall_we_gans.embedding import BourgainEmbedding, embed
from shall_we_gans.gan import GANTrainer, TrainerConfig, build_discriminator, build_generator
from shall_we_gans.gan.priors import GaussianMixturePrior, GaussianPrior, Prior
from shall_we_gans.gan.regularizers import BourganDistanceTerm
from shall_we_gans.metrics.modes import mode_metrics
from shall_we_gans.params.missing_modes import ALPHA_FINAL_FRACTION
from shall_we_gans.plotting.samples import scatter_panels
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow

TOY = {"grid": grid, "ring": ring}


def sample_modes_data(spec: dict[str, Any]) -> tuple[np.ndarray, ToySample]:
    """``spec.n`` training points (n×2) of the toy mixture ``spec.kind`` (grid or ring), and the
    mixture itself (its centres and std judge the samples)."""
    kind, options = spec["kind"], {k: v for k, v in spec.items() if k != "kind"}
    toy = TOY[kind](**options)
    return toy.points, toy


def dataset_trainer(
    trainer: dict[str, Any], overrides: dict[str, dict[str, Any]], dataset: str
) -> dict[str, Any]:
    """The trainer settings of ``dataset``: ``trainer`` with ``overrides[dataset]`` (if any)
    replacing its keys; both priors on that dataset train with them."""
    return {**trainer, **(overrides or {}).get(dataset, {})}


def embed_data_points(points: np.ndarray, bourgain: dict[str, Any]) -> BourgainEmbedding:
    """Bourgain embedding of ``bourgain.n_points`` points drawn (with ``bourgain.seed``) from
    ``points``, the samples of p_data; ``bourgain.repetitions`` subsets per level (absent or
    null: ⌈log₂ m⌉)."""
    rng = np.random.default_rng(bourgain["seed"])
    if bourgain["n_points"] > len(points):
        raise ValueError(
            f"bourgain.n_points ({bourgain['n_points']}) exceeds the {len(points)} data points"
        )
    chosen = points[rng.choice(len(points), bourgain["n_points"], replace=False)]
    return embed(
        chosen,
        seed=bourgain["seed"],
        jl=bourgain["jl"],
        metric=bourgain["metric"],
        repetitions=bourgain.get("repetitions"),
    )


def bourgain_latent(
    embedding: BourgainEmbedding, bourgain: dict[str, Any], steps: int
) -> tuple[GaussianMixturePrior, BourganDistanceTerm]:
    """The BourGAN prior and generator term: a uniform mixture of Gaussians (``sigma``) at the
    embedded points before rescaling, and α·MSE(log‖G(z₁)−G(z₂)‖, log(β‖z₁−z₂‖)), with α
    dropping to ``alpha_final`` for the last ``alpha_final_fraction`` of the ``steps``."""
    prior = GaussianMixturePrior(embedding.unscaled_coords, sigma=bourgain["sigma"])
    final_fraction = bourgain.get("alpha_final_fraction", ALPHA_FINAL_FRACTION)
    term = BourganDistanceTerm(
        beta=embedding.beta,
        alpha=bourgain["alpha"],
        alpha_final=bourgain.get("alpha_final"),
        switch_step=round(steps * (1.0 - final_fraction)),
    )
    return prior, term


def train_over_seeds(
    data: np.ndarray,
    prior: Prior,
    extra_g_loss,
    model: dict[str, Any],
    trainer: dict[str, Any],
    evaluation: dict[str, Any],
    seeds: list[int],
    prefix: str,
) -> tuple[nn.Module, dict[int, np.ndarray]]:
    """One GAN per seed (weights, batches and latent draws all seeded); return the first
    seed's generator and every seed's ``evaluation.n`` samples."""
    samples: dict[int, np.ndarray] = {}
    first: nn.Module | None = None
    for seed in seeds:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            generator = build_generator(
                "mlp", latent_dim=prior.dim, out_dim=data.shape[1], **model["generator"]
            )
            discriminator = build_discriminator(
                "mlp", in_dim=data.shape[1], **model["discriminator"]
            )
        config = {**trainer, "seed": seed, "metric_prefix": f"{prefix}.seed{seed}"}
        if config.get("checkpoint_dir"):
            config["checkpoint_dir"] = f"{config['checkpoint_dir']}/{prefix}/seed{seed}"
        gan = GANTrainer(
            generator,
            discriminator,
            prior,
            data,
            TrainerConfig.from_dict(config),
            extra_g_loss=extra_g_loss,
        )
        gan.fit()
        samples[seed] = gan.sample(evaluation["n"], seed=evaluation["seed"] + seed).numpy()
        if first is None:
            first = copy.deepcopy(gan.ema if gan.ema is not None else gan.generator).cpu().eval()
    return first, samples


def train_gaussian_prior(
    points: np.ndarray,
    gaussian: dict[str, Any],
    model: dict,
    trainer: dict,
    evaluation: dict,
    seeds: list[int],
    prefix: str,
) -> tuple[nn.Module, dict[int, np.ndarray]]:
    """The baseline: p_z = N(0, I) in ``gaussian.dim`` dimensions."""
    prior = GaussianPrior(gaussian["dim"])
    return train_over_seeds(points, prior, None, model, trainer, evaluation, seeds, prefix)


def train_bourgain_prior(
    points: np.ndarray,
    embedding: BourgainEmbedding,
    bourgain: dict[str, Any],
    model: dict,
    trainer: dict,
    evaluation: dict,
    seeds: list[int],
    prefix: str,
) -> tuple[nn.Module, dict[int, np.ndarray]]:
    """BourGAN: p_z = the Bourgain mixture, plus the distance-preserving generator term."""
    prior, term = bourgain_latent(embedding, bourgain, trainer["steps"])
    return train_over_seeds(points, prior, term, model, trainer, evaluation, seeds, prefix)


def evaluate_modes(
    samples: dict[int, np.ndarray], toy: ToySample, evaluation: dict[str, Any], prefix: str
) -> MetricsDict:
    """PacGAN's protocol per seed, and the mean over seeds, as ``{prefix}.{metric}``."""
    per_seed = {
        seed: mode_metrics(points, toy.centres, toy.std, n_sigma=evaluation["n_sigma"])
        for seed, points in samples.items()
    }
    metrics = {}
    for name in ("modes_covered", "hq_fraction", "kl_to_uniform"):
        values = [m[name] for m in per_seed.values()]
        metrics[f"{prefix}.{name}"] = float(np.mean(values))
        metrics.update({f"{prefix}.seed{s}.{name}": float(m[name]) for s, m in per_seed.items()})
    return metrics_for_mlflow(metrics)


def plot_modes(samples: dict[int, np.ndarray], toy: ToySample, prefix: str) -> Figure:
    """Generated samples of each seed over the mode centres (the seed's side-by-side picture)."""
    panels = {f"{prefix} seed {s}": {"p_g": points} for s, points in samples.items()}
    return scatter_panels(panels, centres=toy.centres)
