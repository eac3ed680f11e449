"""Nodes of ``gaussian_2d``: data, training (through ``pipelines.gan_nodes``), judging, plots."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from torch import nn

from shall_we_gans.data.toy import gaussian
from shall_we_gans.gan import TrainerConfig
from shall_we_gans.metrics.distribution import cov_error, mean_error
from shall_we_gans.params.gaussian_2d import EvaluationSpec, GaussianDataSpec, ModelSpec
from shall_we_gans.pipelines.gan_nodes import init_generator, train_gan
from shall_we_gans.plotting.samples import scatter_panels
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow


def train_gaussian_gan(
    data: np.ndarray,
    model: ModelSpec,
    trainer: TrainerConfig,
    evaluation: EvaluationSpec,
) -> tuple[nn.Module, pd.DataFrame, np.ndarray]:
    """Build G and D from ``model`` and train them on ``data``; return G, history, samples."""
    return train_gan(init_generator(model, data.shape[1]), data, model, trainer, evaluation)


def evaluate_gaussian(samples: np.ndarray, data: GaussianDataSpec) -> MetricsDict:
    """``mean_error`` (L2) and ``cov_error`` (Frobenius) of the samples against p_data."""
    return metrics_for_mlflow(
        {
            "mean_error": mean_error(samples, np.asarray(data.mean)),
            "cov_error": cov_error(samples, np.asarray(data.cov)),
        }
    )


def plot_gaussian(
    samples: np.ndarray, data: GaussianDataSpec, evaluation: EvaluationSpec
) -> Figure:
    """p_data (a fresh draw of as many points) against p_g."""
    reference = gaussian(len(samples), data.mean, data.cov, evaluation.seed).points
    return scatter_panels({"2-D Gaussian": {"p_data": reference, "p_g": samples}}, size=4.0)
