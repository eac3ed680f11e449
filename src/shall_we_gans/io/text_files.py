"""Text and binary files the report writes: whole files, a README block, raw bytes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kedro.io.core import AbstractDataset, DatasetError, get_filepath_str
from kedro_datasets.text import TextDataset

from shall_we_gans.io.atomic import atomic_open


class AtomicTextDataset(TextDataset):
    """``text.TextDataset`` written under a temporary name and renamed into place."""

    def save(self, data: str) -> None:
        save_path = get_filepath_str(self._get_save_path(), self._protocol)
        with atomic_open(self._fs, save_path, mode="w", encoding="utf-8") as f:
            f.write(data)
        self._invalidate_cache()


class FileFolderDataset(AbstractDataset[dict[str, bytes], dict[str, bytes]]):
    """Files under a folder as ``{relative path: bytes}`` (the report's figures); saving
    replaces the folder's files, each written atomically; an empty folder loads as ``{}``."""

    def __init__(self, path: str, metadata: dict[str, Any] | None = None) -> None:
        self._path = Path(path)
        self.metadata = metadata

    def load(self) -> dict[str, bytes]:
        files = (
            sorted(p for p in self._path.rglob("*") if p.is_file()) if self._path.is_dir() else []
        )
        return {p.relative_to(self._path).as_posix(): p.read_bytes() for p in files}

    def save(self, data: dict[str, bytes]) -> None:
        import fsspec

        fs = fsspec.filesystem("file")
        for old in self.load():
            if old not in data:
                (self._path / old).unlink()
        for key, content in data.items():
            with atomic_open(fs, (self._path / key).as_posix()) as f:
                f.write(content)

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._path)}


class MarkedBlockDataset(AbstractDataset[str, str]):
    """The text between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` in a file (the
    README's generated results); saving replaces that block and leaves the rest untouched."""

    def __init__(self, filepath: str, marker: str, metadata: dict[str, Any] | None = None):
        self._filepath = Path(filepath)
        self._start, self._end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
        self.metadata = metadata

    def _split(self) -> tuple[str, str, str]:
        text = self._filepath.read_text(encoding="utf-8")
        pattern = re.compile(re.escape(self._start) + r"\n?(.*?)" + re.escape(self._end), re.S)
        match = pattern.search(text)
        if match is None:
            raise DatasetError(
                f"{self._filepath} has no block between {self._start} and {self._end}"
            )
        return text[: match.start(1)], match.group(1), text[match.end(1) :]

    def load(self) -> str:
        return self._split()[1]

    def save(self, data: str) -> None:
        import fsspec

        before, _, after = self._split()
        block = data if data.endswith("\n") else data + "\n"
        if not before.endswith("\n"):
            before += "\n"
        with atomic_open(fsspec.filesystem("file"), self._filepath.as_posix(), mode="w") as f:
            f.write(before + block + after)

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath), "marker": self._start}
