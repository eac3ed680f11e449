"""Parameter block of ``classifier`` (``adaptation.training.train_classifier``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, PositiveInt

from shall_we_gans.params.common import Block, Device, Seed


class ClassifierBlock(Block):
    epochs: int = Field(ge=1)
    batch_size: int = Field(ge=1)
    lr: float = Field(gt=0.0)
    weight_decay: float = Field(default=0.0, ge=0.0)
    dropout: float = Field(default=0.5, ge=0.0, lt=1.0)
    select_best: bool = True
    augment: bool = False  # random shifts and rotations of every training batch (seeded)
    max_shift: float = Field(default=2.0, ge=0.0, description="pixels, with augment")
    max_rotation: float = Field(default=10.0, ge=0.0, description="degrees, with augment")
    conv_channels: tuple[PositiveInt, PositiveInt] = (20, 50)  # LeNet's two convolutions
    lr_schedule: Literal["constant", "cosine"] = "constant"  # cosine: lr -> 0 over the epochs
    seed: int = Seed
    device: Device = "auto"


SCHEMAS = {"classifier": ClassifierBlock}
