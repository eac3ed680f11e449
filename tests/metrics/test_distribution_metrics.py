"""Moment errors (metrics.distribution) and lattice support metrics (metrics.support)."""

import numpy as np
import pytest

from shall_we_gans.data.text_lattice import sample_lattice, text_lattice
from shall_we_gans.metrics.distribution import cov_error, mean_error
from shall_we_gans.metrics.support import on_support, support_coverage, support_metrics


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


def test_on_support_is_the_cell_of_a_lattice_point():
    samples = np.array([[0.1, 0.1], [1.0, 0.45], [1.5, 0.5], [2.45, -0.45], [0.45, 1.45], [5, 5]])
    # L∞ distances to the nearest point: 0.1, 0.45, 0.5, 0.45, 0.45, far -> 5 of 6 in a cell
    # (a cell's corner, 0.64 away in Euclidean distance, still counts)
    assert on_support(samples, SUPPORT, step=1.0) == pytest.approx(5 / 6)
    assert on_support(samples, SUPPORT, step=0.3) == pytest.approx(1 / 6)
    with pytest.raises(ValueError, match="step"):
        on_support(samples, SUPPORT, step=0.0)


def test_support_coverage_counts_cells_holding_an_on_support_sample():
    samples = np.array([[0.1, 0.0], [0.2, 0.1], [2.4, 0.0], [2.9, 0.0], [9.0, 0.0]])
    # cells: 0, 0, 2, off, off -> 2 of 4 support points covered; off-support samples count
    # for nothing, however many there are
    assert support_coverage(samples, SUPPORT, step=1.0) == pytest.approx(0.5)
    assert support_coverage(samples[3:], SUPPORT, step=1.0) == 0.0
    assert support_coverage(SUPPORT, SUPPORT, step=1.0) == 1.0
    assert support_metrics(samples, SUPPORT, 1.0) == {"on_support": 0.6, "support_coverage": 0.5}
    with pytest.raises(ValueError, match="samples"):
        support_coverage(np.zeros((3, 3)), SUPPORT, step=1.0)


def test_a_generator_filling_the_glyph_cells_uniformly_scores_one():
    lattice = text_lattice("平成", pixel_height=24)
    filled = sample_lattice(lattice, 20_000, seed=0, jitter=1.0)  # uniform over the glyph pixels
    judged = support_metrics(filled, lattice.support, lattice.step)
    assert judged["on_support"] == 1.0
    assert judged["support_coverage"] == 1.0  # ~70 draws per cell
    # the Euclidean half-step ball, the old rule, held only about π/4 of them
    dist = np.min(np.linalg.norm(filled[:, None] - lattice.support[None], axis=2), axis=1)
    assert np.mean(dist <= lattice.step / 2) == pytest.approx(np.pi / 4, abs=0.02)
