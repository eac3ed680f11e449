"""The blocked passes against brute force on the same random subsets."""

import numpy as np
import pytest
import torch
from scipy.spatial.distance import cdist, pdist

import shall_we_gans.embedding.subset_distances as subset_pass
from shall_we_gans.embedding.distances import BlockDistances
from shall_we_gans.embedding.points import as_point_matrix, unique_rows
from shall_we_gans.embedding.rescale import noncontraction_scale
from shall_we_gans.embedding.subset_distances import (
    _filtered_levels,
    _padded_members,
    subset_distances,
)
from shall_we_gans.embedding.subsets import sample_subsets

SCIPY_METRIC = {"euclidean": "euclidean", "l1": "cityblock"}


def clustered(m: int, dim: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, dim)) + 6.0 * rng.integers(0, 4, size=(m, 1))


def run_pass(x: np.ndarray, metric: str, block_size: int, seed: int = 1):
    """Subset distances in input order, the brute-force reference, and the pass's pieces."""
    m = len(x)
    levels = t = (m - 1).bit_length()
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(m, generator=generator)
    members = sample_subsets(m, levels, t, generator)
    dist = BlockDistances(torch.from_numpy(x), order, metric)
    coords, row_max = subset_distances(dist, members[:, order], levels, block_size)
    back = torch.argsort(order)
    full = cdist(x, x, SCIPY_METRIC[metric])
    reference = np.stack([full[:, s].min(1) if s.any() else np.zeros(m) for s in members.numpy()])
    return coords[back].numpy(), reference.T, dist.to_distance(row_max[back]).numpy(), full


# float32 keys: absolute error ~1e-7 * |x|^2 on squared distances (|x| ~ 20 here)
TOLERANCE = {"rtol": 1e-4, "atol": 1e-4}


@pytest.mark.parametrize("metric", ["euclidean", "l1"])
@pytest.mark.parametrize("block_size", [32, 100, 1000])
def test_subset_distances_match_brute_force(metric, block_size):
    x = clustered(300, 4)
    coords, reference, row_max, full = run_pass(x, metric, block_size)
    np.testing.assert_allclose(coords, reference, **TOLERANCE)
    np.testing.assert_allclose(row_max, full.max(axis=1), **TOLERANCE)


@pytest.mark.parametrize("metric", ["euclidean", "l1"])
def test_filtered_levels_match_brute_force(metric, monkeypatch):
    # make filtering pay off at this small size, so the thresholded path runs on 3 levels
    monkeypatch.setattr(subset_pass, "FILTER_COST", 16)
    monkeypatch.setattr(subset_pass, "MIN_MEMBERS_IN_BLOCK0", 8)
    x = clustered(400, 6)
    bits = sample_subsets(400, 9, 9, torch.Generator().manual_seed(1)).view(9, 9, 400)
    assert _filtered_levels(bits, 100) >= 3
    coords, reference, _, _ = run_pass(x, metric, block_size=100)
    np.testing.assert_allclose(coords, reference, **TOLERANCE)


def test_members_have_coordinate_zero_and_empty_subsets_zero():
    x = clustered(40, 3)
    order = torch.arange(40)
    members = torch.zeros(6, 40, dtype=torch.bool)  # 3 levels x 2 repetitions, hand-made
    members[0, [0, 5, 9]] = True
    members[2, 17] = True  # members[1], [3:] empty
    dist = BlockDistances(torch.from_numpy(x), order, "euclidean")
    coords = subset_distances(dist, members, 3, block_size=8)[0].numpy()
    assert (coords[[0, 5, 9], 0] == 0).all() and coords[17, 2] == 0
    np.testing.assert_allclose(coords[:, 2], np.linalg.norm(x - x[17], axis=1), rtol=1e-5)
    assert (coords[:, [1, 3, 4, 5]] == 0).all()


def test_sampled_subsets_keep_points_with_probability_two_to_minus_level():
    members = sample_subsets(4000, 4, 50, torch.Generator().manual_seed(0))
    assert members.shape == (200, 4000) and members.dtype == torch.bool
    rates = members.view(4, 50, 4000).float().mean(dim=(1, 2))
    np.testing.assert_allclose(rates.numpy(), [0.5, 0.25, 0.125, 0.0625], rtol=0.03)


def test_padded_members_repeat_a_member():
    bits = torch.tensor([[0, 1, 0, 1, 1], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0]], dtype=torch.bool)
    index, nonempty = _padded_members(bits)
    assert index[:2].tolist() == [[1, 3, 4], [2, 2, 2]]
    assert nonempty.tolist() == [True, True, False]
    assert _padded_members(bits[:2])[1] is None  # every subset has a member


@pytest.mark.parametrize("metric", ["euclidean", "l1"])
@pytest.mark.parametrize("block_size", [3, 17, 500])
def test_noncontraction_scale_is_the_brute_force_max(metric, block_size):
    rng = np.random.default_rng(4)
    x = clustered(120, 5)
    coords = torch.from_numpy(rng.normal(size=(120, 7)))
    order = torch.from_numpy(rng.permutation(120))
    dist = BlockDistances(torch.from_numpy(x), order, metric)
    row_max = torch.from_numpy(cdist(x, x, SCIPY_METRIC[metric]).max(1)[order.numpy()]).float()
    row_max = row_max.pow(2) if metric == "euclidean" else row_max  # keys
    beta = noncontraction_scale(dist, coords, row_max, block_size)
    brute = (pdist(x[order.numpy()], SCIPY_METRIC[metric]) / pdist(coords.numpy())).max()
    assert beta == pytest.approx(brute, rel=1e-12)


def test_block_keys_are_exact_for_near_duplicates_and_zero_on_the_diagonal():
    x = np.array([[5.0, 5.0, 5.0], [5.0, 5.0, 5.0 + 1e-6], [0.0, 1.0, 2.0], [9.0, 3.0, 1.0]])
    for metric in ("euclidean", "l1"):
        dist = BlockDistances(torch.from_numpy(x), torch.arange(4), metric)
        d = dist.to_distance(dist.block(slice(0, 4), slice(0, 4)).double()).numpy()
        assert (np.diag(d) == 0).all()
        assert d[0, 1] == pytest.approx(1e-6, rel=1e-6)
        np.testing.assert_allclose(d, cdist(x, x, SCIPY_METRIC[metric]), rtol=1e-6, atol=1e-12)


def test_unique_rows_groups_equal_rows_in_order_of_appearance():
    x = as_point_matrix([[1.0, 2.0], [3.0, 4.0], [1.0, 2.0], [-0.0, 0.0], [0.0, 0.0], [3.0, 4.0]])
    first, inverse = unique_rows(x)
    assert first.tolist() == [0, 1, 3] and inverse.tolist() == [0, 1, 0, 2, 2, 1]
    x32 = as_point_matrix(np.array([[1, 2], [1, 2], [2, 1]], dtype=np.float32))
    assert x32.dtype == np.float32 and unique_rows(x32)[1].tolist() == [0, 0, 1]
