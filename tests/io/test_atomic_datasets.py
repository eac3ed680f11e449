"""Atomic saves of the pickle, CSV and figure datasets: a save interrupted by a file-size limit
leaves no torn file and the previous version stays the latest; an unreadable version gives one
error naming it and saying how to recover."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from kedro.io.core import DatasetError, Version

from shall_we_gans.io import (
    AtomicCSVDataset,
    AtomicMatplotlibDataset,
    AtomicPickleDataset,
    TorchModuleDataset,
)

matplotlib.use("Agg")

# Each case: the dataset expression (``path`` in scope), a small value, a big value (both as
# code, for the subprocess) and how to compare two loaded values.
SMALL_THEN_BIG = {
    "pickle": (
        "AtomicPickleDataset(filepath=path, version=Version(None, None))",
        "np.arange(10)",
        "np.zeros(2_000_000)",
    ),
    "csv": (
        "AtomicCSVDataset(filepath=path, version=Version(None, None))",
        "pd.DataFrame({'a': np.arange(10)})",
        "pd.DataFrame({'a': np.arange(500_000)})",
    ),
    "figure": (
        "AtomicMatplotlibDataset(filepath=path, version=Version(None, None))",
        "figure(1)",
        "figure(2000)",
    ),
    "torch": (
        "TorchModuleDataset(filepath=path, version=Version(None, None))",
        "MLPGenerator(2, 2, width=4, depth=1)",
        "MLPGenerator(2, 2, width=400, depth=2)",
    ),
}

PRELUDE = """
import numpy as np, pandas as pd, torch
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from kedro.io.core import Version
from shall_we_gans.gan.models import MLPGenerator
from shall_we_gans.io import (
    AtomicCSVDataset, AtomicMatplotlibDataset, AtomicPickleDataset, TorchModuleDataset,
)

def figure(n):
    fig, ax = plt.subplots(figsize=(4, 4), dpi=50 + n // 10)
    ax.scatter(np.random.default_rng(0).random(n), np.random.default_rng(1).random(n))
    return fig
"""

LIMITED_SAVE = """
import resource, time
path = {path!r}
dataset = {dataset}
value = {big}
time.sleep(0.01)  # a later version name than the first save
resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
dataset.save(value)
"""


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("kind", sorted(SMALL_THEN_BIG))
def test_a_save_cut_by_a_file_size_limit_leaves_no_torn_latest_version(tmp_path, kind):
    dataset_code, small, big = SMALL_THEN_BIG[kind]
    suffix = {"pickle": "pkl", "csv": "csv", "figure": "png", "torch": "pt"}[kind]
    path = str(tmp_path / f"thing.{suffix}")
    first = subprocess.run(
        [sys.executable, "-c", PRELUDE + f"path = {path!r}\n{dataset_code}.save({small})"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert first.returncode == 0, first.stderr
    saved = files_under(tmp_path)
    assert len(saved) == 1

    script = PRELUDE + LIMITED_SAVE.format(path=path, dataset=dataset_code, big=big)
    cut = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=120
    )
    assert cut.returncode != 0
    assert "File too large" in cut.stderr or "Errno 27" in cut.stderr, cut.stderr[-2000:]
    assert files_under(tmp_path) == saved  # no torn file, no temporary file left behind

    if kind == "figure":
        return  # MatplotlibDataset saves only; the file list above is the check
    versioned = {
        "pickle": AtomicPickleDataset,
        "csv": AtomicCSVDataset,
        "torch": TorchModuleDataset,
    }
    latest = versioned[kind](filepath=path, version=Version(None, None)).load()
    if kind == "pickle":
        np.testing.assert_array_equal(latest, np.arange(10))
    elif kind == "csv":
        pd.testing.assert_frame_equal(latest, pd.DataFrame({"a": np.arange(10)}))
    else:
        assert sum(p.numel() for p in latest.parameters()) < 100


def save_two_versions(dataset_class, path: str, first, second) -> list[Path]:
    for value in (first, second):
        dataset_class(filepath=path, version=Version(None, None)).save(value)
    return sorted(Path(path).glob("*/*"))


def test_a_truncated_pickle_names_the_version_and_how_to_recover(tmp_path):
    path = str(tmp_path / "mnist.pkl")
    old, new = save_two_versions(AtomicPickleDataset, path, np.arange(5), np.arange(100_000))
    new.write_bytes(new.read_bytes()[:1000])
    with pytest.raises(DatasetError) as error:
        AtomicPickleDataset(filepath=path, version=Version(None, None)).load()
    message = str(error.value)
    assert str(new) in message and "truncated or corrupt" in message
    assert "--load-versions" in message and old.parent.name in message
    assert "rerun the pipeline that produces it" in message
    assert "Failed while loading" not in message  # not Kedro's generic error

    older = AtomicPickleDataset(filepath=path, version=Version(old.parent.name, None)).load()
    np.testing.assert_array_equal(older, np.arange(5))


def test_an_empty_csv_names_the_version_and_how_to_recover(tmp_path):
    path = str(tmp_path / "history.csv")
    frame = pd.DataFrame({"step": [0, 1], "d_loss": [0.5, 0.4]})
    (only,) = save_two_versions(AtomicCSVDataset, path, frame, frame)[1:]
    only.write_bytes(b"")
    with pytest.raises(DatasetError, match="truncated or corrupt") as error:
        AtomicCSVDataset(filepath=path, version=Version(None, None)).load()
    assert str(only) in str(error.value) and "--load-versions" in str(error.value)


def test_a_figure_set_is_saved_file_by_file_without_temporary_names(tmp_path):
    import matplotlib.pyplot as plt

    figures = {"a.png": plt.figure(), "b.png": plt.figure()}
    AtomicMatplotlibDataset(filepath=str(tmp_path / "grids")).save(figures)
    assert [p.name for p in files_under(tmp_path)] == ["a.png", "b.png"]


def test_the_catalogs_write_only_through_atomic_datasets():
    conf = Path(__file__).parents[2] / "conf"
    text = "\n".join(p.read_text() for p in conf.rglob("catalog*.yml"))
    for plain in ("pickle.PickleDataset", "pandas.CSVDataset", "matplotlib.MatplotlibDataset"):
        assert f"type: {plain}" not in text, plain
