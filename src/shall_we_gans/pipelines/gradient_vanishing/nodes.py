"""Nodes of ``gradient_vanishing``: D first rejects every sample, then G trains per loss."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pandas as pd
import torch
from matplotlib.figure import Figure
from torch import nn

from shall_we_gans.gan import GANRunSpec, GANTrainer, TrainerConfig
from shall_we_gans.metrics.distribution import mean_error
from shall_we_gans.params.gaussian_2d import EvaluationSpec, GaussianDataSpec, ModelSpec
from shall_we_gans.params.gradient_vanishing import LossVariant, PretrainSpec
from shall_we_gans.pipelines.gan_nodes import init_prior, mlp_builders, train, variant_trainer
from shall_we_gans.plotting.gan_figures import gradient_norm_figure
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow

PRETRAIN_PREFIX = "pretrain"


def pretrain_discriminator(
    data: np.ndarray,
    model: ModelSpec,
    trainer: TrainerConfig,
    pretrain: PretrainSpec,
) -> tuple[nn.Module, nn.Module, MetricsDict]:
    """Train only D against a fresh, frozen G until it answers "false" to every sample.

    Every ``check_every`` D steps, ``probe_n`` samples (seed ``probe_seed``) are judged; the phase
    ends once ``max D(G(z)) < max_d_fake`` or after ``max_steps``. Returns the untouched G, the
    trained D (both on the CPU) and ``pretrain.d_fake`` / ``max_d_fake`` / ``d_steps``.
    """

    def until_d_rejects(gan: GANTrainer) -> np.ndarray:
        while True:
            d_fake = _probe_d_fake(gan, pretrain.probe_n, pretrain.probe_seed)
            if d_fake.max() < pretrain.max_d_fake or gan.step >= pretrain.max_steps:
                return d_fake
            gan.train_discriminator(min(pretrain.check_every, pretrain.max_steps - gan.step))

    config = variant_trainer(trainer, PRETRAIN_PREFIX, loss="minimax")
    dim = data.shape[1]
    build_g, build_d = mlp_builders(model.generator, model.discriminator, model.prior.dim, dim)
    spec = GANRunSpec(build_g, build_d, init_prior(model), data, config, model.seed)
    run = train(dataclasses.replace(spec, schedule=until_d_rejects))
    gan, d_fake = run.gan, run.outcome
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
    model: ModelSpec,
    trainer: TrainerConfig,
    evaluation: EvaluationSpec,
    target: GaussianDataSpec,
    variant: LossVariant,
) -> tuple[nn.Module, pd.DataFrame, np.ndarray]:
    """Train copies of the pretrained pair with ``variant.loss``, one step at a time, and after
    every step judge ``evaluation.n`` samples (seed ``evaluation.seed``): their mean
    (``mean_x``, ``mean_y``) and its distance to ``target.mean`` (``mean_error``, also logged as
    ``{prefix}.mean_error`` per step). Returns G, the history with those columns, the samples."""
    goal = np.asarray(target.mean)

    def judged_per_step(gan: GANTrainer) -> tuple[list[dict], np.ndarray]:
        track, samples = [], None
        for _ in range(gan.config.steps):
            gan.train(1)
            samples = gan.sample(evaluation.n, seed=evaluation.seed).numpy()
            error = mean_error(samples, goal)
            gan.log_metrics({f"{variant.metric_prefix}.mean_error": error}, gan.step - 1)
            centre = samples.mean(axis=0, dtype=np.float64)
            track.append({"step": gan.step - 1, "mean_x": centre[0], "mean_y": centre[1]})
            track[-1]["mean_error"] = error
        return track, samples  # the last step's judged samples

    run = train(
        GANRunSpec(
            generator=lambda: copy.deepcopy(generator).requires_grad_(True),
            discriminator=lambda: copy.deepcopy(discriminator).requires_grad_(True),
            prior=init_prior(model),
            data=data,
            trainer=variant_trainer(trainer, variant.metric_prefix, loss=variant.loss),
            seed=model.seed,
            schedule=judged_per_step,
        )
    )
    track, samples = run.outcome
    history = run.gan.history_frame().merge(pd.DataFrame(track), on="step", how="left")
    return run.gan.generator.cpu().eval(), history, samples


def summarise_gradients(
    saturating_history: pd.DataFrame,
    non_saturating_history: pd.DataFrame,
    saturating: LossVariant,
    non_saturating: LossVariant,
) -> MetricsDict:
    """Per variant (named by its ``metric_prefix``): mean/max/min ``g_grad_norm`` and the final
    ``d_fake`` (``mean_error`` is logged per step by training: its last value is the final
    one). Across: ``g_grad_norm_ratio`` (non-saturating / saturating means) and
    ``g_grad_norm_min_step_ratio`` (the smallest per-step ratio)."""
    metrics: dict[str, float] = {}
    runs = {
        saturating.metric_prefix: saturating_history,
        non_saturating.metric_prefix: non_saturating_history,
    }
    norms = {}
    for name, history in runs.items():
        rows = _joint_rows(history).set_index("step")
        norms[name] = rows["g_grad_norm"]
        metrics[f"{name}.mean_g_grad_norm"] = float(norms[name].mean())
        metrics[f"{name}.max_g_grad_norm"] = float(norms[name].max())
        metrics[f"{name}.min_g_grad_norm"] = float(norms[name].min())
        metrics[f"{name}.final_d_fake"] = float(rows["d_fake"].iloc[-1])
    low, high = norms[saturating.metric_prefix], norms[non_saturating.metric_prefix]
    metrics["g_grad_norm_ratio"] = float(high.mean() / low.mean())
    metrics["g_grad_norm_min_step_ratio"] = float((high / low).min())
    return metrics_for_mlflow(metrics)


def plot_gradients(
    saturating_history: pd.DataFrame,
    non_saturating_history: pd.DataFrame,
    saturating_samples: np.ndarray,
    non_saturating_samples: np.ndarray,
    data: np.ndarray,
    saturating: LossVariant,
    non_saturating: LossVariant,
) -> Figure:
    """``g_grad_norm`` and ``mean_error`` per step for both losses, and each one's final
    samples over p_data with the path of the sample mean during training."""
    low, high = saturating.metric_prefix, non_saturating.metric_prefix
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
