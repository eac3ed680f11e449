"""``support_scatter``: the support in grey, the samples in colour, framed on the support."""

import numpy as np
from matplotlib.colors import to_rgba

from shall_we_gans.data.text_lattice import text_lattice
from shall_we_gans.params.missing_modes import TextData
from shall_we_gans.plotting.gan_figures import FRAME_MARGIN, support_scatter


def test_the_frame_is_the_support_and_samples_outside_it_are_counted():
    support = np.array([[-1.0, -0.2], [1.0, 0.2]])
    samples = np.array([[0.0, 0.0], [0.5, 0.1], [5.0, 0.0], [0.0, -3.0]])
    ax = support_scatter(samples, support, title="t").axes[0]
    pad = FRAME_MARGIN * 2.0
    assert np.allclose(ax.get_xlim(), (-1 - pad, 1 + pad))
    assert np.allclose(ax.get_ylim(), (-0.2 - pad, 0.2 + pad))
    assert ax.get_title() == "t\n50% of samples outside the frame"
    grey, coloured = (c.get_facecolors()[0] for c in ax.collections)
    assert np.allclose(grey, to_rgba("0.7")) and not np.allclose(coloured[:3], grey[:3])


def test_all_samples_inside_leave_the_title_alone():
    support = np.array([[0.0, 0.0], [1.0, 1.0]])
    assert support_scatter(support, support, title="t").axes[0].get_title() == "t"


def test_text_modes_draws_its_support_like_text_lattice():
    from shall_we_gans.pipelines.text_modes.nodes import plot_support

    lattice = text_lattice("OM", pixel_height=16, stride=2)
    variant = type("V", (), {"metric_prefix": "text.gaussian"})()
    fig = plot_support({3: lattice.support[:50]}, lattice, variant)
    ax = fig.axes[0]
    assert len(fig.axes) == 1 and ax.get_aspect() == 1.0
    assert ax.get_title().startswith("text.gaussian seed 3 over p_data")
    assert TextData.plotted  # its memory check counts the figure
