"""Every file-backed source, every way a file can be bad: one error that names the file."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

import numpy as np
import pytest

from shall_we_gans.data.digits import load_domain
from shall_we_gans.data.text_lattice import text_lattice
from tests.digit_files import usps_text, write_mnist


def mnist_without(name: str):
    def make(root: Path) -> None:
        raw, _ = write_mnist(root, gz=False)
        (raw / name).unlink()

    return make


def mnist_rewrite(name: str, content):
    def make(root: Path) -> None:
        raw, _ = write_mnist(root, gz=False)
        path = raw / name
        path.write_bytes(content(path.read_bytes()))

    return make


def mnist_truncated_archive(root: Path) -> None:
    raw, _ = write_mnist(root, gz=True)
    data = (raw / "train-images-idx3-ubyte.gz").read_bytes()
    (raw / "train-images-idx3-ubyte.gz").write_bytes(data[: len(data) // 2])


def usps_file(content: bytes | None):
    def make(root: Path) -> None:
        if content is not None:
            (root / "usps.bz2").write_bytes(content)

    return make


GOOD_USPS = usps_text(np.zeros((4, 256)), np.arange(4))

# (case, source, writer, file the message must name)
BAD_DATA = [
    ("mnist missing", "mnist", mnist_without("train-images-idx3-ubyte"), "train-images-idx3-ubyte"),
    (
        "mnist empty",
        "mnist",
        mnist_rewrite("train-labels-idx1-ubyte", lambda b: b""),
        "train-labels-idx1-ubyte",
    ),
    (
        "mnist truncated",
        "mnist",
        mnist_rewrite("train-images-idx3-ubyte", lambda b: b[:-100]),
        "train-images-idx3-ubyte",
    ),
    (
        "mnist wrong format",
        "mnist",
        mnist_rewrite("train-images-idx3-ubyte", lambda b: b"hello" + b[5:]),
        "train-images-idx3-ubyte",
    ),
    ("mnist truncated gzip", "mnist", mnist_truncated_archive, "train-images-idx3-ubyte"),
    (
        "mnist wrong shape",
        "mnist",
        lambda root: write_mnist(root, gz=False, shape=(20, 20)),
        "train-images-idx3-ubyte",
    ),
    ("usps missing", "usps", usps_file(None), "usps.bz2"),
    ("usps empty", "usps", usps_file(b""), "usps.bz2"),
    ("usps truncated", "usps", usps_file(bz2.compress(GOOD_USPS)[:40]), "usps.bz2"),
    ("usps wrong format", "usps", usps_file(gzip.compress(GOOD_USPS)), "usps.bz2"),
    (
        "usps wrong shape",
        "usps",
        usps_file(bz2.compress(usps_text(np.zeros((4, 100)), np.arange(4)))),
        "usps.bz2",
    ),
]


@pytest.mark.parametrize(
    ("case", "source", "make", "filename"), BAD_DATA, ids=[c[0] for c in BAD_DATA]
)
def test_bad_file_gives_one_error_naming_it(tmp_path, case, source, make, filename):
    make(tmp_path)
    with pytest.raises((ValueError, FileNotFoundError)) as err:
        load_domain(source, root=tmp_path, split="train")
    assert filename in str(err.value), case


def test_missing_font_file_is_named(tmp_path):
    missing = tmp_path / "no-such-font.ttf"
    with pytest.raises(FileNotFoundError, match="no-such-font.ttf"):
        text_lattice("平成", font_path=missing)
