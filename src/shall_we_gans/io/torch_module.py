"""A versioned Kedro dataset holding a whole ``torch.nn.Module``."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import fsspec
import torch
from kedro.io.core import AbstractVersionedDataset, DatasetError, Version, get_protocol_and_path


class TorchModuleDataset(AbstractVersionedDataset[torch.nn.Module, torch.nn.Module]):
    """Save a module with ``torch.save`` and load it back on the CPU, ready to call.

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
        with self._fs.open(str(path), "rb") as f:
            module = torch.load(f, map_location="cpu", weights_only=False)
        if not isinstance(module, torch.nn.Module):
            raise DatasetError(f"{path} does not hold a torch.nn.Module but {type(module)}")
        return module.eval()

    def save(self, data: torch.nn.Module) -> None:
        if not isinstance(data, torch.nn.Module):
            raise DatasetError(f"TorchModuleDataset saves torch.nn.Module, got {type(data)}")
        path = self._get_save_path()
        self._fs.makedirs(str(path.parent), exist_ok=True)
        with self._fs.open(str(path), "wb") as f:
            torch.save(data.to("cpu"), f)

    def _exists(self) -> bool:
        try:
            path = self._get_load_path()
        except DatasetError:
            return False
        return self._fs.exists(str(path))

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath, "protocol": self._protocol, "version": self._version}
