"""A versioned Kedro dataset holding a ``torch.nn.Module`` as weights plus the arguments that
rebuild it (``shall_we_gans.modules``): loading runs no code from the file."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import fsspec
import torch
from kedro.io.core import AbstractVersionedDataset, DatasetError, Version, get_protocol_and_path

from shall_we_gans.io.atomic import atomic_open
from shall_we_gans.modules import build_module, module_spec


class TorchModuleDataset(AbstractVersionedDataset[torch.nn.Module, torch.nn.Module]):
    """Save a module's ``state_dict`` and constructor arguments; load it back on the CPU in
    eval mode, ready to call. Loading uses ``torch.load(weights_only=True)`` and rebuilds only
    this package's classes, so a crafted file cannot run code. The file is written to a
    temporary name and renamed into place: a failed save never leaves a torn latest version.

    Example::

        mnist_classifier:
          type: shall_we_gans.io.TorchModuleDataset
          filepath: data/06_models/mnist_classifier.pt
          versioned: true
    """

    def __init__(
        self,
        *,
        filepath: str,
        version: Version | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        protocol, path = get_protocol_and_path(filepath, version)
        self._protocol = protocol
        self._fs = fsspec.filesystem(protocol)
        self.metadata = metadata
        super().__init__(
            filepath=PurePosixPath(path),
            version=version,
            exists_function=self._fs.exists,
            glob_function=self._fs.glob,
        )

    def load(self) -> torch.nn.Module:
        path = self._get_load_path()
        try:
            with self._fs.open(str(path), "rb") as f:
                saved = torch.load(f, map_location="cpu", weights_only=True)
            module = build_module(saved["spec"])
            module.load_state_dict(saved["state_dict"])
        except Exception as exc:
            raise DatasetError(
                f"{path} does not hold a module saved by TorchModuleDataset ({exc}); rerun the "
                "pipeline that makes it, or load another version with --load-versions"
            ) from exc
        return module.eval()

    def save(self, data: torch.nn.Module) -> None:
        if not isinstance(data, torch.nn.Module):
            raise DatasetError(f"TorchModuleDataset saves torch.nn.Module, got {type(data)}")
        path = self._get_save_path()
        state = {k: v.detach().cpu() for k, v in data.state_dict().items()}
        with atomic_open(self._fs, str(path)) as f:
            torch.save({"spec": module_spec(data), "state_dict": state}, f)

    def _exists(self) -> bool:
        try:
            path = self._get_load_path()
        except DatasetError:
            return False
        return self._fs.exists(str(path))

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath, "protocol": self._protocol, "version": self._version}
