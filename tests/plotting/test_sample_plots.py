"""Scatter panels: one panel per entry, one shared legend below them."""

import numpy as np

from shall_we_gans.plotting.samples import scatter_panels


def test_scatter_panels_share_one_legend_with_every_label():
    rng = np.random.default_rng(0)
    panels = {
        "first": {"p_data": rng.normal(size=(20, 2))},
        "second": {"p_data": rng.normal(size=(20, 2)), "p_g": rng.normal(size=(20, 2))},
    }
    fig = scatter_panels(panels, centres=np.zeros((1, 2)))
    assert [ax.get_title() for ax in fig.axes] == ["first", "second"]
    assert all(ax.get_legend() is None for ax in fig.axes)  # nothing drawn over the data
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["p_data", "modes", "p_g"]


def test_scatter_panel_without_labels_to_tell_apart_has_no_legend():
    fig = scatter_panels({"only": {"p_g": np.zeros((5, 2))}})
    assert not fig.legends
