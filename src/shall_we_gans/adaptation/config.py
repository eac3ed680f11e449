"""Settings of ``train_classifier`` and ``adapt``, passed whole: every default lives here,
and the parameter blocks (``params.classifier``, ``params.adda``) are these classes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, PositiveInt

from shall_we_gans.typed import Block, Device, Seed

Beta = Annotated[float, Field(ge=0.0, lt=1.0)]


class ClassifierConfig(Block):
    """LeNet trained with Adam and cross-entropy. ``augment``: random shifts
    (±``max_shift`` px) and rotations (±``max_rotation``°) of every training batch, seeded;
    ``conv_channels``: LeNet's two convolutions; ``lr_schedule``: ``constant`` or ``cosine``
    (per epoch, from ``lr`` down to 0 after the last); ``select_best``: with a validation split,
    keep the epoch with the best validation accuracy. ``architecture``: LeNet (``conv_channels``
    widens its convolutions) or ``convnet`` (``models.ConvNetEncoder``, a second opinion)."""

    epochs: int = Field(ge=1)
    batch_size: int = Field(ge=1)
    lr: float = Field(gt=0.0)
    weight_decay: float = Field(default=0.0, ge=0.0)
    dropout: float = Field(default=0.5, ge=0.0, lt=1.0)
    select_best: bool = True
    augment: bool = False
    max_shift: float = Field(default=2.0, ge=0.0, description="pixels, with augment")
    max_rotation: float = Field(default=10.0, ge=0.0, description="degrees, with augment")
    architecture: Literal["lenet", "convnet"] = "lenet"
    conv_channels: tuple[PositiveInt, PositiveInt] = (20, 50)
    lr_schedule: Literal["constant", "cosine"] = "constant"
    seed: int = Seed
    device: Device = "auto"


class AdaptationConfig(Block):
    """ADDA: ``steps`` of one discriminator and one target-encoder update on ``batch_size``
    source and target images; Adam (``lr_d``, ``lr_t``, ``betas``); the domain discriminator's
    hidden widths ``d_hidden``; metrics reported every ``log_every`` steps."""

    steps: int = Field(ge=1)
    batch_size: int = Field(ge=1)
    lr_d: float = Field(default=2e-4, gt=0.0)
    lr_t: float = Field(default=2e-4, gt=0.0)
    betas: tuple[Beta, Beta] = (0.5, 0.999)
    d_hidden: list[PositiveInt] = Field(default=[500, 500], min_length=1)
    seed: int = Seed
    device: Device = "auto"
    log_every: int = Field(default=10, ge=1)
