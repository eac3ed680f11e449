"""Moment errors of generated samples against a known distribution."""

from __future__ import annotations

import numpy as np


def _as_samples(samples: np.ndarray) -> np.ndarray:
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim != 2 or len(x) < 2:
        raise ValueError(f"samples must be an (N, d) array with N >= 2, got shape {x.shape}")
    return x


def mean_error(samples: np.ndarray, mean: np.ndarray) -> float:
    """L2 distance between the sample mean and ``mean`` (d,)."""
    x = _as_samples(samples)
    mean = np.asarray(mean, dtype=np.float64)
    if mean.shape != (x.shape[1],):
        raise ValueError(f"mean must have shape ({x.shape[1]},), got {mean.shape}")
    return float(np.linalg.norm(x.mean(axis=0) - mean))


def cov_error(samples: np.ndarray, cov: np.ndarray) -> float:
    """Frobenius norm of (unbiased sample covariance - ``cov``) for ``cov`` of shape (d, d)."""
    x = _as_samples(samples)
    cov = np.asarray(cov, dtype=np.float64)
    d = x.shape[1]
    if cov.shape != (d, d):
        raise ValueError(f"cov must have shape ({d}, {d}), got {cov.shape}")
    return float(np.linalg.norm(np.cov(x, rowvar=False).reshape(d, d) - cov, ord="fro"))
