"""The seed-style table shows every measured cell beside the paper's, and "not run" only where
nothing was measured; the coverage curves draw one line per variant and seed, a colour per
variant and a line style per seed."""

from __future__ import annotations

import pandas as pd

from shall_we_gans.params.stacked_mnist import PaperTable
from shall_we_gans.pipelines.stacked_mnist.nodes import plot_coverage, plot_table
from shall_we_gans.plotting.stacked_mnist import coverage_curves_figure, coverage_table_figure

ROW = {"d025": {"modes": 92.2, "kl": 5.02}, "d050": {"modes": 1, "kl": 1}}
PAPER = PaperTable(
    dcgan=ROW | {"d100": {"modes": 2, "kl": 2}},
    bourgan={"d025": {"modes": 715.2, "kl": 1.84}, "d050": ROW["d050"], "d100": ROW["d050"]},
)


def cell_texts(figure) -> list[str]:
    (table,) = figure.axes[0].tables
    return [cell.get_text().get_text() for cell in table.get_celld().values()]


def test_table_cells_hold_the_measured_numbers_and_the_papers():
    scores = {"dcgan.d025.modes_covered": 515.0, "dcgan.d025.kl_to_uniform": 1.8151}
    real = {"real.modes_covered": 1000.0, "real.kl_to_uniform": 0.022}
    texts = cell_texts(plot_table(PAPER, real, scores))
    assert "ours: 515.0 modes, KL 1.82\npaper: 92.2 modes, KL 5.02" in texts
    assert "ours: not run\npaper: 715.2 modes, KL 1.84" in texts  # bourgan.d025: not measured
    assert "1000 modes" in plot_table(PAPER, real, scores).axes[0].get_title()
    # a cell the paper does not report shows a dash
    figure = coverage_table_figure(scores | real, {"dcgan": ROW, "bourgan": {}})
    assert "ours: not run\npaper: —" in cell_texts(figure)


def test_coverage_curves_draw_each_variant_and_seed():
    curves = [
        pd.DataFrame({"step": [1, 2], "running_modes": [3, 5], "seed": s, "variant": v})
        for v in ("dcgan.d025", "bourgan.d025")
        for s in (0, 1)
    ]
    assert len(plot_coverage(*curves).axes[0].lines) == 4


def test_a_collapsed_cell_that_both_classifiers_read_alike_is_still_not_digits():
    real = {"real.modes_covered": 1000.0, "real.kl_to_uniform": 0.02, "real.fd": 15.0}
    collapsed = {"dcgan.d025.modes_covered": 16.0, "dcgan.d025.kl_to_uniform": 6.8}
    collapsed |= {"dcgan.d025.channel_agreement": 0.996, "dcgan.d025.fd": 1251.0}
    digits = {"bourgan.d025.modes_covered": 900.0, "bourgan.d025.kl_to_uniform": 0.5}
    digits |= {"bourgan.d025.channel_agreement": 0.9, "bourgan.d025.fd": 60.0}
    texts = cell_texts(plot_table(PAPER, real, collapsed, digits))
    assert any("16.0 modes" in t and "not digits" in t for t in texts)
    assert any("900.0 modes" in t and "not digits" not in t for t in texts)


def test_each_variant_has_one_colour_and_each_seed_one_line_style():
    curves = pd.DataFrame(
        [
            {"variant": v, "seed": s, "step": step, "running_modes": 10.0 * step}
            for v in [f"cell{i}" for i in range(12)]  # more variants than a colour cycle
            for s in (0, 1, 2)
            for step in (1, 2)
        ]
    )
    fig = coverage_curves_figure(curves)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    assert len(lines) == 36 and len(fig.axes) == 1
    assert lines["cell3 s0"].get_color() == lines["cell3 s2"].get_color()
    assert lines["cell3 s0"].get_color() != lines["cell4 s0"].get_color()
    assert len({lines[f"cell3 s{s}"].get_linestyle() for s in (0, 1, 2)}) == 3
