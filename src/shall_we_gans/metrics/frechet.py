"""Fréchet distance between two feature sets, each summarised by its mean and covariance.

``FD = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁ Σ₂)^{1/2})``: the 2-Wasserstein distance squared between
the Gaussians with those moments (FID when the features are Inception's). Computed in float64.
The trace of the matrix square root is taken through symmetric eigen-decompositions,
``tr((Σ₁ Σ₂)^{1/2}) = Σᵢ √λᵢ(Σ₁^{1/2} Σ₂ Σ₁^{1/2})``: the matrix inside is symmetric positive
semi-definite, so there are no complex parts to discard (``scipy.linalg.sqrtm`` on the
non-symmetric ``Σ₁ Σ₂`` returns tiny imaginary parts), and round-off negatives are clipped to 0.
"""

from __future__ import annotations

import numpy as np


def frechet_distance(features_a, features_b) -> float:
    """FD between the empirical Gaussians of two feature sets, ``(N, d)`` and ``(M, d)``.

    Covariances are the unbiased sample covariances (N, M ≥ 2).
    """
    a = _as_features(features_a, "features_a")
    b = _as_features(features_b, "features_b")
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"features_b must have the dimension of features_a ({a.shape[1]}), got {b.shape[1]}"
        )
    return frechet_distance_from_moments(
        a.mean(axis=0), _covariance(a), b.mean(axis=0), _covariance(b)
    )


def frechet_distance_from_moments(mu_a, sigma_a, mu_b, sigma_b) -> float:
    """FD between ``N(mu_a, sigma_a)`` and ``N(mu_b, sigma_b)``; covariances symmetric PSD."""
    mu_a = _as_mean(mu_a, "mu_a")
    d = len(mu_a)
    mu_b = _as_mean(mu_b, "mu_b", d)
    sigma_a = _as_covariance(sigma_a, "sigma_a", d)
    sigma_b = _as_covariance(sigma_b, "sigma_b", d)
    root_a = _psd_sqrt(sigma_a)
    inner = root_a @ sigma_b @ root_a
    trace_root = np.sqrt(np.clip(np.linalg.eigvalsh((inner + inner.T) / 2), 0.0, None)).sum()
    diff = mu_a - mu_b
    fd = diff @ diff + np.trace(sigma_a) + np.trace(sigma_b) - 2.0 * trace_root
    return float(max(fd, 0.0))


def _psd_sqrt(sigma: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh(sigma)
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def _covariance(x: np.ndarray) -> np.ndarray:
    return np.atleast_2d(np.cov(x, rowvar=False))


def _as_features(features, name: str) -> np.ndarray:
    x = np.asarray(features, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 1:
        raise ValueError(f"{name} must be an (N, d) array with N >= 2, got shape {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} must be finite")
    return x


def _as_mean(mu, name: str, d: int | None = None) -> np.ndarray:
    mu = np.asarray(mu, dtype=np.float64)
    if mu.ndim != 1 or len(mu) == 0 or (d is not None and len(mu) != d):
        expected = "(d,)" if d is None else f"({d},)"
        raise ValueError(f"{name} must have shape {expected}, got {mu.shape}")
    if not np.isfinite(mu).all():
        raise ValueError(f"{name} must be finite")
    return mu


def _as_covariance(sigma, name: str, d: int) -> np.ndarray:
    sigma = np.asarray(sigma, dtype=np.float64)
    if sigma.shape != (d, d):
        raise ValueError(f"{name} must have shape ({d}, {d}), got {sigma.shape}")
    if not np.isfinite(sigma).all():
        raise ValueError(f"{name} must be finite")
    if not np.allclose(sigma, sigma.T, rtol=1e-6, atol=1e-9):
        raise ValueError(f"{name} must be symmetric")
    return (sigma + sigma.T) / 2
