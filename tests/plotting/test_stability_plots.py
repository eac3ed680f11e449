"""Stability figures: every seed's log-scale curves with crash marks, sample strips per
variant."""

import numpy as np
import pandas as pd
import pytest

from shall_we_gans.plotting.stability import (
    sample_strips_figure,
    seed_curves_figure,
)


def history(peak_at=None, n=50, dip=None):
    values = np.linspace(1.0, 2.0, n)
    if dip is not None:
        values[5] = dip
    if peak_at is not None:
        values[peak_at:] = 10.0 ** np.arange(1, n - peak_at + 1)
        values[-1] = np.nan  # the diverged step
    return pd.DataFrame(
        {"step": np.arange(n), "max_grad_d_over_d": values, "max_grad_logit": 3 * values}
    )


def test_sample_strips_figure_has_one_panel_per_variant_with_rows_per_chunk():
    rng = np.random.default_rng(0)
    strips = {
        "naive": rng.integers(0, 256, size=(2, 5, 1, 28, 28), dtype=np.uint8),
        "sn_d": rng.integers(0, 256, size=(4, 5, 1, 28, 28), dtype=np.uint8),
    }
    fig = sample_strips_figure(
        strips, steps={"naive": [50, 100], "sn_d": [50, 100, 150, 200]}, crash_steps={"naive": 100}
    )
    assert [ax.get_title() for ax in fig.axes] == ["naive\ncrashed at 100", "sn_d"]
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["50", "100", "150", "200"]
    image = fig.axes[1].get_images()[0].get_array()
    assert image.shape == (4 * 30 + 2, 5 * 30 + 2)  # make_grid: 28 px + 2 px padding
    fig.canvas.draw()  # renders without error


def test_sample_strips_reject_non_image_strips():
    with pytest.raises(ValueError, match="uint8"):
        sample_strips_figure({"toy": np.zeros((3, 0), np.uint8)})


def test_seed_curves_figure_has_a_panel_per_variant_and_diagnostic_with_every_seed():
    runs = {
        "naive": {"0": history(peak_at=30), "1": history(peak_at=20), "2": history()},
        "sn_d": {"0": history(), "1": history(), "2": history(dip=1e-30)},
    }
    crashes = {"naive": {"0": 45, "1": 30, "2": None}, "sn_d": {}}
    fig = seed_curves_figure(runs, crashes)
    assert len(fig.axes) == 4  # 2 diagnostics x 2 variants
    top_left, top_right, bottom_left, _ = fig.axes
    assert top_left.get_title() == "naive: 2/3 crashed"
    assert top_right.get_title() == "sn_d: 0/3 crashed"
    assert "max_grad_logit" in bottom_left.get_ylabel()
    for ax in fig.axes:
        assert ax.get_yscale() == "log"
        curves = [line for line in ax.get_lines() if line.get_label() in {"0", "1", "2"}]
        assert len(curves) == 3
    marks = [line for line in top_left.get_lines() if line.get_marker() == "x"]
    assert len(marks) == 2
    crash_lines = [line for line in top_left.get_lines() if list(line.get_xdata()) == [45, 45]]
    assert len(crash_lines) == 1
    seed0 = next(line for line in top_left.get_lines() if line.get_label() == "0")
    assert np.isfinite(seed0.get_ydata()).all()  # the NaN step is left out
    low, high = top_left.get_ylim()  # one step at 1e-30 does not flatten the row
    assert low > 1e-3 and high > 1e20  # the explosion stays in view
    with pytest.raises(ValueError, match="at least one variant"):
        seed_curves_figure({}, {})


def test_sample_strips_wrap_after_per_row_panels():
    strips = {f"v{i}": np.zeros((2, 3, 1, 28, 28), np.uint8) for i in range(7)}
    fig = sample_strips_figure(strips, per_row=4)
    assert [ax.get_title() for ax in fig.axes] == [f"v{i}" for i in range(7)]
    rows = sorted({round(ax.get_position().y0, 3) for ax in fig.axes})
    assert len(rows) == 2  # 4 panels, then 3
