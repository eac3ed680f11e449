"""``RealBatches``: the real samples of a GAN run, drawn in shuffled epochs without replacement
(or from a sampler), on the trainer's device and from its generator."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import numpy as np
import torch
from torch import Tensor

Sampler = Callable[[int, torch.Generator], Tensor]
DataSource = Tensor | np.ndarray | Sampler


class RealBatches:
    """``data``: a tensor or array ``(N, ...)`` with ``N >= batch_size``, or a sampler
    ``data(n, generator) -> Tensor`` that draws only from the given generator. ``next(n)``
    draws from ``rng``; ``state()`` / ``load_state()`` hold the epoch's permutation and cursor,
    so a resumed run draws the same batches."""

    def __init__(
        self, data: DataSource, batch_size: int, device: torch.device, rng: torch.Generator
    ) -> None:
        self.rng = rng
        self.tensor: Tensor | None = None
        self.sampler: Sampler | None = None
        if callable(data) and not isinstance(data, Tensor | np.ndarray):
            self.sampler = data
        elif isinstance(data, Tensor | np.ndarray):
            tensor = torch.as_tensor(data)
            if not tensor.is_floating_point():
                tensor = tensor.float()
            if tensor.ndim < 2 or len(tensor) < batch_size:
                raise ValueError(
                    f"data must have shape (N, ...) with N >= batch_size={batch_size}, "
                    f"got {tuple(tensor.shape)}"
                )
            self.tensor = tensor.to(device)
        else:
            raise ValueError(
                f"data must be a tensor, an array or a sampler, got {type(data).__name__}"
            )
        self.device = device
        self._perm: Tensor | None = None
        self._cursor = 0
        self._fingerprint: str | None = None

    def next(self, n: int) -> Tensor:
        """The next ``n`` real samples."""
        if self.sampler is not None:
            return self.sampler(n, self.rng).to(self.device)
        if self._perm is None or self._cursor + n > len(self.tensor):
            self._perm = torch.randperm(
                len(self.tensor), generator=self.rng, device=self.rng.device
            )
            self._cursor = 0
        idx = self._perm[self._cursor : self._cursor + n]
        self._cursor += n
        return self.tensor[idx.to(self.tensor.device)]

    def state(self) -> dict:
        """``data_perm`` (on the CPU, or ``None``) and ``data_cursor``."""
        perm = None if self._perm is None else self._perm.cpu()
        return {"data_perm": perm, "data_cursor": self._cursor}

    def load_state(self, state: dict) -> None:
        """Restore what ``state()`` returned."""
        perm = state["data_perm"]
        self._perm = None if perm is None else perm.to(self.rng.device)
        self._cursor = int(state["data_cursor"])

    def fingerprint(self) -> str:
        """SHA-256 of the tensor (shape, dtype, bytes); for a sampler, its name."""
        if self._fingerprint is None:
            if self.tensor is None:
                sampler = self.sampler
                name = getattr(sampler, "__qualname__", type(sampler).__qualname__)
                self._fingerprint = f"sampler:{getattr(sampler, '__module__', '')}.{name}"
            else:
                data = self.tensor.detach().cpu().contiguous()
                digest = hashlib.sha256(f"{tuple(data.shape)}{data.dtype}".encode())
                digest.update(data.reshape(-1).view(torch.uint8).numpy().tobytes())
                self._fingerprint = "sha256:" + digest.hexdigest()
        return self._fingerprint
