"""Nodes of ``mnist_stability``: one DCGAN per variant, monitored for a crash, judged by the
project's MNIST classifier (classes seen, class KL, Fréchet distance of its features)."""

from __future__ import annotations

import math

import numpy as np
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
from shall_we_gans.metrics.digit_samples import digit_sample_metrics
from shall_we_gans.metrics.frechet import frechet_distance
from shall_we_gans.params.mnist_stability import (
    DigitEvaluation,
    StabilityModel,
    StabilityVariant,
)
from shall_we_gans.pipelines.gan_nodes import train, variant_trainer
from shall_we_gans.plotting.stability import grad_ratio_figure, sample_strips_figure
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow


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
    model: StabilityModel,
    trainer: TrainerConfig,
    monitoring: MonitoringSpec,
    variant: StabilityVariant,
) -> tuple[nn.Module, StabilityRun]:
    """Train one variant's DCGAN on MNIST in chunks, judging samples after each (crash
    detection, ``gan.monitoring``); returns G (on the CPU) and what was measured."""
    changes = {k: getattr(variant, k) for k in ("lr_g", "lr_d") if getattr(variant, k)}
    config = variant_trainer(trainer, variant.metric_prefix, loss=variant.loss, **changes)

    def monitored(gan: GANTrainer) -> StabilityRun:
        judge = lambda samples: judge_digits(samples, classifier, reference)  # noqa: E731
        return train_with_monitoring(gan, judge, monitoring, log_metrics=gan.log_metrics)

    run = train(
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
            seed=config.seed,
            schedule=monitored,
        )
    )
    return run.gan.generator.cpu().eval(), run.outcome


def evaluate_variant(
    generator: nn.Module,
    run: StabilityRun,
    classifier: SourceClassifier,
    reference: np.ndarray,
    model: StabilityModel,
    evaluation: DigitEvaluation,
    variant: StabilityVariant,
) -> MetricsDict:
    """``{prefix}.``: the peak of ``max_grad_d_over_d`` (on G(z)) and of
    ``max_grad_d_over_d_real``, and on ``evaluation.n`` final samples ``digit_coverage``,
    ``class_kl`` and ``fd_lenet`` (``crashed`` and ``crash_step`` come from training)."""
    rng = torch.Generator().manual_seed(evaluation.seed)
    with torch.no_grad():
        z = GaussianPrior(model.latent_dim).sample(evaluation.n, rng)
        samples = torch.cat([generator(chunk) for chunk in z.split(1024)])
    quality = judge_digits(samples, classifier, reference)
    metrics = {
        "digit_coverage": quality["digit_classes"],
        "class_kl": quality["class_kl"],
        "fd_lenet": quality.get("fd", math.nan),
    }
    joint = run.history[run.history["phase"] == "joint"]
    for column in ("max_grad_d_over_d", "max_grad_d_over_d_real"):
        metrics[f"peak_{column}"] = float(joint[column].max())
    return metrics_for_mlflow({f"{variant.metric_prefix}.{k}": v for k, v in metrics.items()})


def plot_stability(
    naive: StabilityRun,
    sn_d: StabilityRun,
    sn_dg: StabilityRun,
    hinge_sn: StabilityRun,
) -> tuple[Figure, Figure]:
    """max |∇ₓD/D| on G(z) per step of every variant on a log axis with crash steps marked,
    and the samples after each chunk of every variant (the seed's "images per epoch")."""
    runs = {"naive": naive, "sn_d": sn_d, "sn_dg": sn_dg, "hinge_sn": hinge_sn}
    histories = {k: r.history[r.history["phase"] == "joint"] for k, r in runs.items()}
    crashes = {k: r.crash_step for k, r in runs.items()}
    strips = {k: r.strips for k, r in runs.items()}
    steps = {k: r.chunks["step"].astype(int).tolist() for k, r in runs.items()}
    return grad_ratio_figure(histories, crashes), sample_strips_figure(strips, steps, crashes)
