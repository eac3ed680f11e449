"""Nodes of ``stacked_mnist``: the counter's ceiling on real data, the Bourgain embedding of
stacked images, one DCGAN per prior, D size and seed (one node per seed slot,
``pipelines.seed_slots``), and the seed-style table."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import torch
from matplotlib.figure import Figure
from torch import nn

from shall_we_gans.adaptation.models import SourceClassifier
from shall_we_gans.adaptation.training import extract_features
from shall_we_gans.data.digits import DigitDomain
from shall_we_gans.data.preprocess import scale_to_unit
from shall_we_gans.data.stacked_mnist import make_stacked_mnist
from shall_we_gans.embedding import BourgainEmbedding
from shall_we_gans.gan import GANRunSpec, GANTrainer, TrainerConfig
from shall_we_gans.gan.models import DCGANDiscriminator, DCGANGenerator
from shall_we_gans.gan.monitoring import MonitoringSpec, StabilityRun, train_with_monitoring
from shall_we_gans.gan.priors import draw_spread
from shall_we_gans.gan.regularizers import target_over_data
from shall_we_gans.metrics.frechet import frechet_distance
from shall_we_gans.metrics.stacked_mnist import (
    ChannelFeatures,
    agreement_metrics,
    judged_by_two,
    per_channel,
    per_channel_head,
    sampling_floor_kl,
)
from shall_we_gans.params.stacked_mnist import (
    CoverageEvaluation,
    DcganPair,
    PaperTable,
    RealCeiling,
    StackedBourgainSpec,
    StackedVariant,
)
from shall_we_gans.pipelines.gan_nodes import train, variant_trainer
from shall_we_gans.pipelines.prior_nodes import (
    Latent,
    bourgain_latent,
    choose_points,
    chosen_indices,
    embed_points,
    per_seed_metrics,
)
from shall_we_gans.plotting.samples import digit_grid
from shall_we_gans.plotting.stacked_mnist import coverage_curves_figure, coverage_table_figure
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow

COUNTED = ("modes_covered", "kl_to_uniform", "confident_fraction")
JUDGED = (*COUNTED, "channel_confident", "channel_agreement", "recount_modes", "fd")

CHECK_SEED = 1  # the Bourgain checks' own draws (β is set on seed 0's)


def reference_features(
    stacked: dict[str, np.ndarray], classifier: SourceClassifier, real: RealCeiling
) -> np.ndarray:
    """The first classifier's features of the channels of ``real.n`` stacked training images:
    the reference of every ``fd``."""
    return channel_features(stacked["images"][: real.n], classifier)


def channel_features(images: np.ndarray, classifier: SourceClassifier) -> np.ndarray:
    """``classifier.encoder``'s features of every channel of ``images`` (``3N`` rows)."""
    return per_channel(images, classifier.encoder).numpy()


def judge(
    images: np.ndarray,
    classifier: SourceClassifier,
    second: SourceClassifier,
    reference: np.ndarray,
    min_confidence: float,
) -> dict[str, float]:
    """``metrics.stacked_mnist.judged_by_two`` and ``fd``: the Fréchet distance of the
    channels' features to ``reference`` (real stacked training images). The first classifier
    runs once: its head reads the features the FD uses."""
    features = per_channel(images, classifier.encoder)
    logits = per_channel_head(features, classifier.head)
    judged = agreement_metrics(logits, per_channel(images, second), min_confidence)
    judged["fd"] = frechet_distance(reference, features.numpy())
    return {k: float(judged[k]) for k in JUDGED}


def count_real_modes(
    mnist_val: DigitDomain,
    classifier: SourceClassifier,
    second: SourceClassifier,
    reference: np.ndarray,
    real: RealCeiling,
    evaluation: CoverageEvaluation,
) -> tuple[MetricsDict, dict[str, float]]:
    """The judges' ceiling: ``real.*`` on ``real.n`` stacked images of validation digits that
    neither classifier trained on (``real.fd``: real against real), and
    ``ideal.kl_to_uniform``, the KL of as many uniform draws (the sampling floor); for MLflow,
    and as plain numbers for the table."""
    images, _ = make_stacked_mnist(mnist_val, real.n, real.seed)
    judged = judge(images, classifier, second, reference, evaluation.min_confidence)
    metrics = {f"real.{k}": v for k, v in judged.items()}
    metrics["ideal.kl_to_uniform"] = sampling_floor_kl(real.n)
    return metrics_for_mlflow(metrics), metrics


def embed_stacked_images(
    stacked: dict[str, np.ndarray], classifier: SourceClassifier, bourgain: StackedBourgainSpec
) -> BourgainEmbedding:
    """Bourgain embedding of ``bourgain.n_points`` training images (drawn with
    ``bourgain.seed``), in pixel space or the classifier's feature space."""
    return embed_points(embedded_points(stacked, classifier, bourgain), bourgain)


def embedded_points(
    stacked: dict[str, np.ndarray], classifier: SourceClassifier, bourgain: StackedBourgainSpec
) -> np.ndarray:
    """The embedded training images as the embedding measures them: flattened pixels in
    [-1, 1], or the three channels' classifier features concatenated (``ChannelFeatures``)."""
    chosen = scale_to_unit(choose_points(stacked["images"], bourgain))
    if bourgain.space == "features":
        features = extract_features(classifier.encoder, chosen.reshape(-1, 1, 28, 28))
        return features.reshape(len(chosen), -1)
    return chosen.reshape(len(chosen), -1)


def bourgan_latent(
    embedding: BourgainEmbedding,
    bourgain: StackedBourgainSpec,
    trainer: TrainerConfig,
    stacked: dict[str, np.ndarray],
    classifier: SourceClassifier,
) -> tuple[Latent, MetricsDict]:
    """The Bourgain mixture and BourGAN's distance term (``prior_nodes.bourgain_latent``),
    the term measured in the embedding's own metric and its β rescaled by ``target``, and
    four checks for MLflow: ``bourgain.embedded_modes`` (modes among the embedded images, of
    1,000), ``bourgain.sigma_over_spacing`` (``priors.draw_spread``),
    ``bourgain.noncontracting_over_data`` and ``bourgain.target_over_data`` (the term's
    target distance over the data's, median over pairs, with BourGAN's β and with the β
    used; 1 is the data's own scale). The checks draw
    with ``CHECK_SEED``, not the draws that set β, so ``target: data`` is measured, not 1 by
    construction."""
    features = ChannelFeatures(classifier.encoder) if bourgain.space == "features" else None
    latent = bourgain_latent(embedding, bourgain, trainer, features)
    prior, term = latent.prior, latent.extra_g_loss
    points = embedded_points(stacked, classifier, bourgain)
    ratio = target_over_data(points, prior.centres, prior.sigma, term.beta)
    if bourgain.target == "data":
        term = replace(term, beta=term.beta / ratio)
        latent = replace(latent, extra_g_loss=term)
    labels = stacked["labels"][chosen_indices(len(stacked["labels"]), bourgain)]
    metrics = {
        "bourgain.embedded_modes": float(len(np.unique(labels))),
        "bourgain.sigma_over_spacing": draw_spread(prior, CHECK_SEED),
        "bourgain.noncontracting_over_data": ratio,
        "bourgain.target_over_data": target_over_data(
            points, prior.centres, prior.sigma, term.beta, seed=CHECK_SEED
        ),
    }
    return latent, metrics_for_mlflow(metrics)


@dataclass(frozen=True)
class LadderSeedRun:
    """One seed's trained generator (on the CPU, eval mode), its judged samples (uint8
    N×3×28×28) and its coverage over training (``variant``, ``seed``, ``step``,
    ``running_modes``)."""

    generator: nn.Module
    samples: np.ndarray
    curve: pd.DataFrame


def train_ladder_seed(
    stacked: dict[str, np.ndarray],
    latent: Latent,
    classifier: SourceClassifier,
    second: SourceClassifier,
    model: DcganPair,
    trainer: TrainerConfig,
    evaluation: CoverageEvaluation,
    seeds: list[int],
    variant: StackedVariant,
    *,
    slot: int,
) -> dict[int, LadderSeedRun]:
    """Seed slot ``slot`` of a variant: one DCGAN with ``seeds[slot]``, D's widths
    ``variant.d_size`` × G's; every ``evaluation.every`` steps ``evaluation.running_n`` samples
    are counted and checked (``{prefix}.seedN.running_modes``, ``….running_agreement``: the
    two classifiers' channel agreement). ``{}`` when there are fewer seeds than slots."""
    if slot >= len(seeds):
        return {}
    seed = seeds[slot]

    def count(samples: torch.Tensor) -> dict[str, float]:
        judged = judged_by_two(samples, classifier, second, evaluation.min_confidence)
        return {
            "running_modes": judged["modes_covered"],
            "running_agreement": judged["channel_agreement"],
        }

    def monitored(gan: GANTrainer) -> StabilityRun:
        every = MonitoringSpec(
            chunk_steps=evaluation.every,
            n_samples=evaluation.running_n,
            sample_seed=evaluation.seed + seed,
        )
        return train_with_monitoring(gan, count, every, log_metrics=gan.log_metrics)

    run = train(
        GANRunSpec(
            generator=lambda: DCGANGenerator(
                latent.prior.dim, channels=3, width=model.width, batch_norm=model.g_batch_norm
            ),
            discriminator=lambda: DCGANDiscriminator(
                channels=3,
                width=model.width,
                width_mult=variant.d_size,
                batch_norm=model.d_batch_norm,
            ),
            prior=latent.prior,
            data=torch.from_numpy(scale_to_unit(stacked["images"])),
            trainer=variant_trainer(
                trainer,
                f"{variant.metric_prefix}.seed{seed}",
                seed=seed,
                steps=variant.steps or trainer.steps,
            ),
            seed=seed,
            extra_g_loss=latent.extra_g_loss,
            schedule=monitored,
        )
    )
    curve = run.outcome.chunks[["step", "running_modes", "running_agreement"]].assign(seed=seed)
    drawn = run.sample(evaluation.n, seed=evaluation.seed + seed)
    samples = ((drawn.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).numpy()
    curve = curve.assign(variant=variant.metric_prefix)
    return {seed: LadderSeedRun(run.generator(), samples, curve)}


def gather_ladder_seeds(
    *slots: dict[int, LadderSeedRun],
) -> tuple[nn.Module, dict[int, np.ndarray], pd.DataFrame]:
    """The seed slots of one variant, in slot order: the first seed's G, each seed's samples
    and the coverage over training of all seeds."""
    runs = {seed: run for slot in slots for seed, run in slot.items()}
    first = next(iter(runs.values()))
    curves = pd.concat([run.curve for run in runs.values()], ignore_index=True)
    return first.generator, {seed: run.samples for seed, run in runs.items()}, curves


def count_modes(
    samples: dict[int, np.ndarray],
    classifier: SourceClassifier,
    second: SourceClassifier,
    reference: np.ndarray,
    evaluation: CoverageEvaluation,
    variant: StackedVariant,
) -> tuple[MetricsDict, dict[str, float]]:
    """``{prefix}.{modes_covered, kl_to_uniform, confident_fraction}`` (the protocol's count)
    and the checks that the samples are digits (``channel_confident``, ``channel_agreement``,
    ``recount_modes``, ``fd``: ``judge``): the mean over seeds and ``{prefix}.seedN.*`` for
    each; for MLflow, and as plain numbers for the table."""
    per_seed = {
        seed: judge(images, classifier, second, reference, evaluation.min_confidence)
        for seed, images in samples.items()
    }
    scores = per_seed_metrics(per_seed, variant.metric_prefix)
    return metrics_for_mlflow(scores), scores


def plot_samples(samples: dict[int, np.ndarray], variant: StackedVariant) -> Figure:
    """The first 50 samples of the first seed."""
    seed, images = next(iter(samples.items()))
    return digit_grid(images[:50], ncols=10, title=f"{variant.metric_prefix} seed {seed}")


def plot_table(paper: PaperTable, *scores: dict[str, float]) -> Figure:
    """The seed-style table: rows prior, columns D size, cells modes and KL measured (mean over
    seeds) beside the paper's, and the counter's ceiling on real data."""
    measured = {k: v for each in scores for k, v in each.items()}
    return coverage_table_figure(measured, paper.model_dump())


def plot_coverage(*curves: pd.DataFrame) -> Figure:
    """Modes covered during training (on the running sample) for every variant and seed."""
    return coverage_curves_figure(pd.concat(curves, ignore_index=True))
