"""Nodes of ``mnist_stability``: one DCGAN per variant and seed, monitored for a crash, judged
by the project's MNIST classifier (classes seen, class KL, Fréchet distance of its features);
crash rates over the seeds per variant."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import torch
from matplotlib.figure import Figure
from torch import nn

from shall_we_gans.adaptation.models import SourceClassifier
from shall_we_gans.adaptation.training import extract_features, predict
from shall_we_gans.data.digits import DigitDomain
from shall_we_gans.data.preprocess import scale_to_unit
from shall_we_gans.gan import GANRunSpec, GANTrainer, TrainerConfig
from shall_we_gans.gan.models import DCGANDiscriminator, DCGANGenerator
from shall_we_gans.gan.monitoring import MonitoringSpec, StabilityRun, train_with_monitoring
from shall_we_gans.gan.priors import GaussianPrior
from shall_we_gans.metrics.crash_rates import crash_rates
from shall_we_gans.metrics.digit_samples import digit_sample_metrics
from shall_we_gans.metrics.frechet import frechet_distance
from shall_we_gans.params.mnist_stability import (
    VARIANTS,
    DigitEvaluation,
    StabilityModel,
    StabilityVariant,
)
from shall_we_gans.pipelines.gan_nodes import train, variant_trainer
from shall_we_gans.plotting.stability import sample_strips_figure, seed_curves_figure
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow

PEAKED = ("max_grad_d_over_d", "max_grad_d_over_d_real", "max_grad_logit", "max_grad_logit_real")


def reference_features(mnist: DigitDomain, classifier: SourceClassifier) -> np.ndarray:
    """The classifier's penultimate features of the real training digits (FD's reference)."""
    return extract_features(classifier.encoder, scale_to_unit(mnist.images))


def real_ceiling(
    mnist_val: DigitDomain, classifier: SourceClassifier, reference: np.ndarray
) -> MetricsDict:
    """What real digits score: ``real.fd_lenet`` (held-out validation digits against the
    training digits), ``real.digit_coverage`` and ``real.class_kl`` of the validation digits."""
    quality = judge_digits(torch.from_numpy(scale_to_unit(mnist_val.images)), classifier, reference)
    return metrics_for_mlflow(
        {
            "real.fd_lenet": quality["fd"],
            "real.digit_coverage": quality["digit_classes"],
            "real.class_kl": quality["class_kl"],
        }
    )


def judge_digits(
    samples: torch.Tensor, classifier: SourceClassifier, reference: np.ndarray
) -> dict[str, float]:
    """``digit_classes`` seen in ``samples`` (N×1×28×28 in [-1, 1]) and ``fd`` of their features
    to ``reference``; NaN samples give NaN (a crash)."""
    images = samples.numpy()
    if not np.isfinite(images).all():
        return {"digit_classes": math.nan, "digit_coverage": math.nan, "class_kl": math.nan}
    labels = predict(classifier.encoder, classifier.head, images)
    features = extract_features(classifier.encoder, images)
    quality = digit_sample_metrics(labels)
    return {
        "digit_classes": float(quality["digit_coverage"]),
        "class_kl": float(quality["class_kl"]),
        "fd": frechet_distance(reference, features),
    }


def train_variant(
    mnist: DigitDomain,
    classifier: SourceClassifier,
    reference: np.ndarray,
    seeds: list[int],
    model: StabilityModel,
    trainer: TrainerConfig,
    monitoring: MonitoringSpec,
    evaluation: DigitEvaluation,
    variant: StabilityVariant,
) -> tuple[nn.Module, dict[str, StabilityRun], pd.DataFrame]:
    """Train one variant's DCGAN on MNIST once per seed, in chunks judged after each (crash
    detection, ``gan.monitoring``; metrics under ``{prefix}.seed{N}.``), then judge
    ``evaluation.n`` final samples of each. Returns the first seed's G (on the CPU), every
    seed's ``StabilityRun`` (keyed by the seed as text) and one outcome row per seed
    (``metrics.crash_rates.COLUMNS``, ``digit_coverage``, ``class_kl`` and the peaks of the
    diagnostics)."""
    first, runs, rows = None, {}, []
    for seed in seeds:
        generator, run = train_seed(
            mnist, classifier, reference, seed, model, trainer, monitoring, variant
        )
        quality = final_quality(generator, classifier, reference, model, evaluation)
        rows.append(
            {
                "seed": seed,
                "crashed": run.crashed,
                "never_learned": run.never_learned,
                "crash_step": math.nan if run.crash_step is None else float(run.crash_step),
                **quality,
                **peaks(run),
            }
        )
        runs[str(seed)] = run
        first = generator if first is None else first
    return first, runs, pd.DataFrame(rows)


def train_seed(
    mnist: DigitDomain,
    classifier: SourceClassifier,
    reference: np.ndarray,
    seed: int,
    model: StabilityModel,
    trainer: TrainerConfig,
    monitoring: MonitoringSpec,
    variant: StabilityVariant,
) -> tuple[nn.Module, StabilityRun]:
    """One seed of one variant: G and D drawn with ``seed``, trained and monitored."""
    config = variant_trainer(
        trainer,
        f"{variant.metric_prefix}.seed{seed}",
        loss=variant.loss,
        seed=seed,
        lr_g=trainer.lr_g * variant.lr_g_factor,
        r1_gamma=variant.r1_gamma,
    )

    def monitored(gan: GANTrainer) -> StabilityRun:
        judge = lambda samples: judge_digits(samples, classifier, reference)  # noqa: E731
        return train_with_monitoring(gan, judge, monitoring, log_metrics=gan.log_metrics)

    done = train(
        GANRunSpec(
            generator=lambda: DCGANGenerator(
                model.latent_dim,
                width=model.width,
                batch_norm=model.g_batch_norm,
                spectral_norm=variant.spectral_norm_g,
            ),
            discriminator=lambda: DCGANDiscriminator(
                width=model.width,
                batch_norm=model.d_batch_norm,
                spectral_norm=variant.spectral_norm_d,
            ),
            prior=GaussianPrior(model.latent_dim),
            data=torch.from_numpy(scale_to_unit(mnist.images)),
            trainer=config,
            seed=seed,
            schedule=monitored,
        )
    )
    return done.gan.generator.cpu().eval(), done.outcome


def final_quality(
    generator: nn.Module,
    classifier: SourceClassifier,
    reference: np.ndarray,
    model: StabilityModel,
    evaluation: DigitEvaluation,
) -> dict[str, float]:
    """``digit_coverage``, ``class_kl`` and ``fd_lenet`` of ``evaluation.n`` samples of
    ``generator`` (latent seed ``evaluation.seed``); NaN for non-finite samples."""
    rng = torch.Generator().manual_seed(evaluation.seed)
    with torch.no_grad():
        z = GaussianPrior(model.latent_dim).sample(evaluation.n, rng)
        samples = torch.cat([generator(chunk) for chunk in z.split(1024)])
    quality = judge_digits(samples, classifier, reference)
    return {
        "digit_coverage": quality["digit_classes"],
        "class_kl": quality["class_kl"],
        "fd_lenet": quality.get("fd", math.nan),
    }


def joint_history(run: StabilityRun) -> pd.DataFrame:
    """The trainer's per-step history of ``run`` in joint (G and D) training."""
    return run.history[run.history["phase"] == "joint"]


def peaks(run: StabilityRun) -> dict[str, float]:
    """The peak over joint training of each diagnostic ``gan.monitoring`` keeps per chunk."""
    joint = joint_history(run)
    return {f"peak_{c}": float(joint[c].max()) for c in PEAKED if c in joint}


def variant_metrics(outcomes: pd.DataFrame, variant: StabilityVariant) -> MetricsDict:
    """``{prefix}.`` + the variant's rates over seeds (``metrics.crash_rates``), and per seed
    ``{prefix}.seed{N}.`` + its final ``digit_coverage``, ``class_kl``, ``fd_lenet`` and
    peaks (``crashed``, ``never_learned`` and ``crash_step`` are logged by the monitor)."""
    prefix = variant.metric_prefix
    metrics = {f"{prefix}.{k}": v for k, v in crash_rates(outcomes).items()}
    per_seed = ("digit_coverage", "class_kl", "fd_lenet", *(f"peak_{c}" for c in PEAKED))
    for row in outcomes.to_dict("records"):
        for key in per_seed:
            if key in row:
                metrics[f"{prefix}.seed{int(row['seed'])}.{key}"] = float(row[key])
    return metrics_for_mlflow(metrics)


def plot_stability(*runs: dict[str, StabilityRun]) -> tuple[Figure, Figure]:
    """Every seed's max |∇ₓD/D| and max ‖∇ₓf‖ on G(z) per step, a panel per variant (in
    ``VARIANTS`` order) with crash steps marked, and the first seed's samples after each chunk
    of every variant (the seed's "images per epoch")."""
    by_variant = dict(zip(VARIANTS, runs, strict=True))
    curves = {v: {s: joint_history(r) for s, r in seeds.items()} for v, seeds in by_variant.items()}
    crashes = {v: {s: r.crash_step for s, r in seeds.items()} for v, seeds in by_variant.items()}
    first = {v: next(iter(seeds.values())) for v, seeds in by_variant.items()}
    strips = {v: r.strips for v, r in first.items()}
    steps = {v: r.chunks["step"].astype(int).tolist() for v, r in first.items()}
    first_crash = {v: r.crash_step for v, r in first.items()}
    return seed_curves_figure(curves, crashes), sample_strips_figure(strips, steps, first_crash)
