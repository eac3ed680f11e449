"""Node code shared by ``missing_modes`` and ``text_modes``: the Bourgain embedding of p_data
samples, the two latent priors, and one GAN per seed on 2-D points (``train_seed``: one
shared sample and latent for every seed, as ``text_modes`` does; ``missing_modes`` draws both
per seed and trains each with ``train_one``).

Seeds are spread over nodes: a variant has one ``train_seed`` node per seed slot (slot i
trains ``seeds[i]``; the slot count is fixed when the pipeline is built, the seed values come
from the parameters) and one ``gather_seeds`` node, so any Kedro runner can train seeds in
parallel."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch import nn

from shall_we_gans.embedding import BourgainEmbedding, embed
from shall_we_gans.gan import GANRunSpec, TrainerConfig
from shall_we_gans.gan.priors import GaussianMixturePrior, GaussianPrior, Prior, bourgain_beta
from shall_we_gans.gan.regularizers import BourganDistanceTerm
from shall_we_gans.params.missing_modes import (
    BourgainSpec,
    GaussianPriorSpec,
    MlpPair,
    ModesEvaluation,
    Variant,
)
from shall_we_gans.pipelines.gan_nodes import mlp_builders, train, variant_trainer


@dataclass(frozen=True)
class Latent:
    """A latent prior and the generator term trained with it (``None``: none)."""

    prior: Prior
    extra_g_loss: BourganDistanceTerm | None = None


def choose_points(points: np.ndarray, bourgain: BourgainSpec) -> np.ndarray:
    """``bourgain.n_points`` of ``points`` (samples of p_data), drawn with ``bourgain.seed``."""
    if bourgain.n_points > len(points):
        raise ValueError(
            f"bourgain.n_points ({bourgain.n_points}) exceeds the {len(points)} data points"
        )
    return points[chosen_indices(len(points), bourgain)]


def chosen_indices(n: int, bourgain: BourgainSpec) -> np.ndarray:
    """The indices of ``choose_points`` among ``n`` points."""
    rng = np.random.default_rng(bourgain.seed)
    return rng.choice(n, bourgain.n_points, replace=False)


def embed_points(points: np.ndarray, bourgain: BourgainSpec) -> BourgainEmbedding:
    """Bourgain embedding of ``points`` (flattened) with ``bourgain``'s seed and metric, and
    its variant's JL and subsets per level (``BourgainSpec.embedding_options``)."""
    return embed(
        points.reshape(len(points), -1),
        seed=bourgain.seed,
        metric=bourgain.metric,
        **bourgain.embedding_options,
    )


def embed_data_points(points: np.ndarray, bourgain: BourgainSpec) -> BourgainEmbedding:
    """Bourgain embedding of ``bourgain.n_points`` points drawn from ``points``."""
    return embed_points(choose_points(points, bourgain), bourgain)


def gaussian_latent(gaussian: GaussianPriorSpec) -> Latent:
    """The baseline: p_z = N(0, I) in ``gaussian.dim`` dimensions."""
    return Latent(GaussianPrior(gaussian.dim))


def bourgain_latent(
    embedding: BourgainEmbedding,
    bourgain: BourgainSpec,
    trainer: TrainerConfig,
    features: nn.Module | None = None,
) -> Latent:
    """BourGAN: a uniform mixture of Gaussians at the embedded points
    (``GaussianMixturePrior.from_embedding``: centred or not, ``sigma`` in the block's unit)
    and α·MSE(log‖φ(G(z₁))−φ(G(z₂))‖, log(β‖z₁−z₂‖)) with the β of those centres and φ the
    map the points were embedded through (``features``; ``None``: the samples), α dropping to
    ``alpha_final`` for the last ``alpha_final_fraction`` of ``trainer.steps``."""
    prior = GaussianMixturePrior.from_embedding(
        embedding,
        bourgain.sigma,
        bourgain.variant,
        centre=bourgain.centre,
        sigma_unit=bourgain.sigma_unit,
    )
    term = BourganDistanceTerm(
        beta=bourgain_beta(embedding, bourgain.variant, centre=bourgain.centre),
        alpha=bourgain.alpha,
        alpha_final=bourgain.alpha_final,
        switch_step=round(trainer.steps * (1.0 - bourgain.alpha_final_fraction)),
        features=features,
    )
    return Latent(prior, term)


@dataclass(frozen=True)
class SeedRun:
    """What one seed's training hands on: its generator (the EMA one when kept, on the CPU,
    in eval mode) and its judged samples."""

    generator: nn.Module
    samples: np.ndarray


def train_seed(
    points: np.ndarray,
    latent: Latent,
    model: MlpPair,
    trainer: TrainerConfig,
    evaluation: ModesEvaluation,
    seeds: list[int],
    variant: Variant,
    *,
    slot: int,
) -> dict[int, SeedRun]:
    """Seed slot ``slot`` of a variant: one GAN trained with ``seeds[slot]`` (weights, batches
    and latent draws all seeded) and its ``evaluation.n`` samples (latent seed
    ``evaluation.seed + seed``), as ``{seed: SeedRun}``; ``{}`` when there are fewer seeds
    than slots. Training metrics go to ``{prefix}.seed{seed}.*``."""
    if slot >= len(seeds):
        return {}
    return train_one(points, latent, model, trainer, evaluation, seeds[slot], variant)


def train_one(
    points: np.ndarray,
    latent: Latent,
    model: MlpPair,
    trainer: TrainerConfig,
    evaluation: ModesEvaluation,
    seed: int,
    variant: Variant,
) -> dict[int, SeedRun]:
    """One GAN on ``points`` trained with ``seed`` and its ``evaluation.n`` samples (latent
    seed ``evaluation.seed + seed``), as ``{seed: SeedRun}``; metrics to
    ``{prefix}.seed{seed}.*``."""
    build_g, build_d = mlp_builders(
        model.generator, model.discriminator, latent.prior.dim, points.shape[1]
    )
    config = variant_trainer(trainer, f"{variant.metric_prefix}.seed{seed}", seed=seed)
    run = train(
        GANRunSpec(build_g, build_d, latent.prior, points, config, seed, latent.extra_g_loss)
    )
    samples = run.sample(evaluation.n, seed=evaluation.seed + seed).numpy()
    return {seed: SeedRun(run.generator(), samples)}


def gather_seeds(*slots: dict[int, SeedRun]) -> tuple[nn.Module, dict[int, np.ndarray]]:
    """The seed slots of one variant, in slot order: the first seed's generator and every
    seed's samples ``{seed: samples}``."""
    runs = {seed: run for slot in slots for seed, run in slot.items()}
    first = next(iter(runs.values()))
    return first.generator, {seed: run.samples for seed, run in runs.items()}


def held_out(samples: dict[int, np.ndarray], tuning_seeds: list[int]) -> dict[int, np.ndarray]:
    """``samples`` (per seed), refused when a seed is one of ``tuning_seeds``: reported numbers
    come only from seeds no setting was tuned on (the parameter check says so first)."""
    tuned = sorted(set(samples) & set(tuning_seeds))
    if tuned:
        raise ValueError(f"seeds {tuned} are tuning seeds: they are never evaluated")
    return samples


def per_seed_metrics(values: dict[int, dict[str, float]], prefix: str) -> dict[str, float]:
    """``{prefix}.{name}``: the mean over seeds, and ``{prefix}.seed{s}.{name}`` for each."""
    metrics: dict[str, float] = {}
    names = next(iter(values.values())).keys()
    for name in names:
        metrics[f"{prefix}.{name}"] = float(np.mean([v[name] for v in values.values()]))
        metrics.update({f"{prefix}.seed{s}.{name}": float(v[name]) for s, v in values.items()})
    return metrics
