"""Small digit files in torchvision's on-disk formats (MNIST IDX, USPS LIBSVM), for tests."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

MNIST_NAMES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def idx_bytes(array: np.ndarray) -> bytes:
    """IDX encoding of a uint8 array: magic 0x0000 08 ndim, big-endian dims, payload."""
    dims = struct.pack(f">{array.ndim}I", *array.shape)
    return bytes([0, 0, 0x08, array.ndim]) + dims + array.astype(np.uint8).tobytes()


def write_mnist(root: Path, sizes=(("train", 20), ("test", 10)), gz=True, shape=(28, 28)):
    """Write MNIST IDX files (gzip archives by default) under root/MNIST/raw; return the arrays."""
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    arrays = {}
    for split, n in sizes:
        images = rng.integers(0, 256, size=(n, *shape), dtype=np.uint8)
        labels = (np.arange(n) % 10).astype(np.uint8)
        for name, array in zip(MNIST_NAMES[split], (images, labels), strict=True):
            data = idx_bytes(array)
            if gz:
                (raw / f"{name}.gz").write_bytes(gzip.compress(data))
            else:
                (raw / name).write_bytes(data)
        arrays[split] = (images, labels.astype(np.int64))
    return raw, arrays


def usps_text(values: np.ndarray, digits: np.ndarray) -> bytes:
    """LIBSVM lines ``label idx:value …`` with label = digit + 1 and 1-based indices."""
    lines = [
        f"{d + 1} " + " ".join(f"{i + 1}:{v:g}" for i, v in enumerate(row))
        for row, d in zip(values, digits, strict=True)
    ]
    return ("\n".join(lines) + "\n").encode()
