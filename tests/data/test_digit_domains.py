"""DigitDomain validation, domain names and splits, and the two packaged digit sets."""

from __future__ import annotations

import numpy as np
import pytest

from shall_we_gans.data.digits import DOMAINS, DigitDomain, load_domain, split_available
from shall_we_gans.data.packaged_digits import upsample_optdigits


def make_domain(**overrides) -> DigitDomain:
    fields = {
        "images": np.zeros((4, 5, 5), np.uint8),
        "labels": np.arange(4, dtype=np.int64),
        "name": "toy",
    }
    return DigitDomain(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"images": np.zeros((4, 5, 5), np.float32)}, "images must be a uint8 array"),
        ({"images": np.zeros((4, 25), np.uint8)}, r"images must be N×H×W"),
        ({"images": np.zeros((0, 5, 5), np.uint8), "labels": np.zeros(0, np.int64)}, "N×H×W"),
        ({"labels": np.arange(4, dtype=np.int32)}, "labels must be a 1-D int64 array"),
        ({"labels": np.arange(3, dtype=np.int64)}, "4 images but 3 labels"),
        ({"labels": np.array([0, 1, 2, 10])}, "labels must lie in 0–9"),
    ],
)
def test_digit_domain_rejects_bad_fields(overrides, message):
    with pytest.raises(ValueError, match=message):
        make_domain(**overrides)


def test_unknown_domain_lists_allowed_names():
    with pytest.raises(
        ValueError, match=r"'svhn'.*\('mnist', 'usps', 'mnist_packaged', 'optdigits'\)"
    ):
        load_domain("svhn")
    with pytest.raises(ValueError, match="unknown digit domain"):
        split_available("svhn", None, "train")
    assert DOMAINS == ("mnist", "usps", "mnist_packaged", "optdigits")


def test_bad_split_and_missing_root():
    with pytest.raises(ValueError, match=r"split must be one of \('train', 'test'\)"):
        load_domain("optdigits", split="val")
    with pytest.raises(ValueError, match="root must be the folder"):
        load_domain("usps")


@pytest.mark.parametrize("name", ["mnist_packaged", "optdigits"])
def test_packaged_domains_have_no_test_split(name):
    assert split_available(name, None, "train") and not split_available(name, None, "test")
    with pytest.raises(ValueError, match=rf"{name}' has no 'test' split.*train_val_split"):
        load_domain(name, split="test")


def test_mnist_packaged():
    domain = load_domain("mnist_packaged")
    assert domain.name == "mnist_packaged"
    assert domain.images.shape == (5000, 28, 28) and domain.images.dtype == np.uint8
    assert domain.images.max() == 255 and domain.images.min() == 0
    np.testing.assert_array_equal(np.bincount(domain.labels), [500] * 10)
    mean = domain.images.mean(axis=0)  # row-major 28×28: ink centred like MNIST digits
    centroid = [(mean.sum(axis=1 - a) * np.arange(28)).sum() / mean.sum() for a in (0, 1)]
    np.testing.assert_allclose(centroid, [13.5, 13.5], atol=1.5)
    assert mean[:2, :2].max() == 0 and mean[-2:, -2:].max() == 0


def test_optdigits_framed_like_mnist():
    domain = load_domain("optdigits")
    assert domain.images.shape == (1797, 28, 28) and domain.images.dtype == np.uint8
    assert domain.labels.dtype == np.int64 and sorted(np.unique(domain.labels)) == list(range(10))
    border = np.ones((28, 28), bool)
    border[4:24, 4:24] = False
    assert domain.images[:, border].max() == 0 and domain.images.max() == 255


def test_upsample_optdigits_known_values():
    images = np.stack([np.full((8, 8), 16.0), np.full((8, 8), 8.0), np.zeros((8, 8))])
    out = upsample_optdigits(images)
    assert out.shape == (3, 28, 28) and out.dtype == np.uint8
    assert (out[0, 4:24, 4:24] == 255).all() and out[0].sum() == 255 * 400
    assert (out[1, 4:24, 4:24] == 128).all()  # 8 · 255/16 = 127.5, rounded to even
    assert out[2].max() == 0
    with pytest.raises(ValueError, match=r"N×8×8"):
        upsample_optdigits(np.zeros((2, 8, 9)))
