"""How well samples sit on, and cover, a finite lattice support (the pixels of a glyph).

Each support point owns its lattice cell: the square of side ``step`` centred on it (a glyph
pixel when the points are pixel centres). A sample is on the support when it lies in some
point's cell (L∞ distance to the nearest point ≤ ``step / 2``), so a generator that fills the
glyph uniformly scores 1; a support point is covered when at least one on-support sample lies in
its cell.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

# Cell test slack, in units of ``step``: float32 samples on a cell's edge still count.
CELL_SLACK = 1e-4


def _as_points(name: str, points: np.ndarray, dim: int | None = None) -> np.ndarray:
    x = np.asarray(points, dtype=np.float64)
    if x.ndim != 2 or len(x) == 0 or (dim is not None and x.shape[1] != dim):
        want = f"(N, {dim})" if dim is not None else "(N, d)"
        raise ValueError(f"{name} must be a non-empty {want} array, got shape {x.shape}")
    return x


def _in_cells(
    samples: np.ndarray, support: np.ndarray, step: float
) -> tuple[np.ndarray, np.ndarray]:
    """Whether each sample lies in a support point's cell, and that point's index."""
    if not step > 0:
        raise ValueError(f"step must be positive, got {step}")
    support = _as_points("support", support)
    samples = _as_points("samples", samples, support.shape[1])
    dist, idx = cKDTree(support).query(samples, k=1, p=np.inf)
    return dist <= step * (0.5 + CELL_SLACK), idx


def on_support(samples: np.ndarray, support: np.ndarray, step: float) -> float:
    """Fraction of samples inside some support point's cell (L∞ distance ≤ ``step / 2``).

    ``step`` is the lattice spacing of the support.
    """
    return support_metrics(samples, support, step)["on_support"]


def support_coverage(samples: np.ndarray, support: np.ndarray, step: float) -> float:
    """Fraction of support points whose cell holds at least one sample (off-support samples
    count for nothing)."""
    return support_metrics(samples, support, step)["support_coverage"]


def support_metrics(samples: np.ndarray, support: np.ndarray, step: float) -> dict[str, float]:
    """``{"on_support": …, "support_coverage": …}`` of ``samples``."""
    inside, idx = _in_cells(samples, support, step)
    return {
        "on_support": float(np.mean(inside)),
        "support_coverage": float(len(np.unique(idx[inside])) / len(support)),
    }
