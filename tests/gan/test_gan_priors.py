"""Prior shapes, statistics, truncation and determinism."""

import numpy as np
import pytest
import torch

from shall_we_gans.embedding import embed
from shall_we_gans.gan.priors import (
    GaussianMixturePrior,
    bourgain_beta,
    build_prior,
    draw_spread,
    nearest_neighbour_spacing,
    truncated_normal,
)


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def test_uniform_prior_range_and_moments():
    z = build_prior("uniform", 16, low=-2.0, high=4.0).sample(20_000, gen())
    assert z.shape == (20_000, 16) and z.dtype == torch.float32
    assert z.min() >= -2.0 and z.max() <= 4.0
    assert z.mean().item() == pytest.approx(1.0, abs=0.02)
    assert z.std().item() == pytest.approx(6 / np.sqrt(12), abs=0.02)
    default = build_prior("uniform", 3).sample(1000, gen())
    assert default.min() >= 0 and default.max() <= 1


def test_gaussian_prior_moments():
    z = build_prior("gaussian", 8).sample(20_000, gen())
    assert z.mean().item() == pytest.approx(0.0, abs=0.01)
    assert z.std().item() == pytest.approx(1.0, abs=0.01)


def test_truncated_gaussian_bound_and_variance():
    z = build_prior("truncated_gaussian", 4, threshold=1.0).sample(40_000, gen())
    assert z.abs().max() <= 1.0
    # variance of N(0,1) truncated to [-1, 1]: 1 - 2 phi(1) / (2 Phi(1) - 1)
    phi1, big_phi1 = np.exp(-0.5) / np.sqrt(2 * np.pi), 0.8413447460685429
    assert z.var().item() == pytest.approx(1 - 2 * phi1 / (2 * big_phi1 - 1), abs=0.01)


def test_truncation_trick_on_gaussian_and_mixture_but_not_uniform():
    z = build_prior("gaussian", 5).sample_truncated(5000, 0.5, gen())
    assert z.shape == (5000, 5) and z.abs().max() <= 0.5
    assert truncated_normal((10,), 3.0, gen()).shape == (10,)
    centres = np.array([[10.0, 0.0]])
    zm = build_prior("gaussian_mixture", centres=centres, sigma=2.0).sample_truncated(
        2000, 1.0, gen()
    )
    assert (zm - torch.tensor([10.0, 0.0])).abs().max() <= 2.0
    with pytest.raises(ValueError, match="Gaussian"):
        build_prior("uniform", 2).sample_truncated(3, 1.0, gen())


def test_gaussian_mixture_samples_sit_near_their_centres_and_cover_all():
    centres = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 0.0], [0.0, 10.0, -10.0]])
    prior = build_prior("gaussian_mixture", centres=centres, sigma=0.1)
    assert prior.dim == 3
    z = prior.sample(3000, gen()).numpy()
    dist = np.linalg.norm(z[:, None, :] - centres[None], axis=2)
    assert dist.min(axis=1).max() < 1.0  # 0.1 * sqrt(3) scale, 5+ sigma margin
    counts = np.bincount(dist.argmin(axis=1), minlength=3)
    assert np.all(np.abs(counts - 1000) < 120)


def test_same_generator_seed_gives_same_samples():
    for prior in (
        build_prior("uniform", 3),
        build_prior("gaussian", 3),
        build_prior("truncated_gaussian", 3),
        GaussianMixturePrior(np.eye(3), 0.1),
    ):
        assert torch.equal(prior.sample(50, gen(7)), prior.sample(50, gen(7)))
        assert not torch.equal(prior.sample(50, gen(7)), prior.sample(50, gen(8)))


def test_bad_prior_arguments():
    with pytest.raises(ValueError, match="uniform"):
        build_prior("cauchy", 2)
    with pytest.raises(ValueError, match="dim"):
        build_prior("gaussian")
    with pytest.raises(ValueError, match="dim"):
        build_prior("gaussian_mixture", 5, centres=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="centres"):
        build_prior("gaussian_mixture", centres=np.zeros(3))
    with pytest.raises(ValueError, match="high > low"):
        build_prior("uniform", 2, low=1.0, high=1.0)


def test_nearest_neighbour_spacing_of_known_points():
    points = np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [3.0, 2.5]])  # NN: 1, 1, 2, 2.5
    assert nearest_neighbour_spacing(points) == pytest.approx(1.5)
    assert nearest_neighbour_spacing(points[:1]) == 0.0


def test_bourgain_mixture_centred_with_sigma_from_the_nearest_neighbour_spacing():
    points = np.random.default_rng(0).normal(5.0, 3.0, size=(200, 10))
    embedding = embed(points, seed=0)
    raw = GaussianMixturePrior.from_embedding(embedding, 0.74)
    assert raw.centres.mean(0).norm() > 1.0  # the paper's map is not centred
    prior = GaussianMixturePrior.from_embedding(embedding, 0.25, centre=True, sigma_unit="nearest")
    assert prior.centres.mean(0).abs().max() < 1e-5
    assert prior.centres.pow(2).mean().sqrt().item() == pytest.approx(1.0, rel=1e-5)
    spacing = nearest_neighbour_spacing(prior.centres.numpy())
    assert prior.sigma * prior.dim**0.5 == pytest.approx(0.25 * spacing, rel=1e-6)
    # a draw lands about a quarter of the spacing from its centre, well inside its component
    z = prior.sample(4000, gen())
    nearest = torch.cdist(z, prior.centres).min(dim=1).values
    assert nearest.mean().item() == pytest.approx(0.25 * spacing, rel=0.1)
    # beta follows the centring, so the distance term's target is unchanged
    beta, raw_beta = bourgain_beta(embedding, centre=True), bourgain_beta(embedding)
    i, j = 3, 17
    centred_gap = beta * (prior.centres[i] - prior.centres[j]).norm().item()
    raw_gap = raw_beta * (raw.centres[i] - raw.centres[j]).norm().item()
    assert centred_gap == pytest.approx(raw_gap, rel=1e-4)
    with pytest.raises(ValueError, match="sigma_unit"):
        GaussianMixturePrior.from_embedding(embedding, 0.25, sigma_unit="pixels")


def test_draw_spread_is_sigma_while_components_stay_apart_and_less_once_they_overlap():
    centres = torch.tensor([[4.0 * i, 4.0 * j] for i in range(5) for j in range(5)])  # spacing 4
    for sigma, expected in ((0.1, 0.1), (0.3, 0.3)):
        prior = GaussianMixturePrior(centres, sigma=sigma * 4.0 / 2**0.5)
        assert draw_spread(prior, seed=1, n=4000) == pytest.approx(expected, rel=0.08)
    wide = GaussianMixturePrior(centres, sigma=3.0 * 4.0 / 2**0.5)  # draws fall nearer others
    assert draw_spread(wide, seed=1, n=4000) < 0.7 * 3.0
    assert draw_spread(wide, seed=1) == draw_spread(wide, seed=1)


def test_nearest_sigma_unit_refuses_centres_that_coincide():
    points = np.zeros((50, 4))
    points[:3] = np.eye(3, 4)  # most points on top of one another: spacing 0
    embedding = embed(points, seed=0)
    with pytest.raises(ValueError, match="nearest-neighbour distance is 0"):
        GaussianMixturePrior.from_embedding(embedding, 0.1, centre=True, sigma_unit="nearest")
