"""Parameter blocks of ``text_lattice``."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.params.common import Block
from shall_we_gans.params.gaussian_2d import EvaluationSpec, ModelSpec, reject_per_variant_keys


class LatticeSpec(Block):
    """How every text is rendered (``data.text_lattice.text_lattice``); ``null`` font: IPAex."""

    font_path: str | None = None
    pixel_height: int = Field(default=64, ge=8)
    stride: int = Field(default=1, ge=1)


class TextVariant(Block):
    """One compared run: the text it learns and the prefix of its MLflow metrics."""

    text: str = Field(min_length=1)
    metric_prefix: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_]+$")

    @field_validator("text")
    @classmethod
    def _visible(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("text must contain at least one visible character")
        return text


class TextLatticeBlock(Block):
    """``text_lattice``: shared rendering, models and budget; one block per variant."""

    lattice: LatticeSpec
    model: ModelSpec
    trainer: TrainerConfig
    evaluation: EvaluationSpec
    heisei: TextVariant
    reiwa_warm: TextVariant
    reiwa_cold: TextVariant

    @field_validator("trainer", mode="before")
    @classmethod
    def _prefix_per_variant(cls, trainer: Any) -> Any:
        return reject_per_variant_keys(trainer, ("metric_prefix",), "text_lattice")

    @model_validator(mode="after")
    def _distinct_prefixes(self) -> TextLatticeBlock:
        prefixes = [v.metric_prefix for v in (self.heisei, self.reiwa_warm, self.reiwa_cold)]
        if len(set(prefixes)) < len(prefixes):
            raise ValueError(
                f"text_lattice.<variant>.metric_prefix values must differ, got {prefixes}"
            )
        return self


SCHEMAS = {"text_lattice": TextLatticeBlock}
