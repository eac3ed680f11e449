"""2-D toy distributions, each returned with its mode centres: Gaussian, k×k grid, ring."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from shall_we_gans.data._checks import positive_float, positive_int, seed_int


@dataclass(frozen=True, eq=False)  # arrays: compare by identity, not elementwise
class ToySample:
    """Samples (float32 n×2), mode centres (float32 k×2) and the per-mode std (None: full cov)."""

    points: np.ndarray
    centres: np.ndarray
    std: float | None


def gaussian(n: int, mean, cov, seed: int) -> ToySample:
    """``n`` samples of N(mean, cov); ``cov`` must be a symmetric positive semi-definite 2×2."""
    n = positive_int("n", n)
    mean = np.asarray(mean, dtype=np.float64)
    cov = np.asarray(cov, dtype=np.float64)
    if mean.shape != (2,) or not np.all(np.isfinite(mean)):
        raise ValueError(f"mean must be 2 finite numbers, got {mean.tolist()}")
    if cov.shape != (2, 2) or not np.all(np.isfinite(cov)):
        raise ValueError(f"cov must be a finite 2×2 matrix, got {cov.tolist()}")
    if not np.allclose(cov, cov.T):
        raise ValueError(f"cov must be symmetric, got {cov.tolist()}")
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    if eigenvalues.min() < -1e-12 * max(1.0, np.abs(eigenvalues).max()):
        raise ValueError(f"cov must be positive semi-definite, its eigenvalues are {eigenvalues}")
    root = eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))
    rng = np.random.default_rng(seed_int(seed))
    points = mean + rng.standard_normal((n, 2)) @ root.T
    return ToySample(points.astype(np.float32), mean[None].astype(np.float32), None)


def grid(n: int, k: int = 5, spacing: float = 2.0, std: float = 0.1, seed: int = 0) -> ToySample:
    """Uniform mixture of k² isotropic Gaussians centred at ``linspace(-(k-1)/2·spacing, …, k)²``.

    Centre ``i·k + j`` is ``(x_i, y_j)``; k=5, spacing 2 gives PacGAN's 25 modes at −4…4.
    """
    k = positive_int("k", k)
    half = (k - 1) / 2 * positive_float("spacing", spacing)
    axis = np.linspace(-half, half, k)
    xs, ys = np.meshgrid(axis, axis, indexing="ij")
    centres = np.stack([xs.ravel(), ys.ravel()], axis=1)
    return _mixture(n, centres, std, seed)


def ring(
    n: int, n_modes: int = 8, radius: float = 1.0, std: float = 0.01, seed: int = 0
) -> ToySample:
    """Uniform mixture of ``n_modes`` isotropic Gaussians at angles ``2π·i / n_modes``, radius r."""
    n_modes = positive_int("n_modes", n_modes)
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    centres = positive_float("radius", radius) * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return _mixture(n, centres, std, seed)


def _mixture(n: int, centres: np.ndarray, std: float, seed: int) -> ToySample:
    n, std = positive_int("n", n), positive_float("std", std)
    rng = np.random.default_rng(seed_int(seed))
    modes = rng.integers(0, len(centres), size=n)
    points = centres[modes] + std * rng.standard_normal((n, 2))
    return ToySample(points.astype(np.float32), centres.astype(np.float32), std)
