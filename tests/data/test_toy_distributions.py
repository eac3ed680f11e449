"""2-D toy distributions: Gaussian, 5×5 grid and 8-ring, with their centres."""

from __future__ import annotations

import numpy as np
import pytest

from shall_we_gans.data.toy import gaussian, grid, ring

MEAN = [2**-0.5, -(2**-0.5)]


def test_gaussian_moments_and_centre():
    sample = gaussian(20000, MEAN, [[0.5, 0.2], [0.2, 0.3]], seed=0)
    assert sample.points.shape == (20000, 2) and sample.points.dtype == np.float32
    assert sample.centres.dtype == np.float32 and sample.std is None
    np.testing.assert_allclose(sample.centres, [MEAN], rtol=1e-6)
    np.testing.assert_allclose(sample.points.mean(0), MEAN, atol=0.02)
    np.testing.assert_allclose(np.cov(sample.points.T), [[0.5, 0.2], [0.2, 0.3]], atol=0.02)


def test_gaussian_singular_covariance_stays_on_its_line():
    points = gaussian(100, [1.0, 0.0], [[1.0, 1.0], [1.0, 1.0]], seed=0).points
    np.testing.assert_allclose(points[:, 0] - points[:, 1], 1.0, atol=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cov": [[1.0, 0.5], [0.0, 1.0]]}, "cov must be symmetric"),
        ({"cov": [[1.0, 2.0], [2.0, 1.0]]}, "positive semi-definite"),
        ({"cov": [1.0, 1.0]}, "cov must be a finite 2×2"),
        ({"mean": [0.0, 0.0, 0.0]}, "mean must be 2 finite numbers"),
        ({"n": 0}, "n must be an integer >= 1"),
    ],
)
def test_gaussian_rejects_bad_input(kwargs, message):
    args = {"n": 10, "mean": MEAN, "cov": np.eye(2), "seed": 0, **kwargs}
    with pytest.raises(ValueError, match=message):
        gaussian(**args)


def test_grid_centres_and_modes():
    sample = grid(2500, seed=0)
    axis = np.linspace(-4, 4, 5)
    expected = np.array([[x, y] for x in axis for y in axis], np.float32)
    np.testing.assert_array_equal(sample.centres, expected)
    assert sample.std == 0.1 and sample.points.dtype == np.float32
    distances = np.linalg.norm(sample.points[:, None] - sample.centres[None], axis=2)
    assert distances.min(1).max() < 6 * 0.1
    counts = np.bincount(distances.argmin(1), minlength=25)
    assert counts.min() > 50 and counts.max() < 150  # uniform choice: about 100 each


def test_grid_other_k_and_spacing():
    centres = grid(10, k=3, spacing=1.5).centres
    np.testing.assert_array_equal(np.unique(centres[:, 0]), [-1.5, 0.0, 1.5])


def test_ring_centres_on_the_circle():
    sample = ring(800, n_modes=8, radius=2.0, std=0.01, seed=0)
    np.testing.assert_allclose(np.linalg.norm(sample.centres, axis=1), 2.0, rtol=1e-6)
    angles = np.mod(np.arctan2(sample.centres[:, 1], sample.centres[:, 0]), 2 * np.pi)
    np.testing.assert_allclose(angles, 2 * np.pi * np.arange(8) / 8, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(sample.points, axis=1), 2.0, atol=0.06)
    assert sample.std == 0.01


@pytest.mark.parametrize("make", [grid, ring])
def test_mixtures_seeded(make):
    np.testing.assert_array_equal(make(100, seed=5).points, make(100, seed=5).points)
    assert not np.array_equal(make(100, seed=5).points, make(100, seed=6).points)
    with pytest.raises(ValueError, match="std must be a finite number > 0"):
        make(100, std=0.0)
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        make(0)


def test_gaussian_seeded():
    a = gaussian(100, MEAN, np.eye(2), 1).points
    np.testing.assert_array_equal(a, gaussian(100, MEAN, np.eye(2), 1).points)
    assert not np.array_equal(a, gaussian(100, MEAN, np.eye(2), 2).points)
