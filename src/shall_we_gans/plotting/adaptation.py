"""Domain adaptation figures: confusion matrices, feature projections, training curves.

Every function builds a ``matplotlib.figure.Figure`` directly (no pyplot state, any backend).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

PROJECTIONS = ("pca", "tsne")
SOURCE_COLOR, TARGET_COLOR = "tab:red", "tab:blue"


def confusion_matrices_figure(
    before: np.ndarray,
    after: np.ndarray,
    titles: Sequence[str] = ("source only", "adapted (ADDA)"),
) -> Figure:
    """Two confusion matrices side by side (rows = true class), shaded by row-normalised rate."""
    matrices = [np.asarray(before), np.asarray(after)]
    for name, matrix in zip(("before", "after"), matrices, strict=True):
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.sum() <= 0:
            raise ValueError(
                f"{name} must be a square confusion matrix of counts, got shape {matrix.shape}"
            )
    n_classes = matrices[0].shape[0]
    figure = Figure(figsize=(5.0 * len(matrices), 4.6), layout="constrained")
    for ax, matrix, title in zip(figure.subplots(1, len(matrices)), matrices, titles, strict=True):
        support = np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        ax.imshow(matrix / support, cmap="Blues", vmin=0.0, vmax=1.0)
        for row, col in zip(*np.nonzero(matrix), strict=True):
            rate = matrix[row, col] / support[row, 0]
            color = "white" if rate > 0.5 else "black"
            ax.text(col, row, str(matrix[row, col]), ha="center", va="center", fontsize=7, c=color)
        acc = np.trace(matrix) / matrix.sum()
        ax.set(title=f"{title} (accuracy {acc:.1%})", xlabel="predicted", ylabel="true")
        ax.set(xticks=range(n_classes), yticks=range(n_classes))
    return figure


def _subsample(features: np.ndarray, max_points: int, rng: np.random.Generator) -> np.ndarray:
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or len(features) < 2:
        raise ValueError(f"features must be 2-D arrays with at least 2 rows, got {features.shape}")
    if len(features) <= max_points:
        return features
    return features[np.sort(rng.choice(len(features), max_points, replace=False))]


def _project(features: np.ndarray, method: str, seed: int) -> np.ndarray:
    if method == "pca":
        return PCA(n_components=2, random_state=seed).fit_transform(features)
    perplexity = min(30.0, (len(features) - 1) / 3)
    tsne = TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed)
    return tsne.fit_transform(features)


def feature_projection_figure(
    source_before: np.ndarray,
    target_before: np.ndarray,
    source_after: np.ndarray,
    target_after: np.ndarray,
    *,
    method: str = "tsne",
    max_points: int = 1000,
    seed: int = 0,
    titles: Sequence[str] = ("before adaptation", "after adaptation"),
) -> Figure:
    """2-D PCA or t-SNE of source (red) and target (blue) features, before and after adaptation.

    Each panel embeds its source and target features jointly; each array is first subsampled
    (seeded) to at most ``max_points`` rows to keep t-SNE fast.
    """
    if method not in PROJECTIONS:
        raise ValueError(f"method must be one of {PROJECTIONS}, got {method!r}")
    if max_points < 2:
        raise ValueError(f"max_points must be at least 2, got {max_points!r}")
    rng = np.random.default_rng(seed)
    pairs = [(source_before, target_before), (source_after, target_after)]
    figure = Figure(figsize=(10.0, 4.8), layout="constrained")
    for ax, (source, target), title in zip(figure.subplots(1, 2), pairs, titles, strict=True):
        source, target = _subsample(source, max_points, rng), _subsample(target, max_points, rng)
        if source.shape[1] != target.shape[1]:
            raise ValueError(
                f"source and target features differ in width: {source.shape[1]} "
                f"vs {target.shape[1]}"
            )
        points = _project(np.concatenate([source, target]), method, seed)
        ax.scatter(*points[: len(source)].T, s=4, c=SOURCE_COLOR, alpha=0.6, label="source")
        ax.scatter(*points[len(source) :].T, s=4, c=TARGET_COLOR, alpha=0.6, label="target")
        ax.set(title=f"{title} ({method.upper()})", xticks=[], yticks=[])
        ax.legend(loc="best", markerscale=3)
    return figure


def adaptation_history_figure(history: pd.DataFrame) -> Figure:
    """ADDA curves: discriminator and target-encoder losses, and discriminator accuracy."""
    missing = {"step", "d_loss", "t_loss", "d_acc"} - set(history.columns)
    if missing:
        raise ValueError(f"history lacks the columns {sorted(missing)}")
    figure = Figure(figsize=(10.0, 3.6), layout="constrained")
    loss_ax, acc_ax = figure.subplots(1, 2)
    loss_ax.plot(history["step"], history["d_loss"], label="discriminator")
    loss_ax.plot(history["step"], history["t_loss"], label="target encoder")
    loss_ax.set(xlabel="step", ylabel="loss", title="adversarial losses")
    loss_ax.legend()
    acc_ax.plot(history["step"], history["d_acc"], c="tab:green")
    acc_ax.axhline(0.5, c="gray", ls="--", lw=1)
    acc_ax.set(xlabel="step", ylabel="accuracy", ylim=(0.0, 1.02), title="discriminator accuracy")
    return figure
