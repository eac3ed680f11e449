"""Fréchet distance: zero on identical sets, the closed form on Gaussians, shape checks."""

import numpy as np
import pytest
from scipy.linalg import sqrtm

from shall_we_gans.metrics.frechet import frechet_distance, frechet_distance_from_moments


def test_a_set_against_itself_is_zero():
    x = np.random.default_rng(0).normal(size=(500, 8))
    assert frechet_distance(x, x) == pytest.approx(0.0, abs=1e-8)


def test_shifted_isotropic_gaussians_give_the_squared_shift():
    rng = np.random.default_rng(1)
    shift = np.array([3.0, -1.0, 0.0, 2.0])
    a = rng.normal(size=(200_000, 4))
    b = rng.normal(size=(200_000, 4)) + shift
    assert frechet_distance(a, b) == pytest.approx(shift @ shift, rel=0.01)


def test_large_samples_match_the_closed_form_of_their_gaussians():
    rng = np.random.default_rng(2)
    mu_a, mu_b = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.0])
    sigma_a = np.array([[2.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 0.5]])
    sigma_b = np.diag([0.5, 3.0, 1.0])
    a = rng.multivariate_normal(mu_a, sigma_a, size=200_000)
    b = rng.multivariate_normal(mu_b, sigma_b, size=200_000)
    exact = frechet_distance_from_moments(mu_a, sigma_a, mu_b, sigma_b)
    assert frechet_distance(a, b) == pytest.approx(exact, rel=0.02)


def test_moments_give_the_closed_form_exactly():
    mu_a, mu_b = np.array([1.0, 2.0]), np.array([0.0, 0.0])
    # diagonal, commuting covariances: tr((S1 S2)^1/2) = sum sqrt(s1 s2)
    fd = frechet_distance_from_moments(mu_a, np.diag([4.0, 1.0]), mu_b, np.diag([1.0, 9.0]))
    assert fd == pytest.approx(5.0 + (4 + 1 + 1 + 9) - 2 * (2 + 3), abs=1e-12)
    # non-commuting covariances against scipy's general square root
    s1 = np.array([[2.0, 0.9], [0.9, 1.0]])
    s2 = np.array([[1.0, -0.3], [-0.3, 0.5]])
    expected = 5.0 + np.trace(s1 + s2 - 2 * np.real(sqrtm(s1 @ s2)))
    assert frechet_distance_from_moments(mu_a, s1, mu_b, s2) == pytest.approx(expected, abs=1e-10)


def test_identical_singular_covariances_are_zero_not_negative():
    sigma = np.outer([1.0, 2.0, 0.0], [1.0, 2.0, 0.0])  # rank 1
    fd = frechet_distance_from_moments(np.zeros(3), sigma, np.zeros(3), sigma)
    assert fd == pytest.approx(0.0, abs=1e-7)
    assert fd >= 0.0


@pytest.mark.parametrize(
    ("a", "b", "name"),
    [
        (np.zeros(5), np.zeros((5, 2)), "features_a"),
        (np.zeros((1, 2)), np.zeros((5, 2)), "features_a"),
        (np.zeros((5, 2)), np.zeros((5, 3)), "features_b"),
        (np.zeros((5, 2)), np.full((5, 2), np.nan), "features_b"),
    ],
)
def test_bad_feature_sets_name_the_argument(a, b, name):
    with pytest.raises(ValueError, match=name):
        frechet_distance(a, b)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((np.zeros((2, 2)), np.eye(2), np.zeros(2), np.eye(2)), "mu_a"),
        ((np.zeros(2), np.eye(2), np.zeros(3), np.eye(2)), "mu_b"),
        ((np.zeros(2), np.eye(3), np.zeros(2), np.eye(2)), "sigma_a"),
        ((np.zeros(2), np.eye(2), np.zeros(2), np.array([[1.0, 0.5], [0.0, 1.0]])), "sigma_b"),
    ],
)
def test_bad_moments_name_the_argument(args, name):
    with pytest.raises(ValueError, match=name):
        frechet_distance_from_moments(*args)
