"""``TrainerConfig``: every knob of ``GANTrainer``, validated on construction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from shall_we_gans.gan.losses import LOSSES


@dataclass
class TrainerConfig:
    """Settings of one GAN training run.

    ``steps``: iterations for ``train()`` (each = ``d_steps`` discriminator steps + one generator
    step). ``lr_g``/``lr_d``: Adam learning rates (different values = TTUR). ``r1_gamma``: R1
    penalty on D (0 = off). ``gp_lambda``: WGAN-GP weight, used only with ``loss="wgan_gp"``.
    ``ortho_beta``: orthogonal regularisation of G (0 = off). ``ema_decay``: keep an exponential
    moving average of G's weights (``None`` = off). ``log_every``: record and report metrics every
    this many iterations. ``checkpoint_every``: save ``checkpoint_dir/latest.pt`` every this many
    iterations (0 = off). ``metric_prefix``: reported names become ``"{prefix}.{name}"``.
    ``check_finite_every``: check losses for NaN/inf every this many iterations (``None`` = every
    iteration on CPU, every ``log_every`` on CUDA, where each check waits for the device).
    """

    steps: int
    batch_size: int
    seed: int = 0
    device: str = "auto"
    loss: str = "non_saturating"
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    d_steps: int = 1
    r1_gamma: float = 0.0
    gp_lambda: float = 10.0
    ortho_beta: float = 0.0
    ema_decay: float | None = None
    log_every: int = 1
    checkpoint_every: int = 0
    checkpoint_dir: str | None = None
    metric_prefix: str = ""
    progress: bool = True
    check_finite_every: int | None = None

    def __post_init__(self) -> None:
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {self.loss!r}")
        for name, (predicate, expected) in _CHECKS.items():
            value = getattr(self, name)
            try:
                ok = bool(predicate(value))
            except (TypeError, ValueError):
                ok = False
            if not ok:
                raise ValueError(f"{name} must be {expected}, got {value!r}")
        self.betas = (float(self.betas[0]), float(self.betas[1]))
        if self.checkpoint_every and not self.checkpoint_dir:
            raise ValueError("checkpoint_every > 0 needs checkpoint_dir (a folder path)")

    @classmethod
    def from_dict(cls, params: Mapping[str, Any]) -> TrainerConfig:
        """Build from a mapping (e.g. Kedro parameters); unknown keys raise ``ValueError``."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(params) - known)
        if unknown:
            raise ValueError(f"unknown trainer settings {unknown}; allowed: {sorted(known)}")
        return cls(**params)


def _is_int(value: Any, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "steps": (lambda v: _is_int(v, 0), "a non-negative int"),
    "batch_size": (lambda v: _is_int(v, 1), "a positive int"),
    "d_steps": (lambda v: _is_int(v, 1), "a positive int"),
    "log_every": (lambda v: _is_int(v, 1), "a positive int"),
    "checkpoint_every": (lambda v: _is_int(v, 0), "a non-negative int"),
    "lr_g": (lambda v: v > 0, "a positive number"),
    "lr_d": (lambda v: v > 0, "a positive number"),
    "r1_gamma": (lambda v: v >= 0, "a non-negative number"),
    "gp_lambda": (lambda v: v >= 0, "a non-negative number"),
    "ortho_beta": (lambda v: v >= 0, "a non-negative number"),
    "betas": (lambda v: len(v) == 2 and all(0 <= float(b) < 1 for b in v), "two numbers in [0, 1)"),
    "ema_decay": (lambda v: v is None or 0 < v < 1, "None or a number in (0, 1)"),
    "check_finite_every": (lambda v: v is None or _is_int(v, 1), "None or a positive int"),
}
