"""MNIST through ``torchvision.datasets.MNIST``, with its files checked first so errors name them.

torchvision 0.29 reads the uncompressed IDX files
``<root>/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte``; without ``download`` it loads
neither split unless all four exist. ``MNIST(download=True)`` fetches the four ``.gz`` archives
and decompresses them beside themselves; when only the ``.gz`` files are present (copied from
such a download) they are decompressed here.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

MNIST_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
MNIST_IMAGE_SHAPE = (28, 28)
MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"
_ALL_FILES = MNIST_FILES["train"] + MNIST_FILES["test"]


def mnist_raw_folder(root: str | Path) -> Path:
    """The folder torchvision reads MNIST from: ``<root>/MNIST/raw``."""
    return Path(root) / "MNIST" / "raw"


def mnist_files_present(root: str | Path) -> bool:
    """Whether all four IDX files (or their ``.gz`` archives) are under ``<root>/MNIST/raw``."""
    return not _missing(mnist_raw_folder(root), accept_gz=True)


def load_mnist_arrays(
    root: str | Path, split: str, download: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Images (uint8 N×28×28) and labels (int64 N) of one MNIST split, read by torchvision."""
    raw = mnist_raw_folder(root)
    _decompress_archives(raw)
    if download and _missing(raw):
        _download(root, raw)
    missing = _missing(raw)
    if missing:
        raise FileNotFoundError(
            f"MNIST file(s) {', '.join(missing)} not found in {raw}; torchvision needs all four "
            f"{', '.join(_ALL_FILES)} there (or their .gz archives from {MNIST_URL}). "
            "Copy them there, or set download: true to let torchvision fetch them."
        )
    image_file, label_file = (raw / name for name in MNIST_FILES[split])
    image_dims = _check_idx(image_file, ndim=3)
    label_dims = _check_idx(label_file, ndim=1)
    if image_dims[1:] != MNIST_IMAGE_SHAPE:
        raise ValueError(f"{image_file} holds {image_dims[1:]} images, MNIST needs 28×28")
    if image_dims[0] != label_dims[0]:
        raise ValueError(
            f"{image_file} holds {image_dims[0]} images but {label_file} {label_dims[0]} labels"
        )
    from torchvision.datasets import MNIST

    dataset = MNIST(str(root), train=split == "train", download=False)
    return dataset.data.numpy(), dataset.targets.numpy().astype(np.int64)


def _missing(raw: Path, accept_gz: bool = False) -> list[str]:
    def present(name: str) -> bool:
        return (raw / name).is_file() or (accept_gz and (raw / f"{name}.gz").is_file())

    return [name for name in _ALL_FILES if not present(name)]


def _decompress_archives(raw: Path) -> None:
    """Decompress each ``<name>.gz`` whose IDX file is absent; never leaves a partial file."""
    for name in _ALL_FILES:
        archive, target = raw / f"{name}.gz", raw / name
        if target.is_file() or not archive.is_file():
            continue
        try:
            payload = gzip.decompress(archive.read_bytes())
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(f"{archive} is truncated or not a gzip file: {err}") from err
        partial = raw / f".{name}.partial"
        try:
            partial.write_bytes(payload)
            os.replace(partial, target)
        except OSError as err:
            partial.unlink(missing_ok=True)
            raise OSError(
                f"cannot write {target} decompressed from {archive.name} ({err}); make {raw} "
                "writable or decompress the .gz files there yourself"
            ) from err


def _check_idx(path: Path, ndim: int) -> tuple[int, ...]:
    """Check an IDX file of unsigned bytes: magic number and payload length; return its dims."""
    header_size = 4 + 4 * ndim
    with path.open("rb") as handle:
        header = handle.read(header_size)
    expected_magic = bytes([0, 0, 0x08, ndim])
    if len(header) < header_size or header[:4] != expected_magic:
        raise ValueError(
            f"{path} is not a {ndim}-D IDX file of unsigned bytes: magic number "
            f"0x{header[:4].hex()}, expected 0x{expected_magic.hex()}"
        )
    dims = struct.unpack(f">{ndim}I", header[4:])
    payload = path.stat().st_size - header_size
    if payload != int(np.prod(dims)):
        raise ValueError(
            f"{path} is truncated or corrupt: its header declares dims {dims} "
            f"({int(np.prod(dims))} bytes) but it holds {payload} bytes of data"
        )
    return dims


def _download(root: str | Path, raw: Path) -> None:
    from torchvision.datasets import MNIST

    try:
        MNIST(str(root), train=True, download=True)
    except (RuntimeError, OSError) as err:
        raise FileNotFoundError(
            f"torchvision could not download MNIST into {raw} ({err}); without internet copy "
            f"{', '.join(_ALL_FILES)} (or their .gz archives) there and set download: false"
        ) from err
