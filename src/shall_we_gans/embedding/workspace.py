"""Reusable scratch tensors for the blocked passes.

A fresh multi-megabyte CPU tensor is mapped from the OS and page-faulted on first touch every
time it is allocated, which costs more than the arithmetic done on it; the blocked passes
therefore write their block-sized temporaries into these buffers instead.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor


class Workspace:
    """Named buffers that grow on demand; a name's previous contents are overwritten."""

    def __init__(self) -> None:
        self._buffers: dict[tuple[str, torch.dtype], Tensor] = {}

    def take(self, name: str, shape: tuple[int, ...], dtype: torch.dtype = torch.float32) -> Tensor:
        """An uninitialised contiguous tensor of ``shape`` backed by buffer ``name``."""
        size = math.prod(shape)
        buffer = self._buffers.get((name, dtype))
        if buffer is None or buffer.numel() < size:
            buffer = torch.empty(size, dtype=dtype)
            self._buffers[(name, dtype)] = buffer
        return buffer[:size].view(shape)
