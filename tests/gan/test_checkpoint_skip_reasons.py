"""A newer checkpoint skipped on resume is logged with why: what cannot be read, or which
settings differ and how."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import torch

from shall_we_gans.gan.checkpoint import newest_compatible


def checkpoint(folder: Path, run: str, step: int, age: int) -> Path:
    path = folder / run / "latest.pt"
    path.parent.mkdir(parents=True)
    torch.save({"generator": {}, "step": step, "lr_d": 0.1 * step}, path)
    os.utime(path, (1e9 - age, 1e9 - age))
    return path


def test_a_skipped_checkpoint_says_why(tmp_path, caplog):
    good = checkpoint(tmp_path, "good", step=1, age=30)
    other = checkpoint(tmp_path, "other", step=2, age=20)
    corrupt = checkpoint(tmp_path, "corrupt", step=3, age=10)
    corrupt.write_bytes(b"cut short")
    os.utime(corrupt, (1e9 - 10, 1e9 - 10))

    def differences(state):
        lr_d = state["lr_d"]
        return {} if lr_d == 0.1 else {"lr_d": f"checkpoint {lr_d}, this run 0.1"}

    with caplog.at_level(logging.WARNING, logger="shall_we_gans.gan"):
        path, state = newest_compatible(str(tmp_path), torch.device("cpu"), differences)
    assert path == good and state["step"] == 1
    assert (
        f"skipped the newer {corrupt} (file: checkpoint {corrupt} cannot be read (" in caplog.text
    )
    assert "truncated, corrupt or not a checkpoint" in caplog.text
    assert f"skipped the newer {other} (lr_d: checkpoint 0.2, this run 0.1)" in caplog.text
