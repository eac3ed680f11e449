"""Parameter block of ``classifier`` (``adaptation.training.train_classifier``)."""

from __future__ import annotations

from pydantic import Field

from shall_we_gans.params.common import Block, Device, Seed


class ClassifierBlock(Block):
    epochs: int = Field(ge=1)
    batch_size: int = Field(ge=1)
    lr: float = Field(gt=0.0)
    weight_decay: float = Field(default=0.0, ge=0.0)
    dropout: float = Field(default=0.5, ge=0.0, lt=1.0)
    select_best: bool = True
    seed: int = Seed
    device: Device = "auto"


SCHEMAS = {"classifier": ClassifierBlock}
