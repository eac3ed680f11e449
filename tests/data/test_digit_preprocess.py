"""Resizing, scaling to [-1, 1], stratified sampling and stratified train/val splits."""

from __future__ import annotations

import numpy as np
import pytest

from shall_we_gans.data.digits import DigitDomain
from shall_we_gans.data.preprocess import (
    resize_domain,
    scale_to_unit,
    stratified_sample,
    train_val_split,
)


def coded_domain(counts: list[int], size: int = 6) -> DigitDomain:
    """Image i has pixel (0, 0) = i, so subsets reveal which images they hold."""
    labels = np.repeat(np.arange(len(counts)), counts).astype(np.int64)
    images = np.zeros((len(labels), size, size), np.uint8)
    images[:, 0, 0] = np.arange(len(labels))
    return DigitDomain(images=images, labels=labels, name="coded")


def indices(domain: DigitDomain) -> np.ndarray:
    return domain.images[:, 0, 0].astype(np.int64)


def test_resize_domain_shape_and_constant_images():
    images = np.stack([np.full((16, 16), 100, np.uint8), np.zeros((16, 16), np.uint8)])
    domain = DigitDomain(images=images, labels=np.array([3, 4]), name="usps")
    resized = resize_domain(domain, 28)
    assert resized.images.shape == (2, 28, 28) and resized.images.dtype == np.uint8
    assert (resized.images[0] == 100).all() and (resized.images[1] == 0).all()
    np.testing.assert_array_equal(resized.labels, [3, 4])
    assert resized.name == "usps" and resize_domain(resized, 28) is resized
    with pytest.raises(ValueError, match="size must be an integer >= 1"):
        resize_domain(domain, 0)


def test_scale_to_unit_known_values():
    images = np.array([[[0, 51], [255, 102]]], np.uint8)
    scaled = scale_to_unit(images)
    assert scaled.shape == (1, 1, 2, 2) and scaled.dtype == np.float32
    np.testing.assert_allclose(scaled[0, 0], [[-1.0, -0.6], [1.0, -0.2]], atol=1e-6)
    assert scale_to_unit(np.zeros((2, 3, 4, 4), np.uint8)).shape == (2, 3, 4, 4)
    with pytest.raises(ValueError, match="uint8"):
        scale_to_unit(images.astype(np.float32))
    with pytest.raises(ValueError, match="N×H×W or N×C×H×W"):
        scale_to_unit(np.zeros((4, 4), np.uint8))


def test_stratified_sample_keeps_proportions():
    domain = coded_domain([30, 20, 10])
    sample = stratified_sample(domain, 30, seed=0)
    np.testing.assert_array_equal(np.bincount(sample.labels), [15, 10, 5])
    picked = indices(sample)
    assert len(np.unique(picked)) == 30
    np.testing.assert_array_equal(domain.labels[picked], sample.labels)


def test_stratified_sample_largest_remainder():
    # quotas 2.5, 1.5, 1.0 → floors 2, 1, 1; the one left over goes to the tie's smaller label
    sample = stratified_sample(coded_domain([5, 3, 2]), 5, seed=1)
    np.testing.assert_array_equal(np.bincount(sample.labels), [3, 1, 1])


def test_stratified_sample_seeds_and_errors():
    domain = coded_domain([30, 20, 10])
    a, b = stratified_sample(domain, 20, 0), stratified_sample(domain, 20, 0)
    np.testing.assert_array_equal(a.images, b.images)
    assert not np.array_equal(indices(a), indices(stratified_sample(domain, 20, 1)))
    with pytest.raises(ValueError, match=r"n=61 is larger than domain 'coded' \(60 images\)"):
        stratified_sample(domain, 61, 0)
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        stratified_sample(domain, 0, 0)


def test_train_val_split_disjoint_and_stratified():
    domain = coded_domain([40, 30, 30])
    train, val = train_val_split(domain, 0.2, seed=0)
    assert len(val) == 20 and len(train) == 80
    np.testing.assert_array_equal(np.bincount(val.labels), [8, 6, 6])
    all_indices = np.concatenate([indices(train), indices(val)])
    np.testing.assert_array_equal(np.sort(all_indices), np.arange(100))
    np.testing.assert_array_equal(domain.labels[indices(train)], train.labels)
    again = train_val_split(domain, 0.2, seed=0)[1]
    np.testing.assert_array_equal(indices(again), indices(val))
    assert not np.array_equal(
        np.sort(indices(val)), np.sort(indices(train_val_split(domain, 0.2, 1)[1]))
    )


@pytest.mark.parametrize("fraction", [0.0, 1.0, 1.5, -0.1, 0.001, 0.999, float("nan")])
def test_train_val_split_rejects_bad_fraction(fraction):
    with pytest.raises(ValueError, match="val_fraction"):
        train_val_split(coded_domain([40, 30, 30]), fraction, 0)
