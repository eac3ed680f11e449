"""Parameter blocks of ``text_lattice``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator, model_validator

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.params.common import Block
from shall_we_gans.params.data_preparation import font_cannot_render
from shall_we_gans.params.gaussian_2d import EvaluationSpec, ModelSpec, reject_per_variant_keys
from shall_we_gans.params.memory import (
    check_mlp_batch,
    check_pixel_height,
    check_text_fits,
    text_summary,
)

VARIANTS = ("heisei", "reiwa_warm", "reiwa_cold")


class LatticeSpec(Block):
    """How every text is rendered (``data.text_lattice.text_lattice``); ``null`` font: IPAex."""

    font_path: str | None = None
    pixel_height: Annotated[int, Field(ge=8), AfterValidator(check_pixel_height)] = 64
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


class CurveSpec(Block):
    """The on-glyph curve over training: every ``every`` steps, ``n`` samples (latent seed
    ``seed``) are judged; ``{prefix}.steps_to_{threshold}`` is the first judged step whose
    ``on_support`` reached ``threshold`` (not logged when none did)."""

    every: int = Field(ge=1)
    n: int = Field(default=2000, ge=1, le=100_000)
    seed: int = Field(default=2, ge=0)
    threshold: float = Field(default=0.7, gt=0.0, le=1.0)


class TextLatticeBlock(Block):
    """``text_lattice``: shared rendering, models and budget; one block per variant."""

    lattice: LatticeSpec
    model: ModelSpec
    trainer: TrainerConfig
    evaluation: EvaluationSpec
    curve: CurveSpec
    heisei: TextVariant
    reiwa_warm: TextVariant
    reiwa_cold: TextVariant

    @field_validator("trainer", mode="before")
    @classmethod
    def _prefix_per_variant(cls, trainer: Any) -> Any:
        return reject_per_variant_keys(trainer, ("metric_prefix",), "text_lattice")

    @model_validator(mode="after")
    def _distinct_prefixes(self) -> TextLatticeBlock:
        prefixes = [getattr(self, name).metric_prefix for name in VARIANTS]
        if len(set(prefixes)) < len(prefixes):
            raise ValueError(
                f"text_lattice.<variant>.metric_prefix values must differ, got {prefixes}"
            )
        return self

    @model_validator(mode="after")
    def _batch_fits_memory(self) -> TextLatticeBlock:
        check_mlp_batch(
            "text_lattice.trainer.batch_size",
            self.trainer.batch_size,
            self.model.generator,
            self.model.discriminator,
            latent_dim=self.model.prior.dim,
            data_dim=2,
        )
        return self

    @model_validator(mode="after")
    def _renderable_texts(self) -> TextLatticeBlock:
        """Each variant's text in ``lattice.font_path``, checked before anything is trained."""
        font = self.lattice.font_path
        if font is not None and not Path(font).is_file():
            raise ValueError(f"text_lattice.lattice.font_path: font file {font} not found")
        problems = []
        for name in VARIANTS:
            text = getattr(self, name).text
            problem = font_cannot_render(text, self.lattice.font_path)
            if problem:
                problems.append(f"text_lattice.{name}.text = {text!r}: {problem}")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @model_validator(mode="after")
    def _texts_fit_memory(self) -> TextLatticeBlock:
        """Each variant's rendering, lattice points and support plot within the memory
        estimate and the pixel limits (``params.memory.check_text_fits``)."""
        lattice, why = self.lattice, {}
        problems = []
        for name in VARIANTS:
            text = getattr(self, name).text
            if text not in why:
                why[text] = _too_big(text, lattice)
            if why[text]:
                problems.append(
                    f"text_lattice.{name}.text {text_summary(text)} at "
                    f"text_lattice.lattice.pixel_height {lattice.pixel_height}: {why[text]}"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _too_big(text: str, lattice: LatticeSpec) -> str | None:
    """Why ``text`` cannot be rendered, learned and plotted with ``lattice``, or ``None``."""
    try:
        check_text_fits(text, lattice.font_path, lattice.pixel_height, lattice.stride, True)
    except ValueError as exc:
        return str(exc)
    return None


SCHEMAS = {"text_lattice": TextLatticeBlock}
