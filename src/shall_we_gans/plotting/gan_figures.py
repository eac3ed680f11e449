"""Figures of the 2-D GAN experiments: samples over a support, gradient-norm curves."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

FRAME_MARGIN = 0.05  # of the support's larger side, around it


def support_scatter(
    samples: np.ndarray,
    support: np.ndarray,
    title: str = "",
    size: float = 4.0,
    max_points: int = 3000,
) -> Figure:
    """The first ``max_points`` generated ``samples`` (n×2) over the support (m×2) of p_data,
    framed on the support (a margin of ``FRAME_MARGIN`` of its size); the share of samples
    outside the frame is given in the title."""
    support, shown = np.asarray(support), np.asarray(samples)[:max_points]
    width, height = np.ptp(support, axis=0) + 1e-9
    pad = FRAME_MARGIN * max(width, height)
    # the figure takes the padded frame's aspect, so an aspect-true axis fills it
    fig = Figure(figsize=support_figsize(width + 2 * pad, height + 2 * pad, size))
    ax = fig.add_subplot()
    _draw_over(ax, support, shown)
    low, high = support.min(axis=0) - pad, support.max(axis=0) + pad
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    outside = np.mean(np.any((shown < low) | (shown > high), axis=1)) if len(shown) else 0.0
    ax.set_title(f"{title}\n{outside:.0%} of samples outside the frame" if outside else title)
    fig.tight_layout()
    return fig


def support_figsize(width: float, height: float, size: float = 4.0) -> tuple[float, float]:
    """Inches of ``support_scatter``'s figure for a support ``width`` × ``height`` in size: as
    tall as ``size``, as wide as the support's aspect asks (the memory estimate reads it)."""
    return size * max(1.0, width / height), size


def gradient_norm_figure(
    histories: Mapping[str, pd.DataFrame],
    samples: Mapping[str, np.ndarray],
    reference: np.ndarray,
    column: str = "g_grad_norm",
) -> Figure:
    """``column`` against ``step`` of every history on one log axis, ``mean_error`` per step
    when the histories have it, then one samples panel each (over ``reference``, p_data), with
    the path of the sample mean (``mean_x``, ``mean_y``) when the history has it."""
    tracked = all("mean_error" in h for h in histories.values())
    n_curves = 2 if tracked else 1
    fig = Figure(figsize=(4.0 * (n_curves + len(samples)), 3.6))
    axes = fig.subplots(1, n_curves + len(samples), squeeze=False)[0]
    for label, history in histories.items():
        axes[0].plot(history["step"], history[column], label=label, lw=1)
        if tracked:
            axes[1].plot(history["step"], history["mean_error"], label=label, lw=1)
    axes[0].set_yscale("log")
    axes[0].set_ylabel(f"{column} (log scale)")
    if tracked:
        axes[1].set_ylabel("‖mean of samples − mean of p_data‖")
    for ax in axes[:n_curves]:
        ax.set_xlabel("generator step")
        ax.legend(fontsize=8)
    for ax, (label, points) in zip(axes[n_curves:], samples.items(), strict=True):
        _draw_over(ax, reference, points)
        history = histories.get(label)
        if tracked and history is not None:
            ax.plot(history["mean_x"], history["mean_y"], c="k", lw=1, label="mean over training")
            ax.scatter(history["mean_x"].iloc[:1], history["mean_y"].iloc[:1], c="k", s=12)
            ax.legend(loc="upper right", fontsize=6, markerscale=4)
        ax.set_title(f"{label}: samples")
    fig.tight_layout()
    return fig


def _draw_over(ax, reference: np.ndarray, samples: np.ndarray) -> None:
    reference, samples = np.asarray(reference), np.asarray(samples)
    ax.scatter(reference[:, 0], reference[:, 1], s=2, c="0.7", lw=0, label="p_data")
    ax.scatter(samples[:, 0], samples[:, 1], s=3, c="C3", alpha=0.5, lw=0, label="p_g")
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=6, markerscale=4)


def glyph_curves_figure(curves: Mapping[str, pd.DataFrame], threshold: float) -> Figure:
    """The on-glyph share over training steps, one line per run (``step``, ``on_support``
    columns), with the ``threshold`` whose first crossing is reported and the ideal 1.0."""
    fig = Figure(figsize=(6, 3.5))
    ax = fig.add_subplot()
    for name, curve in curves.items():
        ax.plot(curve["step"], curve["on_support"], marker=".", label=name)
    ax.axhline(threshold, color="grey", linestyle="--", linewidth=1, label=f"{threshold:g}")
    ax.axhline(1.0, color="black", linewidth=1, label="ideal (draws from p_data)")
    ax.set_xlabel("training step")
    ax.set_ylabel("samples on the glyphs")
    ax.set_ylim(0, 1.05)
    ax.legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    return fig
