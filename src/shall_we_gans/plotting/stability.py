"""Figures of the stability study: every seed's max |∇ₓD/D| and ‖∇ₓf‖ per step with crash
marks, sample strips."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import torch
from matplotlib.figure import Figure
from torchvision.utils import make_grid


def seed_curves_figure(
    runs: Mapping[str, Mapping[str, pd.DataFrame]],
    crash_steps: Mapping[str, Mapping[str, int | None]],
    columns: Sequence[str] = ("max_grad_d_over_d", "max_grad_logit"),
) -> Figure:
    """A panel per variant (columns) and diagnostic (rows): every seed's curve of the
    diagnostic against ``step`` on a log axis shared along the row (non-positive or non-finite
    values left out); a seed's crash step (``None`` or absent = no crash) is a dashed line in
    its colour with an ``x`` on its curve; the title counts the variant's crashes."""
    if not runs:
        raise ValueError("runs must hold at least one variant")
    fig = Figure(figsize=(2.6 * len(runs) + 0.6, 2.4 * len(columns) + 0.4))
    axes = fig.subplots(len(columns), len(runs), squeeze=False, sharex=True, sharey="row")
    for j, (variant, seeds) in enumerate(runs.items()):
        crashes = crash_steps.get(variant, {})
        for i, column in enumerate(columns):
            _curves(axes[i, j], seeds, crashes, column)
        crashed = sum(crashes.get(seed) is not None for seed in seeds)
        axes[0, j].set_title(f"{variant}: {crashed}/{len(seeds)} crashed", fontsize=9)
    for i, column in enumerate(columns):
        axes[i, 0].set_ylabel(f"{column}\n(log scale)", fontsize=8)
        _floor(axes[i])
    axes[0, -1].legend(fontsize=6, title="seed", title_fontsize=6)
    fig.tight_layout()
    return fig


def _floor(row: np.ndarray) -> None:
    """Cut a shared log axis a decade below the 1st percentile of its curves' values: a single
    step where D(G(z)) -> 1 sends σ(−f) toward 1e-30 and would flatten every curve."""
    values = [np.asarray(line.get_ydata(), float) for ax in row for line in ax.get_lines()]
    values = np.concatenate([v[np.isfinite(v) & (v > 0)] for v in values] or [np.empty(0)])
    if len(values):
        floor = np.percentile(values, 1) / 10
        if values.min() < floor:
            row[0].set_ylim(bottom=floor)


def _curves(
    ax,
    histories: Mapping[str, pd.DataFrame],
    crash_steps: Mapping[str, int | None],
    column: str,
) -> None:
    for i, (label, history) in enumerate(histories.items()):
        colour = f"C{i % 10}"
        steps = np.asarray(history["step"], dtype=np.float64)
        values = np.asarray(history[column], dtype=np.float64)
        keep = np.isfinite(values) & (values > 0)
        crash = crash_steps.get(label)
        ax.plot(steps[keep], values[keep], color=colour, lw=1, label=label)
        if crash is not None:
            ax.axvline(crash, color=colour, ls="--", lw=1)
            before = keep & (steps <= crash)
            if before.any():
                last = np.flatnonzero(before)[-1]
                ax.plot(steps[last], values[last], "x", color=colour, ms=8, mew=2)
    ax.set_yscale("log")
    ax.set_xlabel("generator step")


def sample_strips_figure(
    strips: Mapping[str, np.ndarray],
    steps: Mapping[str, Sequence[int]] | None = None,
    crash_steps: Mapping[str, int | None] | None = None,
    pad: int = 2,
    per_row: int = 4,
) -> Figure:
    """One panel per variant, ``per_row`` to a row: row ``i`` of a panel holds the samples
    drawn after chunk ``i``.

    ``strips[variant]`` is uint8 ``(chunks, n, C, H, W)`` (``StabilityRun.strips``); ``steps``
    labels the rows with the training step of each chunk; a crash step goes into the title.
    Variants with fewer chunks (stopped at a crash) get shorter panels on the same scale.
    """
    steps, crash_steps = steps or {}, crash_steps or {}
    grids = {label: _strip_grid(np.asarray(s), pad) for label, s in strips.items()}
    if not grids:
        raise ValueError("strips must hold at least one variant")
    height = max(g.shape[0] for g in grids.values())
    width = max(g.shape[1] for g in grids.values())
    cols = min(per_row, len(grids))
    rows = -(-len(grids) // cols)
    fig = Figure(figsize=(cols * (1.0 + width / 80), rows * (0.8 + height / 80)))
    panels = fig.subplots(rows, cols, squeeze=False).ravel()
    for spare in panels[len(grids) :]:
        fig.delaxes(spare)
    for ax, (label, grid) in zip(panels, grids.items(), strict=False):
        ax.imshow(grid, cmap="gray" if grid.ndim == 2 else None, vmin=0, vmax=255)
        ax.set_xlim(-0.5, width - 0.5)
        ax.set_ylim(height - 0.5, -0.5)
        rows = np.asarray(strips[label]).shape[0]
        row_height = (grid.shape[0] - pad) / max(rows, 1)
        ax.set_xticks([])
        labels = steps.get(label)
        if labels is not None:
            ax.set_yticks(pad / 2 + row_height * (np.arange(rows) + 0.5), [str(s) for s in labels])
            ax.set_ylabel("step")
        else:
            ax.set_yticks([])
        crash = crash_steps.get(label)
        ax.set_title(label if crash is None else f"{label}\ncrashed at {crash}", fontsize=9)
        for spine in ax.spines.values():
            spine.set_visible(False)
    fig.tight_layout()
    return fig


def _strip_grid(strips: np.ndarray, pad: int) -> np.ndarray:
    """uint8 ``(chunks, n, C, H, W)`` -> one uint8 picture (H', W') or (H', W', 3)."""
    if strips.dtype != np.uint8 or strips.ndim != 5 or strips.shape[2] not in (1, 3):
        raise ValueError(
            "each strip set must be uint8 (chunks, n, C, H, W) with C = 1 or 3, got "
            f"{strips.dtype} {strips.shape}"
        )
    chunks, n = strips.shape[:2]
    if chunks == 0 or n == 0:
        raise ValueError(f"strips must hold at least one chunk and one sample, got {strips.shape}")
    images = torch.from_numpy(strips.reshape(chunks * n, *strips.shape[2:])).float() / 255
    grid = make_grid(images, nrow=n, padding=pad, pad_value=1.0)  # (3, H', W'), white gaps
    picture = (grid * 255).round().to(torch.uint8).permute(1, 2, 0).numpy()
    return picture[..., 0] if strips.shape[2] == 1 else picture
