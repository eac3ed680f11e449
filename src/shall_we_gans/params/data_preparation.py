"""Parameter blocks of ``data_preparation``."""

from __future__ import annotations

from pydantic import Field, model_validator

from shall_we_gans.params.common import Block, DomainSource, Seed


class DigitsBlock(Block):
    """One namespaced digit domain: source, common image size, validation split."""

    source: DomainSource
    image_size: int = Field(ge=8, le=256)
    val_fraction: float = Field(gt=0.0, lt=1.0)
    seed: int = Seed


class GaussianSpec(Block):
    mean: tuple[float, float]
    cov: tuple[tuple[float, float], tuple[float, float]]


class GridSpec(Block):
    k: int = Field(ge=1)
    spacing: float = Field(gt=0.0)
    std: float = Field(gt=0.0)


class RingSpec(Block):
    n_modes: int = Field(ge=1)
    radius: float = Field(gt=0.0)
    std: float = Field(gt=0.0)


class TextSpec(Block):
    text: str = Field(min_length=1)
    font_path: str | None = None
    pixel_height: int = Field(default=64, ge=8)
    stride: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _not_blank(self) -> TextSpec:
        if not self.text.strip():
            raise ValueError("text must contain at least one visible character")
        return self


class ToyPreviewBlock(Block):
    n: int = Field(ge=1)
    seed: int = Seed
    gaussian: GaussianSpec
    grid: GridSpec
    ring: RingSpec
    text: TextSpec


SCHEMAS = {
    "mnist": DigitsBlock,
    "optdigits": DigitsBlock,
    "toy_preview": ToyPreviewBlock,
}
