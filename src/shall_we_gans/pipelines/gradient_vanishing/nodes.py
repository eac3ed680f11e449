"""Nodes of ``gradient_vanishing``: D first rejects every sample, then G trains per loss."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import torch
from matplotlib.figure import Figure
from torch import nn

from shall_we_gans.gan import GANTrainer, TrainerConfig
from shall_we_gans.metrics.distribution import mean_error
from shall_we_gans.pipelines.gan_nodes import (
    init_discriminator,
    init_generator,
    init_prior,
    train_gan,
    variant_trainer,
)
from shall_we_gans.plotting.gan_figures import gradient_norm_figure
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow

PRETRAIN_PREFIX = "pretrain"


def pretrain_discriminator(
    data: np.ndarray,
    model: dict[str, Any],
    trainer: dict[str, Any],
    pretrain: dict[str, Any],
) -> tuple[nn.Module, nn.Module, MetricsDict]:
    """Train only D against a fresh, frozen G until it answers "false" to every sample.

    Every ``check_every`` D steps, ``probe_n`` samples (seed ``probe_seed``) are judged; the phase
    ends once ``max D(G(z)) < max_d_fake`` or after ``max_steps``. Returns the untouched G, the
    trained D (both on the CPU) and ``pretrain.d_fake`` / ``max_d_fake`` / ``d_steps``.
    """
    dim = data.shape[1]
    config = variant_trainer(trainer, loss="minimax", metric_prefix=PRETRAIN_PREFIX, steps=0)
    gan = GANTrainer(
        init_generator(model, dim),
        init_discriminator(model, dim),
        init_prior(model),
        data,
        TrainerConfig.from_dict(config),
    )
    while True:
        d_fake = _probe_d_fake(gan, pretrain["probe_n"], pretrain["probe_seed"])
        if d_fake.max() < pretrain["max_d_fake"] or gan.step >= pretrain["max_steps"]:
            break
        gan.train_discriminator(min(pretrain["check_every"], pretrain["max_steps"] - gan.step))
    metrics = {
        f"{PRETRAIN_PREFIX}.d_fake": float(d_fake.mean()),
        f"{PRETRAIN_PREFIX}.max_d_fake": float(d_fake.max()),
        f"{PRETRAIN_PREFIX}.d_steps": gan.step,
    }
    return (
        gan.generator.cpu().eval(),
        gan.discriminator.cpu().eval(),
        metrics_for_mlflow(metrics, step=gan.step),
    )


@torch.no_grad()
def _probe_d_fake(gan: GANTrainer, n: int, seed: int) -> np.ndarray:
    """``D(G(z)) = sigmoid(logit)`` of ``n`` fresh samples, both models in eval mode."""
    samples = gan.sample(n, seed=seed).to(gan.device)
    was_training = gan.discriminator.training
    gan.discriminator.eval()
    try:
        return torch.sigmoid(gan.discriminator(samples)).cpu().numpy()
    finally:
        gan.discriminator.train(was_training)


def train_from_pretrained(
    generator: nn.Module,
    discriminator: nn.Module,
    data: np.ndarray,
    model: dict[str, Any],
    trainer: dict[str, Any],
    evaluation: dict[str, Any],
    loss: str,
    metric_prefix: str,
) -> tuple[nn.Module, pd.DataFrame, np.ndarray]:
    """Train copies of the pretrained pair with ``loss``; return G, history, samples."""
    config = variant_trainer(trainer, loss=loss, metric_prefix=metric_prefix)
    trained, _, history, samples = train_gan(
        generator, discriminator, data, model, config, evaluation
    )
    return trained, history, samples


def summarise_gradients(
    saturating_history: pd.DataFrame,
    non_saturating_history: pd.DataFrame,
    saturating_samples: np.ndarray,
    non_saturating_samples: np.ndarray,
    data: dict[str, Any],
    saturating: dict[str, Any],
    non_saturating: dict[str, Any],
) -> MetricsDict:
    """Per variant (named by its ``metric_prefix``): mean/max/min ``g_grad_norm``, the final
    ``d_fake`` and the samples' ``mean_error``. Across: ``g_grad_norm_ratio`` (non-saturating /
    saturating means) and ``g_grad_norm_min_step_ratio`` (the smallest per-step ratio)."""
    metrics: dict[str, float] = {}
    runs = {
        saturating["metric_prefix"]: (saturating_history, saturating_samples),
        non_saturating["metric_prefix"]: (non_saturating_history, non_saturating_samples),
    }
    norms = {}
    for name, (history, samples) in runs.items():
        rows = _joint_rows(history).set_index("step")
        norms[name] = rows["g_grad_norm"]
        metrics[f"{name}.mean_g_grad_norm"] = float(norms[name].mean())
        metrics[f"{name}.max_g_grad_norm"] = float(norms[name].max())
        metrics[f"{name}.min_g_grad_norm"] = float(norms[name].min())
        metrics[f"{name}.final_d_fake"] = float(rows["d_fake"].iloc[-1])
        metrics[f"{name}.mean_error"] = mean_error(samples, np.asarray(data["mean"]))
    low, high = norms[saturating["metric_prefix"]], norms[non_saturating["metric_prefix"]]
    metrics["g_grad_norm_ratio"] = float(high.mean() / low.mean())
    metrics["g_grad_norm_min_step_ratio"] = float((high / low).min())
    return metrics_for_mlflow(metrics)


def plot_gradients(
    saturating_history: pd.DataFrame,
    non_saturating_history: pd.DataFrame,
    saturating_samples: np.ndarray,
    non_saturating_samples: np.ndarray,
    data: np.ndarray,
    saturating: dict[str, Any],
    non_saturating: dict[str, Any],
) -> Figure:
    """Both ``g_grad_norm`` curves on one log axis, and the samples of each over p_data."""
    low, high = saturating["metric_prefix"], non_saturating["metric_prefix"]
    return gradient_norm_figure(
        {low: _joint_rows(saturating_history), high: _joint_rows(non_saturating_history)},
        {low: saturating_samples, high: non_saturating_samples},
        data[: len(saturating_samples)],
    )


def _joint_rows(history: pd.DataFrame) -> pd.DataFrame:
    rows = history[history["phase"] == "joint"]
    if rows.empty:
        raise ValueError("the history holds no generator step: set trainer.steps >= 1")
    return rows
