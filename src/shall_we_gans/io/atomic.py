"""Atomic writes for the kedro-datasets classes the catalogs use, and one clear error for a
saved version that cannot be read.

Every file is written under a hidden temporary name in its own folder and renamed into place
only once complete; a failed write (a full disk, a file-size limit, an exception) removes the
temporary file. Kedro finds a versioned dataset's latest version by globbing
``<filepath>/*/<name>``, so a version folder that holds no complete file is never "latest".
"""

from __future__ import annotations

import importlib
import io
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import IO, Any

import pandas as pd
from kedro.io.core import AbstractVersionedDataset, DatasetError, get_filepath_str
from kedro_datasets.matplotlib import MatplotlibDataset
from kedro_datasets.pandas import CSVDataset
from kedro_datasets.pickle import PickleDataset


@contextmanager
def atomic_open(fs: Any, path: str, **open_args: Any) -> Iterator[IO]:
    """Open a hidden temporary file beside ``path`` on the fsspec filesystem ``fs`` (``open_args``
    as for ``fs.open``, ``mode="wb"`` by default); rename it to ``path`` when the block ends
    without error, remove it otherwise."""
    open_args.setdefault("mode", "wb")
    folder, _, name = path.rpartition("/")
    folder = folder or "."
    partial = f"{folder}/.{name}.{os.getpid()}-{secrets.token_hex(4)}.partial"
    fs.makedirs(folder, exist_ok=True)
    try:
        with fs.open(partial, **open_args) as f:
            yield f
        fs.mv(partial, path)
    except BaseException:
        try:
            if fs.exists(partial):
                fs.rm(partial)
        except OSError:
            pass
        raise


def saved_versions(dataset: AbstractVersionedDataset) -> list[str]:
    """The versions of ``dataset`` saved on its filesystem, newest first (none when it cannot
    be listed)."""
    try:
        pattern = str(dataset._get_versioned_path("*"))
        versions = {PurePosixPath(p).parent.name for p in dataset._glob_function(pattern)}
    except Exception:  # a filesystem that cannot glob: no list
        return []
    return sorted(versions, reverse=True)


def unreadable_version(
    dataset: AbstractVersionedDataset, path: Any, exc: Exception
) -> DatasetError:
    """The one error for a saved file that exists but cannot be read (truncated, corrupt):
    names the file and its version, lists the other versions and says how to recover."""
    message = f"{path} cannot be read ({type(exc).__name__}: {exc}); it is truncated or corrupt."
    this = PurePosixPath(str(path)).parent.name
    others = [v for v in saved_versions(dataset) if v != this]
    if others:
        message += (
            f" Load an older version with `kedro run --load-versions <dataset>:<version>` "
            f"(older versions: {', '.join(others[:5])})"
            + (", ..." if len(others) > 5 else "")
            + ", or rerun the pipeline that produces it."
        )
    else:
        message += (
            " Rerun the pipeline that produces it, or load another version with "
            "`kedro run --load-versions <dataset>:<version>`."
        )
    return DatasetError(message)


class NamesUnreadableVersion:
    """Mixin for a Kedro file dataset: a load that fails on a present file names the version
    and how to recover (``unreadable_version``)."""

    def load(self) -> Any:
        path = self._get_load_path()
        try:
            return super().load.__wrapped__(self)
        except FileNotFoundError:
            raise
        except Exception as exc:
            raise unreadable_version(self, path, exc) from exc


class AtomicPickleDataset(NamesUnreadableVersion, PickleDataset):
    """``pickle.PickleDataset`` written under a temporary name and renamed into place.

    Loading a pickle runs code chosen by whoever wrote the file: a ``data/`` folder read by
    this dataset must be trusted like source code.
    """

    def save(self, data: Any) -> None:
        save_path = get_filepath_str(self._get_save_path(), self._protocol)
        backend = importlib.import_module(self._backend)
        with atomic_open(self._fs, save_path, **self._fs_open_args_save) as f:
            try:
                backend.dump(data, f, **self._save_args)
            except OSError:
                raise
            except Exception as exc:
                raise DatasetError(f"{data.__class__} was not serialised due to: {exc}") from exc
        self._invalidate_cache()


class AtomicCSVDataset(NamesUnreadableVersion, CSVDataset):
    """``pandas.CSVDataset`` written under a temporary name and renamed into place."""

    def save(self, data: pd.DataFrame) -> None:
        save_path = get_filepath_str(self._get_save_path(), self._protocol)
        with atomic_open(self._fs, save_path, **self._fs_open_args_save) as f:
            data.to_csv(path_or_buf=f, **self._save_args)
        self._invalidate_cache()


class AtomicMatplotlibDataset(MatplotlibDataset):
    """``matplotlib.MatplotlibDataset`` whose image files are written under a temporary name
    and renamed into place."""

    def _save_to_fs(self, full_key_path: str, plot: Any) -> None:
        buffer = io.BytesIO()
        plot.savefig(buffer, **self._save_args)
        with atomic_open(self._fs, full_key_path, **self._fs_open_args_save) as f:
            f.write(buffer.getvalue())
