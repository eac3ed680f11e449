"""Pure preprocessing of digit domains: resize, scale to [-1, 1], stratified sampling and splits."""

from __future__ import annotations

import numpy as np
from PIL import Image

from shall_we_gans.data._checks import positive_int, seed_int
from shall_we_gans.data.digits import DigitDomain


def resize_domain(domain: DigitDomain, size: int = 28) -> DigitDomain:
    """Resize every image to ``size``×``size`` (PIL bilinear, antialiased when shrinking); uint8."""
    size = positive_int("size", size)
    if domain.images.shape[1:] == (size, size):
        return domain
    resized = np.stack(
        [
            np.asarray(Image.fromarray(im).resize((size, size), Image.BILINEAR))
            for im in domain.images
        ]
    )
    return DigitDomain(images=resized, labels=domain.labels, name=domain.name)


def scale_to_unit(images: np.ndarray) -> np.ndarray:
    """uint8 N×H×W (or N×C×H×W) in 0–255 → float32 N×1×H×W (or N×C×H×W), ``x / 127.5 − 1``."""
    if not isinstance(images, np.ndarray) or images.dtype != np.uint8:
        raise ValueError(
            f"images must be a uint8 array in 0–255, got {getattr(images, 'dtype', type(images))}"
        )
    if images.ndim == 3:
        images = images[:, None]
    elif images.ndim != 4:
        raise ValueError(f"images must be N×H×W or N×C×H×W, got shape {images.shape}")
    return images.astype(np.float32) / np.float32(127.5) - np.float32(1.0)


def stratified_sample(domain: DigitDomain, n: int, seed: int) -> DigitDomain:
    """``n`` images drawn without replacement, keeping class proportions (ADDA: 2000 / 1800).

    Each class gets ``n · count / N`` images rounded by largest remainder (ties: smaller label
    first); the result is shuffled.
    """
    n = positive_int("n", n)
    if n > len(domain):
        raise ValueError(f"n={n} is larger than domain {domain.name!r} ({len(domain)} images)")
    rng = np.random.default_rng(seed_int(seed))
    chosen = rng.permutation(_stratified_indices(domain.labels, n, rng))
    return _subset(domain, chosen)


def train_val_split(
    domain: DigitDomain, val_fraction: float, seed: int
) -> tuple[DigitDomain, DigitDomain]:
    """Split into disjoint, class-stratified (train, val); val holds ``round(val_fraction · N)``."""
    if isinstance(val_fraction, bool) or not isinstance(val_fraction, (int, float)):
        raise ValueError(f"val_fraction must be a number in (0, 1), got {val_fraction!r}")
    n_val = round(float(val_fraction) * len(domain)) if 0 < val_fraction < 1 else 0
    if not 1 <= n_val <= len(domain) - 1:
        raise ValueError(
            f"val_fraction={val_fraction!r} must lie in (0, 1) and leave at least one image "
            f"in each part of the {len(domain)} images of {domain.name!r}"
        )
    rng = np.random.default_rng(seed_int(seed))
    val = _stratified_indices(domain.labels, n_val, rng)
    train = np.setdiff1d(np.arange(len(domain)), val)
    return _subset(domain, rng.permutation(train)), _subset(domain, rng.permutation(val))


def _stratified_indices(labels: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    classes, counts = np.unique(labels, return_counts=True)
    quotas = n * counts / counts.sum()
    take = np.floor(quotas).astype(np.int64)
    leftover = n - int(take.sum())
    order = np.lexsort((classes, -(quotas - take)))  # largest remainder first
    take[order[:leftover]] += 1
    picks = [
        rng.choice(np.flatnonzero(labels == c), size=k, replace=False)
        for c, k in zip(classes, take, strict=True)
    ]
    return np.sort(np.concatenate(picks))


def _subset(domain: DigitDomain, indices: np.ndarray) -> DigitDomain:
    return DigitDomain(
        images=domain.images[indices], labels=domain.labels[indices], name=domain.name
    )
