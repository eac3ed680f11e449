"""Parameter blocks of ``data_preparation``."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from shall_we_gans.params.common import Block, DomainSource, Seed
from shall_we_gans.params.memory import (
    EVALUATED_2D_SAMPLE_BYTES,
    check_pixel_height,
    check_text_fits,
    text_summary,
    within_memory,
)


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


def font_cannot_render(text: str, font_path: str | None) -> str | None:
    """Why ``font_path`` (``None``: the default IPAex Gothic) cannot render every visible
    character of ``text`` (a missing font, a missing glyph), or ``None`` when it can."""
    from shall_we_gans.data.text_lattice import DEFAULT_FONT, check_font_covers

    try:
        check_font_covers(text, DEFAULT_FONT if font_path is None else font_path)
    except (OSError, ValueError) as exc:
        return str(exc)
    return None


class TextSpec(Block):
    """A rendered text: every visible character must be in the font (checked here, before a
    run, not when the node renders it). ``font_path``: ``null`` = IPAex Gothic."""

    font_path: str | None = None  # declared first: the check of ``text`` reads it
    text: str = Field(min_length=1)
    pixel_height: Annotated[int, Field(ge=8), AfterValidator(check_pixel_height)] = 64
    stride: int = Field(default=1, ge=1)
    # whether a pipeline draws the support as ``support_scatter`` does (counted in the check)
    plotted: ClassVar[bool] = False

    @field_validator("text")
    @classmethod
    def _renderable(cls, text: str, info: ValidationInfo) -> str:
        if not text.strip():
            raise ValueError("text must contain at least one visible character")
        if "font_path" in info.data:  # a bad font_path is reported on its own
            problem = font_cannot_render(text, info.data["font_path"])
            if problem:
                raise ValueError(problem)
        return text

    @model_validator(mode="after")
    def _fits_memory(self) -> TextSpec:
        """The rendering and its lattice points within the memory estimate and Pillow's limit
        (``params.memory.check_text_fits``)."""
        try:
            check_text_fits(self.text, self.font_path, self.pixel_height, self.stride, self.plotted)
        except ValueError as exc:
            summary = text_summary(self.text)
            raise ValueError(f"text {summary} at pixel_height {self.pixel_height}: {exc}") from None
        return self


class ToyPreviewBlock(Block):
    n: Annotated[
        int, Field(ge=1), within_memory(EVALUATED_2D_SAMPLE_BYTES, "preview points per dataset")
    ]
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
