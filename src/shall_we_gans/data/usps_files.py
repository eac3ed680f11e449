"""USPS through ``torchvision.datasets.USPS``: LIBSVM text, bzip2 (``usps.bz2`` / ``usps.t.bz2``).

Each line is ``label idx:value …`` with label 1–10 (digit + 1) and 256 values in [-1, 1];
torchvision maps labels to 0–9 and pixels to uint8 with ``((x + 1) / 2 * 255)`` truncated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

USPS_FILES = {"train": "usps.bz2", "test": "usps.t.bz2"}
USPS_URL = "https://www.csie.ntu.edu.tw/~cjlin/libsvmtools/datasets/multiclass/"


def usps_file(root: str | Path, split: str) -> Path:
    """The file torchvision reads the USPS ``split`` from: ``<root>/usps.bz2`` or ``usps.t.bz2``."""
    return Path(root) / USPS_FILES[split]


def load_usps_arrays(root: str | Path, split: str, download: bool) -> tuple[np.ndarray, np.ndarray]:
    """Images (uint8 N×16×16, 0–255) and labels (int64 N, 0–9) of one USPS split."""
    path = usps_file(root, split)
    existed = path.is_file()
    if not existed and not download:
        raise FileNotFoundError(
            f"USPS {split} file {path.name} not found: {path} is missing. Put {path.name} "
            f"(LIBSVM bzip2 from {USPS_URL}{path.name}) in {Path(root)}, or set download: true "
            "to let torchvision fetch it."
        )
    from torchvision.datasets import USPS

    try:
        dataset = USPS(str(root), train=split == "train", download=download)
    except (EOFError, OSError, ValueError) as err:
        if not existed and not path.is_file():
            raise FileNotFoundError(
                f"torchvision could not download {path.name} into {Path(root)} ({err}); without "
                f"internet copy it from {USPS_URL}{path.name} there and set download: false"
            ) from err
        raise ValueError(
            f"{path} is truncated or corrupt, or not USPS LIBSVM text "
            f"('label idx:value …', 256 values per line): {err}"
        ) from err
    images = np.asarray(dataset.data, dtype=np.uint8)
    labels = np.asarray(dataset.targets, dtype=np.int64)
    if len(labels) == 0 or len(images) != len(labels):
        raise ValueError(
            f"{path} does not hold 16×16 USPS images: {len(labels)} lines give "
            f"{images.size} pixel values, 256 per line expected"
        )
    if labels.min() < 0 or labels.max() > 9:
        raise ValueError(f"{path} has labels outside 1–10 (digit + 1)")
    return images, labels
