"""Mode coverage of low-dimensional samples (PacGAN / VEEGAN protocol for 2-D grids and rings).

A sample is *high quality* (HQ) when it lies within ``n_sigma * std`` (Euclidean) of its nearest
mode centre; a mode is *covered* when at least one HQ sample is nearest to it. The mode
histogram counts HQ samples per nearest mode, and its KL divergence to the uniform distribution
over the k modes is ``sum_{p > 0} p log(p k)`` (natural log). With no HQ sample at all the
histogram is empty; it is then scored ``log k``, the KL of a histogram collapsed on one mode
(the largest value a non-empty histogram can reach), so the score stays finite and ordered.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree


def nearest_modes(samples, centres) -> tuple[np.ndarray, np.ndarray]:
    """Index of each sample's nearest centre and the Euclidean distance to it."""
    samples, centres = _as_points(samples, centres)
    distance, nearest = cKDTree(centres).query(samples, k=1)
    return nearest.astype(np.int64), distance


def high_quality_mask(samples, centres, std: float, n_sigma: float = 3.0) -> np.ndarray:
    """Boolean mask of the samples within ``n_sigma * std`` of their nearest centre."""
    return _nearest_and_quality(samples, centres, std, n_sigma)[1]


def mode_histogram(samples, centres, std: float, n_sigma: float = 3.0) -> np.ndarray:
    """Number of high-quality samples nearest to each centre, shape (k,)."""
    nearest, hq = _nearest_and_quality(samples, centres, std, n_sigma)
    return np.bincount(nearest[hq], minlength=len(np.asarray(centres)))


def kl_to_uniform(counts) -> float:
    """KL(histogram || uniform over its k bins), natural log; ``log k`` for an all-zero one."""
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 1 or len(counts) == 0 or (counts < 0).any() or not np.isfinite(counts).all():
        raise ValueError("counts must be a non-empty 1-D array of finite non-negative numbers")
    k, total = len(counts), counts.sum()
    if total == 0:
        return float(np.log(k))
    p = counts[counts > 0] / total
    return float(max(0.0, np.sum(p * np.log(p * k))))


def mode_metrics(samples, centres, std: float, n_sigma: float = 3.0) -> dict[str, float | int]:
    """``modes_covered`` (int), ``hq_fraction`` (HQ samples / samples) and ``kl_to_uniform``."""
    nearest, hq = _nearest_and_quality(samples, centres, std, n_sigma)
    counts = np.bincount(nearest[hq], minlength=len(np.asarray(centres)))
    return {
        "modes_covered": int((counts > 0).sum()),
        "hq_fraction": float(hq.mean()),
        "kl_to_uniform": kl_to_uniform(counts),
    }


def _nearest_and_quality(samples, centres, std, n_sigma) -> tuple[np.ndarray, np.ndarray]:
    _check_positive(std=std, n_sigma=n_sigma)
    nearest, distance = nearest_modes(samples, centres)
    return nearest, distance <= n_sigma * std


def _as_points(samples, centres) -> tuple[np.ndarray, np.ndarray]:
    samples = np.asarray(samples, dtype=np.float64)
    centres = np.asarray(centres, dtype=np.float64)
    for name, array in (("samples", samples), ("centres", centres)):
        if array.ndim != 2 or len(array) == 0 or array.shape[1] == 0:
            raise ValueError(f"{name} must be a non-empty (n, d) array, got shape {array.shape}")
        if not np.isfinite(array).all():
            raise ValueError(f"{name} must be finite")
    if samples.shape[1] != centres.shape[1]:
        raise ValueError(
            f"samples and centres must have the same dimension, got {samples.shape[1]} "
            f"and {centres.shape[1]}"
        )
    return samples, centres


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if not (isinstance(value, int | float | np.number) and np.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def rank_by_modes(rows: list[dict], min_hq: float = 0.8) -> list[dict]:
    """``rows`` (a setting's mean ``modes_covered``, ``hq_fraction``, ``kl_to_uniform``), best
    first: the settings whose ``hq_fraction`` ≥ ``min_hq`` by most modes (ties: higher
    ``hq_fraction``, then lower KL), then the others by highest ``hq_fraction`` (ties: lower KL).
    So the best covers the most modes among those that keep their samples on the modes, and,
    when none does, is the one that keeps the most there; a prior that sprays samples over the
    plane touches every mode but is not chosen for it."""

    def kept(row: dict) -> bool:
        return row["hq_fraction"] >= min_hq

    def on_modes(row: dict) -> tuple:
        return (-row["modes_covered"], -row["hq_fraction"], row["kl_to_uniform"])

    def nearest(row: dict) -> tuple:
        return (-row["hq_fraction"], row["kl_to_uniform"])

    return sorted(filter(kept, rows), key=on_modes) + sorted(
        (r for r in rows if not kept(r)), key=nearest
    )
