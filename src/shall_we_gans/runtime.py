"""Device selection and seeding shared by every training module."""

from __future__ import annotations

import random
import re

import numpy as np
import torch

DEVICES = ("auto", "cpu", "cuda", "mps")
_DEVICE_NAME = re.compile(r"^(auto|cpu|cuda|mps|cuda:\d+)$")


def check_device_name(name: str) -> str:
    """The one device rule: ``auto``, ``cpu``, ``cuda``, ``cuda:N`` or ``mps``."""
    if not isinstance(name, str) or not _DEVICE_NAME.match(name):
        raise ValueError(f"device must be one of {DEVICES} or 'cuda:N', got {name!r}")
    return name


def check_device_available(name: str) -> str:
    """``check_device_name``, and CUDA (with that many devices) or MPS present on this machine
    when ``name`` asks for them; the parameter check of every ``device`` key."""
    check_device_name(name)
    if name.startswith("cuda"):
        # device_count asks NVML first: unlike is_available it does not initialise CUDA in this
        # process, whose ParallelRunner workers are forked after the check and need CUDA
        index, count = int(name.partition(":")[2] or 0), torch.cuda.device_count()
        if count == 0:
            raise ValueError(
                f"device {name!r} was requested but CUDA is not available on this machine; "
                "use 'auto' (CUDA when present, else CPU) or 'cpu'"
            )
        if index >= count:
            raise ValueError(f"device {name!r}: this machine has {count} CUDA device(s)")
    if name == "mps" and not torch.backends.mps.is_available():
        raise ValueError("device 'mps' was requested but MPS is not available; use 'auto'")
    return name


def resolve_device(name: str = "auto") -> torch.device:
    """Return the torch device for ``name``: ``auto`` picks CUDA when present, else CPU."""
    check_device_available(name)
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def seed_everything(seed: int) -> torch.Generator:
    """Seed Python, NumPy and torch; return a CPU ``torch.Generator`` seeded with ``seed``."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)
