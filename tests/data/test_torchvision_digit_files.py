"""MNIST and USPS through torchvision, on tiny files written here in the real on-disk formats."""

from __future__ import annotations

import bz2
from pathlib import Path

import numpy as np
import pytest
import torchvision.datasets

from shall_we_gans.data.digits import load_domain, split_available
from tests.digit_files import usps_text, write_mnist

# shared/ lies beside the project's checkout (CI's clone too); /work/shared on this machine
_USPS_CANDIDATES = [
    Path(__file__).resolve().parents[2].parent / "shared/datasets/USPS",
    Path("/work/shared/datasets/USPS"),
]
REAL_USPS = next((p for p in _USPS_CANDIDATES if p.exists()), _USPS_CANDIDATES[0])


@pytest.fixture()
def tiny_usps(tmp_path: Path):
    """usps.bz2 and usps.t.bz2 with 12 / 5 images whose pixels are -1, 0 or 1."""
    rng = np.random.default_rng(3)
    out = {}
    for split, name, n in (("train", "usps.bz2", 12), ("test", "usps.t.bz2", 5)):
        values = rng.choice([-1.0, 0.0, 1.0], size=(n, 256))
        digits = np.arange(n) % 10
        (tmp_path / name).write_bytes(bz2.compress(usps_text(values, digits)))
        out[split] = (values, digits)
    return tmp_path, out


def test_mnist_from_gz_archives_only(tmp_path):
    raw, arrays = write_mnist(tmp_path)
    for split in ("train", "test"):
        domain = load_domain("mnist", tmp_path, split)
        images, labels = arrays[split]
        assert domain.images.dtype == np.uint8 and domain.labels.dtype == np.int64
        assert domain.images.shape == images.shape and domain.name == "mnist"
        np.testing.assert_array_equal(domain.images, images)
        np.testing.assert_array_equal(domain.labels, labels)
    assert (raw / "train-images-idx3-ubyte").is_file()  # decompressed beside the archive
    assert not list(raw.glob(".*partial"))


def test_mnist_from_uncompressed_idx(tmp_path):
    _, arrays = write_mnist(tmp_path, gz=False)
    np.testing.assert_array_equal(load_domain("mnist", tmp_path).images, arrays["train"][0])
    assert split_available("mnist", tmp_path, "test")


def test_mnist_missing_files_name_them(tmp_path):
    write_mnist(tmp_path, sizes=(("train", 20),))
    assert not split_available("mnist", tmp_path, "train")
    with pytest.raises(FileNotFoundError, match=r"t10k-images-idx3-ubyte.*download: true"):
        load_domain("mnist", tmp_path)
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        load_domain("mnist", tmp_path / "nowhere")


def test_mnist_truncated_gz_names_file_and_leaves_nothing(tmp_path):
    raw, _ = write_mnist(tmp_path)
    archive = raw / "train-images-idx3-ubyte.gz"
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(ValueError, match="train-images-idx3-ubyte.gz"):
        load_domain("mnist", tmp_path)
    assert not (raw / "train-images-idx3-ubyte").exists()
    assert not list(raw.glob(".*partial"))


def test_mnist_wrong_magic_number(tmp_path):
    raw, _ = write_mnist(tmp_path, gz=False)
    path = raw / "train-images-idx3-ubyte"
    path.write_bytes(b"\x00\x00\x08\x01" + path.read_bytes()[4:])
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte.*magic number 0x00000801"):
        load_domain("mnist", tmp_path)


def test_mnist_short_payload(tmp_path):
    raw, _ = write_mnist(tmp_path, gz=False)
    path = raw / "t10k-labels-idx1-ubyte"
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(ValueError, match=r"t10k-labels-idx1-ubyte is truncated"):
        load_domain("mnist", tmp_path, "test")


def test_mnist_wrong_image_shape(tmp_path):
    write_mnist(tmp_path, shape=(10, 10))
    with pytest.raises(ValueError, match=r"\(10, 10\) images, MNIST needs 28×28"):
        load_domain("mnist", tmp_path)


def test_mnist_download_goes_through_torchvision(tmp_path, monkeypatch):
    calls = []

    def offline_mnist(root, train=True, download=False):
        calls.append((root, train, download))
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")

    monkeypatch.setattr(torchvision.datasets, "MNIST", offline_mnist)
    with pytest.raises(FileNotFoundError, match="could not download MNIST"):
        load_domain("mnist", tmp_path, download=True)
    assert calls == [(str(tmp_path), True, True)]


def test_usps_tiny_files(tiny_usps):
    root, out = tiny_usps
    for split in ("train", "test"):
        domain = load_domain("usps", root, split)
        values, digits = out[split]
        expected = np.select([values < 0, values == 0], [0, 127], 255).reshape(-1, 16, 16)
        assert domain.images.dtype == np.uint8 and domain.images.shape == (len(digits), 16, 16)
        np.testing.assert_array_equal(domain.images, expected)  # ((v + 1) / 2 · 255) truncated
        np.testing.assert_array_equal(domain.labels, digits)
        assert split_available("usps", root, split)


def test_usps_truncated_bz2(tiny_usps):
    root, _ = tiny_usps
    path = root / "usps.bz2"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ValueError, match=r"usps.bz2 is truncated or corrupt"):
        load_domain("usps", root)


def test_usps_wrong_image_shape(tmp_path):
    values = np.zeros((8, 64))
    (tmp_path / "usps.bz2").write_bytes(bz2.compress(usps_text(values, np.arange(8))))
    with pytest.raises(ValueError, match=r"usps.bz2 does not hold 16×16 USPS images"):
        load_domain("usps", tmp_path)


def test_usps_download_goes_through_torchvision(tmp_path, monkeypatch):
    calls = []

    def offline_usps(root, train=True, download=False):
        calls.append((root, train, download))
        raise OSError("<urlopen error [Errno -3] Temporary failure in name resolution>")

    monkeypatch.setattr(torchvision.datasets, "USPS", offline_usps)
    with pytest.raises(FileNotFoundError, match=r"could not download usps.t.bz2"):
        load_domain("usps", tmp_path, "test", download=True)
    assert calls == [(str(tmp_path), False, True)]


@pytest.fixture(scope="module")
def real_usps_train():
    """The real USPS training domain when the shared folder exists, else the error it raises."""
    try:
        return load_domain("usps", REAL_USPS, "train")
    except FileNotFoundError as err:
        assert not (REAL_USPS / "usps.bz2").exists()
        return err


def test_real_usps_training_file(real_usps_train):
    if isinstance(real_usps_train, FileNotFoundError):
        assert "usps.bz2" in str(real_usps_train) and "download: true" in str(real_usps_train)
        return
    assert real_usps_train.images.shape == (7291, 16, 16)
    assert real_usps_train.images.dtype == np.uint8 and real_usps_train.images.max() == 255
    assert sorted(np.unique(real_usps_train.labels)) == list(range(10))
    assert np.bincount(real_usps_train.labels)[0] == 1194  # the known USPS train class sizes


def test_real_usps_has_no_test_split():
    assert not split_available("usps", REAL_USPS, "test")
    with pytest.raises(FileNotFoundError, match=r"usps.t.bz2.*download: true"):
        load_domain("usps", REAL_USPS, "test")
