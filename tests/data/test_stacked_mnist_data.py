"""Stacked MNIST: three random digits as channels, label 100·d1 + 10·d2 + d3."""

from __future__ import annotations

import numpy as np
import pytest

from shall_we_gans.data.digits import DigitDomain
from shall_we_gans.data.stacked_mnist import make_stacked_mnist


@pytest.fixture()
def ten_digits() -> DigitDomain:
    """Image i is filled with the value i and labelled i."""
    images = np.repeat(np.arange(10, dtype=np.uint8), 28 * 28).reshape(10, 28, 28)
    return DigitDomain(images=images, labels=np.arange(10, dtype=np.int64), name="mnist")


def test_shapes_and_label_encoding(ten_digits):
    images, labels = make_stacked_mnist(ten_digits, 500, seed=0)
    assert images.shape == (500, 3, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (500,) and labels.dtype == np.int64
    channel_digits = images[:, :, 0, 0].astype(np.int64)
    np.testing.assert_array_equal(labels, channel_digits @ np.array([100, 10, 1]))
    assert (images == images[:, :, :1, :1]).all()  # each channel is one whole source image


def test_modes_spread_over_the_thousand(ten_digits):
    _, labels = make_stacked_mnist(ten_digits, 2000, seed=0)
    assert labels.min() >= 0 and labels.max() <= 999
    assert len(np.unique(labels)) > 800  # expected 1000·(1 − e^−2) ≈ 865 distinct triples


def test_seeds_and_errors(ten_digits):
    a, b = make_stacked_mnist(ten_digits, 50, 3), make_stacked_mnist(ten_digits, 50, 3)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[1], make_stacked_mnist(ten_digits, 50, 4)[1])
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        make_stacked_mnist(ten_digits, 0, 0)
