"""Parameter blocks of ``classifier``: ``adaptation.config.ClassifierConfig`` itself (its
defaults and checks live in one place), and the second, independent classifier that checks
whether Stacked MNIST samples are digits."""

from __future__ import annotations

from pydantic import Field

from shall_we_gans.adaptation.config import ClassifierConfig
from shall_we_gans.params.common import Block, Seed

ClassifierBlock = ClassifierConfig


class SecondClassifierBlock(Block):
    """Another architecture and seed (``model``), trained on another split of the MNIST
    training digits (``val_fraction`` held out for its epoch choice, drawn with
    ``split_seed``); like the first, it never sees the validation digits it is scored on."""

    val_fraction: float = Field(gt=0.0, lt=1.0)
    split_seed: int = Seed
    model: ClassifierConfig


SCHEMAS = {"classifier": ClassifierBlock, "second_classifier": SecondClassifierBlock}
