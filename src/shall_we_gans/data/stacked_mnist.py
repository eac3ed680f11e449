"""Stacked MNIST (VEEGAN / PacGAN protocol): three random digits as the three colour channels."""

from __future__ import annotations

import numpy as np

from shall_we_gans.data._checks import positive_int, seed_int
from shall_we_gans.data.digits import DigitDomain


def make_stacked_mnist(domain: DigitDomain, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` images (uint8 N×3×H×W), each channel a digit drawn uniformly with replacement.

    The label is the mode ``100·d1 + 10·d2 + d3`` (int64, 0–999) of the digits in channels 1, 2, 3.
    """
    n = positive_int("n", n)
    rng = np.random.default_rng(seed_int(seed))
    picks = rng.integers(0, len(domain), size=(n, 3))
    images = domain.images[picks]
    digits = domain.labels[picks]
    labels = (100 * digits[:, 0] + 10 * digits[:, 1] + digits[:, 2]).astype(np.int64)
    return images, labels
