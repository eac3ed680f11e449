"""Crash detection: train a ``GANTrainer`` in chunks and judge fixed-seed samples after each.

A run *crashes* when training diverges (``TrainingDivergedError``: a NaN/inf loss or weight;
``crash_step`` is the error's step) or when its samples collapse after it learned: once a chunk's
samples showed at least ``learned_classes`` digit classes (``digit_classes`` from the judge), a
later chunk with at most ``min_classes`` classes (or a Fréchet distance above ``max_fd``, when
set) is a crash, at that chunk's step. A run whose samples never reached ``learned_classes`` is
``never_learned``, which is not a crash: a generator that never made digits cannot collapse.
``learned_classes=None`` judges every chunk (no learning required).

By default training stops at the first crash (``stop_on_crash``). ``stop_on_crash=False``
trains on to the full budget, so that every run is scored at the same step (a diverged trainer
holds NaN weights and always stops); ``crash_step`` stays the first crash.

The judge is any callable ``judge(samples) -> {name: number}`` on the CPU samples of
``trainer.sample(n_samples, seed=sample_seed)``; every value becomes a column of the per-chunk
frame. Nothing here knows about MLflow or Kedro: ``log_metrics(metrics, step)`` (a metric sink,
``gan.sinks``) receives the judge's values per chunk and ``crashed``, ``never_learned`` (and
``crash_step`` when it crashed) at the end. The settings are one ``MonitoringSpec``, whose
defaults are the only ones (a parameter block uses the class itself).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch
from pydantic import Field, model_validator
from torch import Tensor

from shall_we_gans.gan.guards import TrainingDivergedError
from shall_we_gans.gan.sinks import MetricSink, discard_metrics
from shall_we_gans.gan.trainer import GANTrainer
from shall_we_gans.typed import Block

Judge = Callable[[Tensor], Mapping[str, float]]
DIAGNOSTICS = (
    "max_grad_d_over_d",
    "max_grad_d_over_d_real",
    "max_grad_logit",
    "max_grad_logit_real",
    "d_real",
    "d_fake",
)


class MonitoringSpec(Block):
    """Every ``chunk_steps`` steps, ``n_samples`` samples (seed ``sample_seed``) are judged;
    once they showed ``learned_classes`` digit classes (``None``: from the first chunk), a run
    has crashed when they show at most ``min_classes`` classes or an FD above ``max_fd``
    (``None``: FD not used). ``strip_size``: samples kept per chunk for the picture.
    ``stop_on_crash``: stop training at the first crash."""

    chunk_steps: int = Field(ge=1)
    n_samples: int = Field(default=1000, ge=1, le=100_000)
    sample_seed: int = Field(default=12345, ge=0)
    strip_size: int = Field(default=10, ge=0, le=64)
    min_classes: int = Field(default=2, ge=0, le=9)
    learned_classes: int | None = Field(default=None, ge=1, le=10)
    max_fd: float | None = Field(default=None, gt=0.0)
    stop_on_crash: bool = True

    @model_validator(mode="after")
    def _learned_above_collapsed(self) -> MonitoringSpec:
        if self.learned_classes is not None and self.learned_classes <= self.min_classes:
            raise ValueError(
                f"learned_classes ({self.learned_classes}) must be above min_classes "
                f"({self.min_classes}): a run cannot collapse to what it learned"
            )
        return self


@dataclass
class StabilityRun:
    """What a monitored run measured.

    ``chunks``: one row per chunk: ``step`` (the trainer's step after it), ``wall_s``
    (cumulative training + judging time), the peaks ``max_grad_d_over_d`` and
    ``max_grad_d_over_d_real`` over the chunk's logged steps, mean ``d_real`` and ``d_fake``,
    then the judge's values (NaN where the samples were not finite). ``history``: the trainer's
    per-step history (the curves to plot). ``strips``: uint8 ``(chunks, strip_size, C, H, W)``
    of the first samples per chunk for image samples, ``(chunks, 0)`` otherwise. ``crashed``:
    1 or 0; ``crash_step``: the step of the crash or ``None``; ``never_learned``: 1 when the
    samples never showed ``learned_classes`` classes; ``reason``: why, in words.
    """

    chunks: pd.DataFrame
    history: pd.DataFrame
    crashed: int
    crash_step: int | None
    never_learned: int = 0
    reason: str = ""
    strips: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.uint8))


def train_with_monitoring(
    trainer: GANTrainer,
    judge: Judge,
    spec: MonitoringSpec,
    log_metrics: MetricSink | None = None,
) -> StabilityRun:
    """Train ``trainer`` up to ``trainer.config.steps`` in chunks of ``spec.chunk_steps``,
    judging the same ``spec.n_samples`` samples (seed ``spec.sample_seed``) after each chunk;
    see the module doc."""
    chunk_steps, n_samples, sample_seed = spec.chunk_steps, spec.n_samples, spec.sample_seed
    strip_size, min_classes, max_fd = spec.strip_size, spec.min_classes, spec.max_fd
    learned_classes, stop_on_crash = spec.learned_classes, spec.stop_on_crash
    learned = learned_classes is None
    log = log_metrics or discard_metrics
    prefix = trainer.config.metric_prefix.rstrip(".")
    rows: list[dict[str, float]] = []
    strips: list[np.ndarray] = []
    crash_step, reason = None, ""
    started = time.perf_counter()
    while trainer.step < trainer.config.steps:
        first = trainer.step
        diverged = None
        try:
            trainer.train(min(chunk_steps, trainer.config.steps - trainer.step))
        except TrainingDivergedError as error:
            diverged = error
        row: dict[str, float] = {"step": trainer.step}
        row.update(_chunk_diagnostics(trainer.history, first))
        samples = trainer.sample(n_samples, seed=sample_seed)
        finite = bool(torch.isfinite(samples).all())
        verdict = dict(judge(samples)) if finite else {}
        row.update({k: float(v) for k, v in verdict.items()})
        row["wall_s"] = time.perf_counter() - started
        rows.append(row)
        strips.append(_strip(samples, strip_size))
        if verdict:
            log({_name(prefix, k): float(v) for k, v in verdict.items()}, trainer.step)
        if diverged is not None:
            crash_step, reason = diverged.step, f"diverged: {diverged.what}"
            break
        if not finite:  # NaN weights somewhere the guards do not look: nothing to train on
            crash_step, reason = trainer.step, "diverged: non-finite samples"
            break
        collapse = _collapse(verdict, min_classes, max_fd) if learned else ""
        learned = learned or verdict.get("digit_classes", 0) >= learned_classes
        if collapse and crash_step is None:
            crash_step, reason = trainer.step, f"collapsed: {collapse}"
        if crash_step is not None and stop_on_crash:
            break
    crashed = int(crash_step is not None)
    never_learned = int(not learned and crash_step is None)
    summary = {"crashed": float(crashed), "never_learned": float(never_learned)}
    if crash_step is not None:  # no step to report for a run that did not crash
        summary["crash_step"] = float(crash_step)
    log({_name(prefix, k): v for k, v in summary.items()}, trainer.step)
    return StabilityRun(
        chunks=pd.DataFrame(rows),
        history=trainer.history_frame(),
        crashed=crashed,
        crash_step=crash_step,
        never_learned=never_learned,
        reason=reason,
        strips=np.stack(strips) if strips else np.zeros((0, 0), np.uint8),
    )


def _collapse(verdict: Mapping[str, float], min_classes: int, max_fd: float | None) -> str:
    classes = verdict.get("digit_classes")
    if classes is not None and classes <= min_classes:
        return f"{int(classes)} digit classes <= {min_classes}"
    fd = verdict.get("fd")
    if max_fd is not None and fd is not None and not fd <= max_fd:  # NaN counts as too far
        return f"fd {fd:.4g} > {max_fd:g}"
    return ""


def _chunk_diagnostics(history: list[dict], first_step: int) -> dict[str, float]:
    rows = [r for r in history if r["step"] >= first_step and r["phase"] == "joint"]
    out = {}
    for key in DIAGNOSTICS:
        values = np.array([r.get(key, math.nan) for r in rows], dtype=np.float64)
        if len(values) == 0 or np.isnan(values).all():
            out[key] = math.nan
        elif key.startswith("max_"):
            out[key] = float(np.nanmax(values))  # the chunk's peak (inf stays inf)
        else:
            out[key] = float(np.nanmean(values))
    return out


def _strip(samples: Tensor, strip_size: int) -> np.ndarray:
    """The first ``strip_size`` image samples as uint8 (non-finite pixels black)."""
    if samples.ndim != 4:
        return np.zeros(0, np.uint8)
    x = torch.nan_to_num(samples[:strip_size].float(), nan=-1.0, posinf=1.0, neginf=-1.0)
    return ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8).numpy()


def _name(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key
