"""How well samples sit on, and cover, a finite support (e.g. the lattice points of a glyph)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree


def _as_points(name: str, points: np.ndarray, dim: int | None = None) -> np.ndarray:
    x = np.asarray(points, dtype=np.float64)
    if x.ndim != 2 or len(x) == 0 or (dim is not None and x.shape[1] != dim):
        want = f"(N, {dim})" if dim is not None else "(N, d)"
        raise ValueError(f"{name} must be a non-empty {want} array, got shape {x.shape}")
    return x


def _nearest(samples: np.ndarray, support: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Euclidean distance to, and index of, each sample's nearest support point."""
    support = _as_points("support", support)
    samples = _as_points("samples", samples, support.shape[1])
    return cKDTree(support).query(samples, k=1)


def on_support(samples: np.ndarray, support: np.ndarray, step: float) -> float:
    """Fraction of samples within ``step / 2`` (Euclidean) of some support point.

    ``step`` is the lattice spacing of the support.
    """
    if not step > 0:
        raise ValueError(f"step must be positive, got {step}")
    dist, _ = _nearest(samples, support)
    return float(np.mean(dist <= step / 2))


def support_coverage(samples: np.ndarray, support: np.ndarray) -> float:
    """Fraction of support points that are the nearest support point of at least one sample."""
    support = _as_points("support", support)
    _, idx = _nearest(samples, support)
    return float(len(np.unique(idx)) / len(support))
