"""Moment errors (metrics.distribution) and lattice support metrics (metrics.support)."""

import numpy as np
import pytest

from shall_we_gans.metrics.distribution import cov_error, mean_error
from shall_we_gans.metrics.support import on_support, support_coverage


def test_mean_and_cov_error_by_hand():
    x = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]])
    # mean (1, 1); unbiased covariance diag(4/3, 4/3)
    assert mean_error(x, [1.0, 1.0]) == 0.0
    assert mean_error(x, [4.0, 5.0]) == pytest.approx(5.0)
    assert cov_error(x, np.diag([4 / 3, 4 / 3])) == pytest.approx(0.0, abs=1e-12)
    assert cov_error(x, np.eye(2)) == pytest.approx(np.sqrt(2) / 3)


def test_errors_are_small_for_samples_of_the_target():
    rng = np.random.default_rng(0)
    mean, cov = np.array([1 / np.sqrt(2), -1 / np.sqrt(2)]), 0.5 * np.eye(2)
    x = rng.multivariate_normal(mean, cov, size=10_000)
    assert mean_error(x, mean) < 0.03 and cov_error(x, cov) < 0.05
    assert mean_error(x + 0.3, mean) > 0.3


def test_distribution_shape_errors():
    with pytest.raises(ValueError, match="mean"):
        mean_error(np.zeros((5, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="cov"):
        cov_error(np.zeros((5, 2)), np.eye(3))
    with pytest.raises(ValueError, match="samples"):
        mean_error(np.zeros(5), np.zeros(1))


SUPPORT = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 1.0]])  # lattice step 1


def test_on_support_uses_half_a_step():
    samples = np.array([[0.1, 0.1], [1.0, 0.45], [1.5, 0.5], [2.2, -0.2], [5.0, 5.0]])
    # distances to nearest point: 0.14, 0.45, 0.71, 0.28, far -> 3 of 5 within 0.5
    assert on_support(samples, SUPPORT, step=1.0) == pytest.approx(0.6)
    assert on_support(samples, SUPPORT, step=0.3) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="step"):
        on_support(samples, SUPPORT, step=0.0)


def test_support_coverage_counts_points_that_are_someones_nearest():
    samples = np.array([[0.1, 0.0], [0.2, 0.1], [2.4, 0.0], [9.0, 0.0]])
    # nearest points: 0, 0, 2, 2 -> 2 of 4 support points covered
    assert support_coverage(samples, SUPPORT) == pytest.approx(0.5)
    assert support_coverage(SUPPORT, SUPPORT) == 1.0
    with pytest.raises(ValueError, match="samples"):
        support_coverage(np.zeros((3, 3)), SUPPORT)
