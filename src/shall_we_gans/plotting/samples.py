"""Sample figures shared by the experiments: digit grids and 2-D scatter plots."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import torch
from matplotlib.figure import Figure
from torchvision.utils import make_grid


def digit_grid(images: np.ndarray, ncols: int = 10, title: str = "") -> Figure:
    """Tile ``images`` (N×H×W or N×C×H×W, uint8 or float in [-1, 1]) into one picture."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[:, None]
    if images.dtype != np.uint8:
        images = np.clip((images + 1.0) * 127.5, 0, 255).astype(np.uint8)
    n, c = images.shape[:2]
    nrows = max(1, -(-n // ncols))
    tiles = make_grid(torch.from_numpy(images), nrow=ncols, padding=0)  # pads with zeros
    canvas = tiles.permute(1, 2, 0).numpy()
    fig = Figure(figsize=(ncols * 0.6, nrows * 0.6 + 0.4))
    ax = fig.add_subplot()
    ax.imshow(canvas[..., 0] if c == 1 else canvas, cmap="gray" if c == 1 else None)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def scatter_panels(
    panels: Mapping[str, Mapping[str, np.ndarray]],
    centres: np.ndarray | None = None,
    size: float = 3.0,
) -> Figure:
    """One scatter panel per entry of ``panels`` ({title: {label: n×2 points}}), side by side.

    ``centres`` (k×2), when given, are drawn as crosses on every panel. One legend sits below the
    panels, clear of the data.
    """
    fig = Figure(figsize=(size * len(panels), size + 0.3))
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (title, clouds) in zip(axes, panels.items(), strict=True):
        for label, points in clouds.items():
            pts = np.asarray(points)
            ax.scatter(pts[:, 0], pts[:, 1], s=2, alpha=0.5, label=label)
        if centres is not None:
            ax.scatter(centres[:, 0], centres[:, 1], marker="x", c="k", s=20, label="modes")
        ax.set_title(title)
        ax.set_aspect("equal")
    legend = {}  # label -> handle, first panel first
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            legend.setdefault(label, handle)
    handles, labels = list(legend.values()), list(legend)
    if len(handles) > 1:
        fig.legend(handles, labels, loc="lower center", ncol=len(handles), markerscale=3)
        fig.tight_layout(rect=(0, 0.08, 1, 1))
    else:
        fig.tight_layout()
    return fig
