"""Checkpoints of ``GANTrainer``: where they live, what may differ on resume, and reading them.

A run writes ``checkpoint_dir/<run name>/latest.pt``. The run name is handed in by the caller
(a pipeline passes its MLflow run id); without one, a timestamp, the process id and a random
tag, so two runs at once never share a file. Nothing here knows about MLflow or Kedro.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch
from torch import nn

CHECKPOINT_NAME = "latest.pt"
# Settings a resumed run may change: where and how often it saves, whether it resumes, display.
RESUMABLE_CHANGES = frozenset(
    {"steps", "checkpoint_every", "checkpoint_dir", "resume", "resume_from", "progress"}
    | {"check_finite_every"}
)
logger = logging.getLogger(__name__)
Differences = Callable[[dict[str, Any]], dict[str, str]]


class CheckpointMismatchError(ValueError):
    """A checkpoint made with other settings, other data or other network shapes."""

    def __init__(self, path: Path, differences: dict[str, str]) -> None:
        self.path, self.differences = path, differences
        listed = "; ".join(f"{key}: {what}" for key, what in differences.items())
        super().__init__(
            f"checkpoint {path} does not match this run ({listed}). Resume with the settings and "
            "data it was made with, name another checkpoint with resume_from, or set "
            "resume=false to train from scratch."
        )


def local_run_name() -> str:
    """A run folder name for a run that was given none: time, process id and a random tag."""
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"


def run_checkpoint_path(checkpoint_dir: str, run_name: str | None) -> Path:
    """``checkpoint_dir/<run_name or a local name>/latest.pt``."""
    return Path(checkpoint_dir) / (run_name or local_run_name()) / CHECKPOINT_NAME


def write_atomically(state: dict[str, Any], path: Path) -> Path:
    """``torch.save`` under a temporary name of its own, then renamed: a cut write never
    replaces a good file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        torch.save(state, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read_checkpoint(path: Path, device: torch.device) -> dict[str, Any]:
    """A checkpoint's content, loaded with ``weights_only=True`` (a crafted file runs no code);
    ``FileNotFoundError`` when missing, ``ValueError`` naming the file when it cannot be read."""
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint file not found: {path}")
    try:
        state = torch.load(path, map_location=device, weights_only=True)
    except Exception as exc:
        raise ValueError(
            f"checkpoint {path} cannot be read ({type(exc).__name__}: {exc}); it is truncated, "
            "corrupt or not a checkpoint of GANTrainer: delete it, or name another with "
            "resume_from"
        ) from exc
    if not isinstance(state, dict) or "generator" not in state or "step" not in state:
        raise ValueError(f"checkpoint {path} is not a checkpoint of GANTrainer")
    return state


def named_checkpoint(name: str, checkpoint_dir: str | None) -> Path:
    """``resume_from`` as a file, a run folder or a run id under ``checkpoint_dir``."""
    candidates = [Path(name), Path(name) / CHECKPOINT_NAME]
    if checkpoint_dir:
        folder = Path(checkpoint_dir) / name
        candidates += [folder / CHECKPOINT_NAME, folder]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"resume_from={name!r}: no checkpoint file at {tried}")


def newest_compatible(
    checkpoint_dir: str, device: torch.device, differences: Differences
) -> tuple[Path, dict[str, Any]] | None:
    """The newest checkpoint under ``checkpoint_dir`` (``*/latest.pt``, and ``latest.pt`` of
    older versions) for which ``differences(state)`` is empty, with its content; ``None`` when
    there is none at all; ``CheckpointMismatchError`` for the newest when none is compatible.
    Newer ones skipped on the way are logged with the reason."""
    folder = Path(checkpoint_dir)
    found = [*folder.glob(f"*/{CHECKPOINT_NAME}"), folder / CHECKPOINT_NAME]
    found = sorted((p for p in found if p.is_file()), key=_mtime, reverse=True)
    refused: list[tuple[Path, dict[str, str]]] = []
    for path in found:
        try:
            state = read_checkpoint(path, device)
        except ValueError as exc:
            refused.append((path, {"file": str(exc)}))
            continue
        differ = differences(state)
        if not differ:
            for skipped, why in refused:
                reasons = "; ".join(f"{key}: {what}" for key, what in sorted(why.items()))
                logger.warning("resume: skipped the newer %s (%s)", skipped, reasons)
            return path, state
        refused.append((path, differ))
    if not refused:
        return None
    path, differ = refused[0]
    if len(refused) > 1:
        differ = differ | {
            "others": f"{len(refused) - 1} older checkpoint(s) under {folder} differ too"
        }
    raise CheckpointMismatchError(path, differ)


def resume_point(
    config: Any, device: torch.device, differences: Differences
) -> tuple[Path, dict[str, Any] | None] | None:
    """Where a run resumes from: ``config.resume_from`` (a file, run folder or run id; its
    content read later), else with ``config.resume`` the newest compatible checkpoint under
    ``checkpoint_dir`` with its content, else ``None`` (from step 0, logged)."""
    if config.resume_from:
        return named_checkpoint(config.resume_from, config.checkpoint_dir), None
    if not config.resume:
        return None
    found = newest_compatible(config.checkpoint_dir, device, differences)
    if found is None:
        logger.info("resume: no checkpoint under %s, training from step 0", config.checkpoint_dir)
    return found


def settings_differences(saved: Any, ours: dict[str, Any], steps: int, step: int) -> dict[str, str]:
    """Settings of a checkpoint (``saved``, a dict) against this run's (``ours``), except
    ``RESUMABLE_CHANGES``, and a checkpoint ``step`` beyond this run's ``steps``."""
    differences: dict[str, str] = {}
    if not isinstance(saved, dict):
        differences["config"] = "the checkpoint records no settings"
        saved = ours
    for key in sorted(set(saved) | set(ours)):
        if key in RESUMABLE_CHANGES:
            continue
        old, new = saved.get(key, "<absent>"), ours.get(key, "<absent>")
        if isinstance(old, list | tuple) and isinstance(new, list | tuple):
            old, new = tuple(old), tuple(new)
        if old != new:
            differences[key] = f"checkpoint {old!r}, this run {new!r}"
    if step > steps:
        differences["steps"] = f"checkpoint at step {step}, this run stops at {steps}"
    return differences


def shape_differences(label: str, saved: Any, module: nn.Module) -> dict[str, str]:
    """Parameter and buffer names and shapes of ``saved`` (a state dict) against ``module``."""
    if not isinstance(saved, dict):
        return {label: "the checkpoint holds no weights"}
    ours = module.state_dict()
    differences = {}
    for name in sorted(set(saved) | set(ours)):
        old = tuple(saved[name].shape) if name in saved else None
        new = tuple(ours[name].shape) if name in ours else None
        if old != new:
            shown = [("absent" if s is None else f"shape {s}") for s in (old, new)]
            differences[f"{label}.{name}"] = f"checkpoint {shown[0]}, this run {shown[1]}"
    return differences


class CheckpointMixin:
    """Checkpoint methods of ``GANTrainer``: it provides ``config``, ``device``, ``batches``,
    ``generator``, ``discriminator``, ``step``, ``checkpoint_path``, ``state_dict()``,
    ``load_state_dict()`` and ``_check_finite()``."""

    def data_fingerprint(self) -> str:
        """SHA-256 of the training tensor (shape, dtype, bytes); for a sampler, its name."""
        return self.batches.fingerprint()

    def checkpoint_differences(self, state: dict[str, Any]) -> dict[str, str]:
        """What keeps ``state`` (a ``state_dict()``) from resuming this run, by key: settings
        other than ``RESUMABLE_CHANGES``, a ``step`` beyond ``steps``, the data fingerprint, and
        the generator's and discriminator's parameter names and shapes."""
        differences = settings_differences(
            state.get("config"), asdict(self.config), self.config.steps, int(state.get("step", 0))
        )
        saved_data = state.get("data_fingerprint")
        if saved_data != self.data_fingerprint():
            differences["data"] = (
                f"checkpoint {saved_data or 'not recorded'}, this run {self.data_fingerprint()}"
            )
        for label, module in (("generator", self.generator), ("discriminator", self.discriminator)):
            differences.update(shape_differences(label, state.get(label), module))
        return differences

    def save_checkpoint(self, path: str | os.PathLike | None = None) -> Path:
        """Write the complete state atomically (default ``checkpoint_path``, this run's
        ``checkpoint_dir/<run>/latest.pt``), under a temporary name of its own, then renamed.

        Checks losses and weights first: a diverged state raises and never replaces a good file.
        """
        if path is None:
            if self.checkpoint_path is None:
                raise ValueError("save_checkpoint needs a path or config.checkpoint_dir")
            path = self.checkpoint_path
        self._check_finite(weights=True)
        return write_atomically(self.state_dict(), Path(path))

    def load_checkpoint(self, path: str | os.PathLike, state: dict[str, Any] | None = None) -> None:
        """Load a file written by ``save_checkpoint`` (``torch.load(weights_only=True)``: a
        crafted file runs no code) after checking it was made with this run's settings, data
        and network shapes (``CheckpointMismatchError`` otherwise). ``state``: the file's
        content when already read."""
        path = Path(path)
        if state is None:
            state = read_checkpoint(path, self.device)
        differences = self.checkpoint_differences(state)
        if differences:
            raise CheckpointMismatchError(path, differences)
        self.load_state_dict(state)
        logger.info(
            "resumed from %s at step %d (training to step %d)", path, self.step, self.config.steps
        )


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return float("-inf")
