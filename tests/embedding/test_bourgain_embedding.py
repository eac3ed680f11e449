"""Public behaviour of the Bourgain embedding: shape, non-contraction, distortion, determinism."""

import math

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from shall_we_gans.embedding import BourgainEmbedding, bourgain_embedding, embed, embedding_shape

SCIPY_METRIC = {"euclidean": "euclidean", "l1": "cityblock"}


def random_points(n: int, dim: int = 6, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, dim))


def clustered_points(n: int, seed: int = 0) -> np.ndarray:
    """Eight tight, far-apart clusters (the BourGAN setting) in 5-D."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 5)) * 0.05 + rng.integers(0, 8, size=(n, 1)) * 3.0


def ratios(points: np.ndarray, coords: np.ndarray, metric: str = "euclidean") -> np.ndarray:
    """||f(x) - f(y)|| / d(x, y) for every pair."""
    return pdist(coords) / pdist(points, SCIPY_METRIC[metric])


@pytest.mark.parametrize("metric", ["euclidean", "l1"])
@pytest.mark.parametrize("jl", [True, False])
def test_never_contracts_and_beta_is_tight(metric, jl):
    x = random_points(80)
    result = embed(x, seed=3, jl=jl, metric=metric, block_size=16)
    r = ratios(x, result.coords, metric)
    assert r.min() >= 1.0 - 1e-12  # every pair: ||f(x) - f(y)|| >= d(x, y)
    assert r.min() == pytest.approx(1.0, abs=1e-9)  # beta is the exact max, not an upper bound
    # beta itself: the largest d / ||h|| over pairs of the unscaled map
    brute = (pdist(x, SCIPY_METRIC[metric]) / pdist(result.unscaled_coords)).max()
    assert result.beta == pytest.approx(brute, rel=1e-9)


@pytest.mark.parametrize("make", [random_points, clustered_points])
@pytest.mark.parametrize("metric", ["euclidean", "l1"])
def test_distortion_is_order_log_m(make, metric):
    # Bourgain: distortion O(log m) with an unspecified constant. Observed over 5 seeds on
    # uniform, Gaussian, clustered, 2-D grid and 1-D data (m = 64..1000): at most 1.9 log2 m
    # (0.8 log2 m here). C = 4 leaves a 2x margin; on the clustered data a broken embedding
    # exceeds it (every level keeping points with probability 1/2: ~196 log2 m; every level
    # with probability 2**-levels: ~7 log2 m).
    x = make(200)
    for seed in range(3):
        r = ratios(x, bourgain_embedding(x, seed=seed, metric=metric), metric)
        assert r.max() / r.min() <= 4.0 * math.log2(200)


def test_dimension_formula():
    assert embedding_shape(1000) == (10, 10, 50)  # ceil(5 log2 1000) = 50, the official 5*10
    assert embedding_shape(1000, jl=False) == (10, 10, 100)
    assert embedding_shape(1024, repetitions=3) == (10, 3, 30)  # capped at levels * t
    assert embedding_shape(1025) == (11, 11, 51)
    assert embedding_shape(2000, jl_factor=2.0) == (11, 11, 22)
    assert embedding_shape(5) == (3, 3, 9)  # ceil(5 log2 5) = 12 > 9 = levels * t
    assert embedding_shape(2) == (1, 1, 1)
    assert embedding_shape(1) == (1, 1, 1)


@pytest.mark.parametrize("jl", [True, False])
def test_result_fields_match_the_formula(jl):
    x = random_points(300)
    result = embed(x, seed=0, jl=jl)
    assert isinstance(result, BourgainEmbedding)
    assert (result.levels, result.repetitions, result.dim) == embedding_shape(300, jl=jl)
    assert result.coords.shape == (300, result.dim) and result.coords.dtype == np.float64
    assert result.dim == (9 * 9 if not jl else math.ceil(5 * math.log2(300)))
    np.testing.assert_allclose(result.unscaled_coords * result.beta, result.coords)


def test_jl_off_keeps_the_subset_distances():
    # Without JL the coordinates are beta * d(x, S_ij): non-negative, some exactly 0 (x in S).
    x = random_points(64)
    result = embed(x, seed=1, jl=False)
    assert (result.coords >= 0).all()
    assert (result.coords == 0).any()


def test_same_seed_same_numbers_other_seed_different():
    x = random_points(150)
    a, b = embed(x, seed=7), embed(x, seed=7)
    assert np.array_equal(a.coords, b.coords) and a.beta == b.beta
    c = embed(x, seed=8)
    assert not np.allclose(a.coords, c.coords)


def test_block_size_does_not_change_the_result():
    x = clustered_points(150)
    for metric in ("euclidean", "l1"):
        small = embed(x, seed=2, metric=metric, block_size=20)
        large = embed(x, seed=2, metric=metric, block_size=1000)
        scale = np.abs(large.coords).max()
        np.testing.assert_allclose(small.coords, large.coords, rtol=1e-5, atol=1e-5 * scale)
        assert small.beta == pytest.approx(large.beta, rel=1e-5)


def test_euclidean_and_l1_differ_but_agree_in_one_dimension():
    x = random_points(60)
    euclid, l1 = embed(x, seed=0), embed(x, seed=0, metric="l1")
    assert not np.allclose(euclid.coords, l1.coords)
    assert ratios(x, l1.coords, "l1").min() >= 1.0 - 1e-12
    line = np.random.default_rng(1).uniform(0, 10, size=(60, 1))  # |a - b| is both metrics
    a, b = embed(line, seed=0), embed(line, seed=0, metric="l1")
    np.testing.assert_allclose(a.coords, b.coords, rtol=1e-4, atol=1e-4)


def test_inputs_are_flattened():
    images = np.random.default_rng(0).random((40, 4, 4, 3))
    np.testing.assert_array_equal(
        bourgain_embedding(images, seed=0), bourgain_embedding(images.reshape(40, -1), seed=0)
    )


def test_one_point():
    result = embed(np.ones((1, 3)), seed=0)
    assert result.coords.shape == (1, 1) and (result.coords == 0).all() and result.beta == 1.0


def test_two_points_are_exactly_distance_apart():
    x = np.array([[0.0, 0.0], [3.0, 4.0]])
    for seed in range(10):  # t = 1: half the draws collapse both points and are drawn again
        coords = bourgain_embedding(x, seed=seed)
        assert coords.shape == (2, 1)
        assert np.linalg.norm(coords[0] - coords[1]) == pytest.approx(5.0, rel=1e-12)


def test_collapsed_draws_are_redrawn_or_reported():
    x = np.array([[0.0], [1.0]])
    outcomes = []
    for seed in range(20):
        try:
            bourgain_embedding(x, seed=seed, max_draws=1)
            outcomes.append("ok")
        except ValueError as err:
            assert "max_draws=1" in str(err)
            outcomes.append("collapsed")
    assert "ok" in outcomes and "collapsed" in outcomes


def test_duplicates_get_identical_rows():
    base = random_points(40)
    x = np.concatenate([base, base[:10], -0.0 * base[:1]])  # 10 repeats, and -0.0 rows
    x[-1] = 0.0 * base[0]
    x = np.concatenate([x, np.zeros((1, 6))])  # +0.0 twin of the -0.0 row
    result = embed(x, seed=0)
    np.testing.assert_array_equal(result.coords[40:50], result.coords[:10])
    np.testing.assert_array_equal(result.coords[-1], result.coords[-2])
    assert (result.levels, result.repetitions, result.dim) == embedding_shape(41)  # 41 distinct
    distinct = np.concatenate([base, np.zeros((1, 6))])
    rows = list(range(40)) + [len(x) - 1]
    assert ratios(distinct, result.coords[rows]).min() >= 1.0 - 1e-12


def test_all_points_identical():
    result = embed(np.full((5, 3), 2.5), seed=0)
    assert result.coords.shape == (5, 1) and (result.coords == 0).all() and result.beta == 1.0


def test_near_duplicates_keep_their_true_distance():
    x = np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0 + 1e-9], [4.0, 0.0, 1.0], [0.0, 5.0, 2.0]])
    result = embed(x, seed=0)
    r = ratios(x, result.coords)
    assert r.min() >= 1.0 - 1e-9 and r.max() < 1e3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"metric": "cosine"}, r"metric must be one of \('euclidean', 'l1'\)"),
        ({"block_size": 0}, "block_size must be a positive int"),
        ({"repetitions": 0}, "repetitions must be None or a positive int"),
        ({"jl_factor": -1.0}, "jl_factor must be a positive number"),
        ({"max_draws": 0}, "max_draws must be a positive int"),
        ({"seed": 1.5}, "seed must be an int"),
    ],
)
def test_bad_options_are_one_clear_error(kwargs, message):
    options = {"seed": 0, **kwargs}
    with pytest.raises(ValueError, match=message):
        embed(random_points(10), **options)


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (np.zeros((0, 3)), "at least one"),
        ([[1.0, np.nan]], "finite"),
        ([["a", "b"]], "numeric"),
    ],
)
def test_bad_points_are_one_clear_error(points, message):
    with pytest.raises(ValueError, match=message):
        embed(points, seed=0)
