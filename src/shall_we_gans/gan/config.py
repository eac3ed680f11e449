"""``TrainerConfig``: every knob of ``GANTrainer``, validated on construction.

A pydantic dataclass: used as a field type in the parameter schemas (``shall_we_gans.params``),
its constraints also report the full key path of a bad value (``gaussian_2d.trainer.lr_g``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, model_validator
from pydantic.dataclasses import dataclass

from shall_we_gans.typed import Device, refuse_bools_for_numbers

LossName = Literal["minimax", "non_saturating", "hinge", "wgan_gp", "lsgan"]
Beta = Annotated[float, Field(ge=0.0, lt=1.0)]


@dataclass(config=ConfigDict(extra="forbid", strict=False, allow_inf_nan=False))
class TrainerConfig:
    """Settings of one GAN training run.

    ``steps`` (≥ 1: a run that trains nothing is refused): iterations for ``train()`` (each =
    ``d_steps`` discriminator steps + one generator step). ``lr_g``/``lr_d``: learning rates
    (different values = TTUR). ``g_optimizer``: Adam, or plain SGD, whose step is proportional
    to the gradient (the original GAN paper's; it shows a vanishing gradient as a generator that
    stops moving, where Adam rescales it away). ``r1_gamma``: R1 penalty on D (0 = off).
    ``gp_lambda``: WGAN-GP weight, used only with ``loss="wgan_gp"``. ``ortho_beta``: orthogonal
    regularisation of G (0 = off). ``ema_decay``: keep an exponential moving average of G's
    weights (``None`` = off); ``ema_bn_batches``: before the EMA generator is sampled, its
    batch-norm statistics are recomputed on this many batches of its own samples (0: G's
    running statistics are copied, which belong to G's weights, not the average's).
    ``precision``: ``bf16`` runs the networks' forward passes under ``torch.autocast`` in
    bfloat16 (1.38× the images/s of the Stacked MNIST DCGAN on a 2-core CPU with AMX; losses,
    penalties and diagnostics stay float32).
    ``log_every``: record and report metrics every this many iterations.
    ``checkpoint_every``: save ``checkpoint_dir/<run>/latest.pt`` every this many iterations
    (0 = off), where ``<run>`` is the active MLflow run's id, else a timestamp, the
    process id and a random tag: two runs at once never share a file. ``resume``:
    ``GANTrainer.fit`` continues from the newest compatible checkpoint under ``checkpoint_dir``
    (from step 0 when there is none; an error when none there is compatible). ``resume_from``
    (implies ``resume``): continue from the checkpoint named, as a file, a run folder or a run
    id (the folder ``checkpoint_dir/<run id>``). A checkpoint records these settings and a
    fingerprint of the training data (for a sampler, only its name): resuming with other
    settings (``steps`` may change but not fall below the checkpoint's step; ``checkpoint_*``,
    ``resume*``, ``progress`` and ``check_finite_every`` may change), other data or other
    network shapes is an error naming the differences and the file. ``metric_prefix``: reported
    names become ``"{prefix}.{name}"``. ``check_finite_every``: check losses for NaN/inf every
    this many iterations (``None`` = every iteration on CPU, every ``log_every`` on CUDA, where
    each check waits for the device).
    """

    steps: Annotated[int, Field(ge=1)]
    batch_size: Annotated[int, Field(ge=1)]
    seed: Annotated[int, Field(ge=0)] = 0
    device: Device = "auto"
    loss: LossName = "non_saturating"
    lr_g: Annotated[float, Field(gt=0.0)] = 2e-4
    lr_d: Annotated[float, Field(gt=0.0)] = 2e-4
    betas: tuple[Beta, Beta] = (0.5, 0.999)
    g_optimizer: Literal["adam", "sgd"] = "adam"
    d_steps: Annotated[int, Field(ge=1)] = 1
    r1_gamma: Annotated[float, Field(ge=0.0)] = 0.0
    gp_lambda: Annotated[float, Field(ge=0.0)] = 10.0
    ortho_beta: Annotated[float, Field(ge=0.0)] = 0.0
    ema_decay: Annotated[float, Field(gt=0.0, lt=1.0)] | None = None
    ema_bn_batches: Annotated[int, Field(ge=0)] = 0
    precision: Literal["float32", "bf16"] = "float32"
    log_every: Annotated[int, Field(ge=1)] = 1
    checkpoint_every: Annotated[int, Field(ge=0)] = 0
    checkpoint_dir: str | None = None
    resume: bool = False
    resume_from: str | None = None
    metric_prefix: str = ""
    progress: bool = True
    check_finite_every: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_not_bools(cls, data: Any) -> Any:
        return refuse_bools_for_numbers(cls, cls.__pydantic_fields__, data)

    @model_validator(mode="after")
    def _checkpoint_needs_a_folder(self) -> TrainerConfig:
        if (self.checkpoint_every or self.resume or self.resume_from) and not self.checkpoint_dir:
            raise ValueError(
                "checkpoint_every > 0, resume and resume_from need checkpoint_dir (a folder path)"
            )
        return self

    @classmethod
    def from_dict(cls, params: Mapping[str, Any]) -> TrainerConfig:
        """Build from a mapping (e.g. Kedro parameters); unknown keys raise ``ValueError``."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(params) - known)
        if unknown:
            raise ValueError(f"unknown trainer settings {unknown}; allowed: {sorted(known)}")
        return cls(**params)
