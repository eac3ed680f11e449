import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from shall_we_gans.plotting.adaptation import (
    adaptation_history_figure,
    confusion_matrices_figure,
    feature_projection_figure,
)


def _features(seed: int, n: int, offset: float) -> np.ndarray:
    return np.random.default_rng(seed).normal(offset, 1.0, size=(n, 12))


def test_confusion_matrices_side_by_side():
    before = np.array([[5, 1], [3, 1]])
    after = np.array([[6, 0], [0, 4]])
    figure = confusion_matrices_figure(before, after)
    assert isinstance(figure, Figure) and len(figure.axes) == 2
    assert "60.0%" in figure.axes[0].get_title() and "100.0%" in figure.axes[1].get_title()


def test_confusion_matrices_reject_non_square():
    with pytest.raises(ValueError, match="before"):
        confusion_matrices_figure(np.ones((2, 3)), np.eye(2))


@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_feature_projection_red_source_blue_target(method):
    figure = feature_projection_figure(
        _features(0, 40, 0.0),
        _features(1, 25, 3.0),
        _features(2, 40, 0.0),
        _features(3, 25, 0.2),
        method=method,
        max_points=30,
        seed=0,
    )
    assert isinstance(figure, Figure) and len(figure.axes) == 2
    for ax in figure.axes:
        source, target = ax.collections
        assert len(source.get_offsets()) == 30 and len(target.get_offsets()) == 25  # subsampled
        assert tuple(source.get_facecolor()[0][:3]) != tuple(target.get_facecolor()[0][:3])


def test_feature_projection_is_seeded():
    args = (
        _features(0, 50, 0.0),
        _features(1, 50, 1.0),
        _features(2, 50, 0.0),
        _features(3, 50, 0.5),
    )
    first = feature_projection_figure(*args, method="pca", max_points=20, seed=5)
    second = feature_projection_figure(*args, method="pca", max_points=20, seed=5)
    for a, b in zip(first.axes, second.axes, strict=True):
        np.testing.assert_array_equal(
            a.collections[0].get_offsets(), b.collections[0].get_offsets()
        )


def test_feature_projection_rejects_unknown_method():
    features = _features(0, 5, 0.0)
    with pytest.raises(ValueError, match="method"):
        feature_projection_figure(features, features, features, features, method="umap")


def test_history_figure_has_loss_and_accuracy_axes():
    history = pd.DataFrame(
        {
            "step": [1, 2, 3],
            "d_loss": [1.4, 1.3, 1.2],
            "t_loss": [0.7, 0.8, 0.9],
            "d_acc": [0.5, 0.6, 0.7],
        }
    )
    figure = adaptation_history_figure(history)
    assert isinstance(figure, Figure) and len(figure.axes) == 2
    with pytest.raises(ValueError, match="d_acc"):
        adaptation_history_figure(history.drop(columns="d_acc"))
