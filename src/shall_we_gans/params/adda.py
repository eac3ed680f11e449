"""Parameter block of ``adda``."""

from __future__ import annotations

from pydantic import Field, model_validator

from shall_we_gans.adaptation.config import AdaptationConfig
from shall_we_gans.params.classifier import ClassifierBlock
from shall_we_gans.params.common import Block, DomainSource, Seed


class SourceSpec(DomainSource):
    n: int = Field(ge=20)
    val_fraction: float = Field(gt=0.0, lt=1.0)
    seed: int = Seed

    @model_validator(mode="after")
    def _fits(self) -> SourceSpec:
        if self.n > self.size:
            raise ValueError(f"n ({self.n}) exceeds the {self.size} images of {self.name!r}")
        return self


class TargetSpec(DomainSource):
    n: int | None = Field(default=None, ge=10)
    holdout_fraction: float = Field(gt=0.0, lt=1.0)
    seed: int = Seed

    @model_validator(mode="after")
    def _fits(self) -> TargetSpec:
        if self.n is not None and self.n > self.size:
            raise ValueError(f"n ({self.n}) exceeds the {self.size} images of {self.name!r}")
        return self


AdaptationSpec = AdaptationConfig  # the settings of ``adaptation.training.adapt``


class ProjectionSpec(Block):
    max_points: int = Field(ge=10)
    seed: int = Seed


class AddaBlock(Block):
    image_size: int = Field(ge=28, le=28)  # LeNet's input size
    source: SourceSpec
    target: TargetSpec
    classifier: ClassifierBlock
    adaptation: AdaptationSpec
    projection: ProjectionSpec


SCHEMAS = {"adda": AddaBlock}
