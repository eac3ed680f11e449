"""Mode coverage, high-quality fraction and KL to uniform on hand-built 2-D samples."""

import numpy as np
import pytest

from shall_we_gans.metrics.modes import (
    high_quality_mask,
    kl_to_uniform,
    mode_histogram,
    mode_metrics,
    nearest_modes,
    rank_by_modes,
)

GRID = np.array([(-4.0 + 2 * i, -4.0 + 2 * j) for i in range(5) for j in range(5)])  # PacGAN grid
STD = 0.05  # 3 std = 0.15


def test_known_modes_covered_and_hq_fraction():
    samples = np.array(
        [
            GRID[0] + [0.10, 0.0],  # HQ, mode 0
            GRID[0] + [0.0, -0.14],  # HQ, mode 0
            GRID[7] + [0.1, 0.1],  # |offset| = 0.141 < 0.15: HQ, mode 7
            GRID[24],  # HQ, mode 24
            GRID[12] + [0.3, 0.0],  # nearest is mode 12 but too far: not HQ, does not cover it
            [100.0, 100.0],  # far from everything
        ]
    )
    metrics = mode_metrics(samples, GRID, STD)
    assert metrics["modes_covered"] == 3
    assert metrics["hq_fraction"] == pytest.approx(4 / 6)
    counts = mode_histogram(samples, GRID, STD)
    assert counts[0] == 2 and counts[7] == 1 and counts[24] == 1 and counts.sum() == 4
    # histogram (2, 1, 1) over 25 modes: sum p log(25 p)
    p = np.array([0.5, 0.25, 0.25])
    assert metrics["kl_to_uniform"] == pytest.approx(float(np.sum(p * np.log(25 * p))))
    assert high_quality_mask(samples, GRID, STD).tolist() == [True] * 4 + [False] * 2


def test_nearest_modes_indices_and_distances():
    nearest, distance = nearest_modes([[-3.9, -4.0], [4.0, 3.2]], GRID)
    assert nearest.tolist() == [0, 24]  # (4, 3.2): 0.8 from (4, 4), 1.2 from (4, 2)
    assert distance == pytest.approx([0.1, 0.8])
    nearest, _ = nearest_modes([[4.0, 2.6]], GRID)
    assert nearest.tolist() == [23]  # (4, 2)


def test_hq_boundary_is_inclusive():
    centres = np.array([[0.0, 0.0], [10.0, 0.0]])
    on_edge = [[1.5, 0.0]]  # exactly 3 * 0.5
    just_out = [[1.5 + 1e-9, 0.0]]
    assert high_quality_mask(on_edge, centres, std=0.5).tolist() == [True]
    assert high_quality_mask(just_out, centres, std=0.5).tolist() == [False]
    assert high_quality_mask(just_out, centres, std=0.5, n_sigma=4.0).tolist() == [True]


def test_kl_is_zero_when_balanced_and_log_k_when_collapsed():
    balanced = np.repeat(GRID, 3, axis=0) + 0.01
    metrics = mode_metrics(balanced, GRID, STD)
    assert metrics == {"modes_covered": 25, "hq_fraction": 1.0, "kl_to_uniform": 0.0}

    collapsed = np.tile(GRID[5], (40, 1))
    metrics = mode_metrics(collapsed, GRID, STD)
    assert metrics["modes_covered"] == 1 and metrics["hq_fraction"] == 1.0
    assert metrics["kl_to_uniform"] == pytest.approx(np.log(25))


def test_no_high_quality_sample_scores_like_collapse():
    metrics = mode_metrics([[1.0, 1.0], [-1.0, 3.0]], GRID, STD)  # cell centres, 1.41 away
    assert metrics["modes_covered"] == 0 and metrics["hq_fraction"] == 0.0
    assert metrics["kl_to_uniform"] == pytest.approx(np.log(25))


def test_ring_of_eight():
    angles = 2 * np.pi * np.arange(8) / 8
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    samples = ring[[0, 0, 1, 2, 2, 2]] + 0.02  # std 0.01: 0.028 < 0.03
    metrics = mode_metrics(samples, ring, std=0.01)
    assert metrics["modes_covered"] == 3 and metrics["hq_fraction"] == 1.0
    p = np.array([2, 1, 3]) / 6
    assert metrics["kl_to_uniform"] == pytest.approx(float(np.sum(p * np.log(8 * p))))


def test_kl_to_uniform_by_hand():
    assert kl_to_uniform([3, 1]) == pytest.approx(0.75 * np.log(1.5) + 0.25 * np.log(0.5))
    assert kl_to_uniform([0, 5, 0, 0]) == pytest.approx(np.log(4))
    assert kl_to_uniform([0, 0, 0]) == pytest.approx(np.log(3))
    assert kl_to_uniform([7, 7, 7, 7]) == 0.0


@pytest.mark.parametrize(
    ("samples", "centres", "std", "message"),
    [
        (np.zeros((3, 2)), np.zeros((4, 3)), 0.1, "same dimension"),
        (np.zeros((0, 2)), GRID, 0.1, "samples must be a non-empty"),
        (np.zeros(2), GRID, 0.1, "samples must be a non-empty"),
        (np.zeros((3, 2)), GRID, 0.0, "std must be a positive"),
        (np.zeros((3, 2)), GRID, -1.0, "std must be a positive"),
        (np.full((3, 2), np.nan), GRID, 0.1, "samples must be finite"),
    ],
)
def test_bad_input_is_one_clear_error(samples, centres, std, message):
    with pytest.raises(ValueError, match=message):
        mode_metrics(samples, centres, std)


def test_bad_counts_and_sigma():
    with pytest.raises(ValueError, match="counts"):
        kl_to_uniform([1, -1])
    with pytest.raises(ValueError, match="counts"):
        kl_to_uniform([])
    with pytest.raises(ValueError, match="n_sigma"):
        mode_metrics(GRID, GRID, 0.1, n_sigma=0)


def row(name: str, modes: float, hq: float, kl: float) -> dict:
    return {"setting": name, "modes_covered": modes, "hq_fraction": hq, "kl_to_uniform": kl}


def test_rank_by_modes_takes_most_modes_among_settings_on_the_modes():
    rows = [
        row("sprays", 25.0, 0.16, 0.40),  # every mode touched, most samples between them
        row("sharp", 24.0, 0.91, 0.05),
        row("sharper_fewer", 23.0, 0.97, 0.03),
        row("at_threshold", 24.3, 0.80, 0.10),  # hq 0.8 qualifies
    ]
    ranked = [r["setting"] for r in rank_by_modes(rows)]
    assert ranked == ["at_threshold", "sharp", "sharper_fewer", "sprays"]


def test_rank_by_modes_falls_back_to_the_highest_hq_fraction():
    rows = [row("many", 25.0, 0.30, 0.2), row("most_hq", 20.0, 0.79, 0.9), row("few", 5.0, 0.5, 1)]
    assert [r["setting"] for r in rank_by_modes(rows)] == ["most_hq", "few", "many"]
    assert rank_by_modes(rows, min_hq=0.2)[0]["setting"] == "many"


def test_rank_by_modes_breaks_ties():
    on_modes = [row("a", 25.0, 0.90, 0.10), row("b", 25.0, 0.95, 0.20), row("c", 25.0, 0.95, 0.05)]
    assert [r["setting"] for r in rank_by_modes(on_modes)] == ["c", "b", "a"]
    off = [row("d", 24.0, 0.50, 0.30), row("e", 10.0, 0.50, 0.10)]  # equal hq: lower KL first
    assert [r["setting"] for r in rank_by_modes(off)] == ["e", "d"]
    assert rank_by_modes([]) == []
