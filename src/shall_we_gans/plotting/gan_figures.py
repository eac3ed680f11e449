"""Figures of the 2-D GAN experiments: samples over a support, gradient-norm curves."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def support_scatter(
    samples: np.ndarray,
    support: np.ndarray,
    title: str = "",
    size: float = 4.0,
    max_points: int = 3000,
) -> Figure:
    """The first ``max_points`` generated ``samples`` (n×2) over the support (m×2) of p_data."""
    support = np.asarray(support)
    width, height = np.ptp(support, axis=0) + 1e-9
    fig = Figure(figsize=(size * max(1.0, width / height), size))
    ax = fig.add_subplot()
    _draw_over(ax, support, np.asarray(samples)[:max_points])
    ax.set_title(title)
    fig.tight_layout()
    return fig


def gradient_norm_figure(
    histories: Mapping[str, pd.DataFrame],
    samples: Mapping[str, np.ndarray],
    reference: np.ndarray,
    column: str = "g_grad_norm",
) -> Figure:
    """``column`` against ``step`` of every history on one log axis, then one samples panel each.

    ``reference`` (k×2) is drawn under every samples panel as p_data.
    """
    fig = Figure(figsize=(4.0 * (1 + len(samples)), 3.6))
    axes = fig.subplots(1, 1 + len(samples), squeeze=False)[0]
    curves = axes[0]
    for label, history in histories.items():
        curves.plot(history["step"], history[column], label=label, lw=1)
    curves.set_yscale("log")
    curves.set_xlabel("generator step")
    curves.set_ylabel(f"{column} (log scale)")
    curves.legend(fontsize=8)
    for ax, (label, points) in zip(axes[1:], samples.items(), strict=True):
        _draw_over(ax, reference, points)
        ax.set_title(f"{label}: samples")
    fig.tight_layout()
    return fig


def _draw_over(ax, reference: np.ndarray, samples: np.ndarray) -> None:
    reference, samples = np.asarray(reference), np.asarray(samples)
    ax.scatter(reference[:, 0], reference[:, 1], s=2, c="0.7", lw=0, label="p_data")
    ax.scatter(samples[:, 0], samples[:, 1], s=3, c="C3", alpha=0.5, lw=0, label="p_g")
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=6, markerscale=4)
