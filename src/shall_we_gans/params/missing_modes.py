"""Parameter blocks of ``missing_modes`` and ``text_modes`` (single Gaussian vs BourGAN)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.params.common import Block, Seed
from shall_we_gans.params.data_preparation import TextSpec
from shall_we_gans.params.gaussian_2d import DiscriminatorSpec, GeneratorSpec

ALPHA_FINAL_FRACTION = 0.25  # default share of the steps trained with ``bourgain.alpha_final``


class GridData(Block):
    kind: Literal["grid"]
    k: int = Field(ge=1)
    spacing: float = Field(gt=0.0)
    std: float = Field(gt=0.0)
    n: int = Field(ge=2)
    seed: int = Seed


class RingData(Block):
    kind: Literal["ring"]
    n_modes: int = Field(ge=1)
    radius: float = Field(gt=0.0)
    std: float = Field(gt=0.0)
    n: int = Field(ge=2)
    seed: int = Seed


class GaussianPriorSpec(Block):
    dim: int = Field(ge=1)


class BourgainSpec(Block):
    """p_z = mixture of N(f(x)/β, σ²I) over the embedded points; G term weight ``alpha``, and
    ``alpha_final`` (null: ``alpha`` throughout) for the last ``alpha_final_fraction`` of steps."""

    n_points: int = Field(ge=2)
    seed: int = Seed
    jl: bool = True
    metric: Literal["euclidean", "l1"] = "euclidean"
    sigma: float = Field(gt=0.0)
    alpha: float = Field(ge=0.0)
    alpha_final: float | None = Field(default=None, ge=0.0)
    alpha_final_fraction: float = Field(default=ALPHA_FINAL_FRACTION, ge=0.0, le=1.0)


class MlpPair(Block):
    generator: GeneratorSpec
    discriminator: DiscriminatorSpec


class ModesEvaluation(Block):
    n: int = Field(ge=1)
    seed: int = Seed
    n_sigma: float = Field(default=3.0, gt=0.0)


class PriorComparison(Block):
    """What both experiments share: seeds, the two priors, networks, trainer, evaluation."""

    seeds: list[int] = Field(min_length=1)
    gaussian: GaussianPriorSpec
    bourgain: BourgainSpec
    model: MlpPair
    trainer: TrainerConfig
    evaluation: ModesEvaluation

    def _check_sample_count(self, n: int, name: str) -> None:
        """Batches are drawn without replacement; the embedded points come from the data."""
        if n < self.trainer.batch_size:
            raise ValueError(
                f"{name} ({n}) must be >= trainer.batch_size ({self.trainer.batch_size})"
            )
        if self.bourgain.n_points > n:
            raise ValueError(
                f"bourgain.n_points ({self.bourgain.n_points}) must be <= {name} ({n}): "
                "the embedded points are drawn from the data"
            )

    @field_validator("seeds")
    @classmethod
    def _distinct_non_negative(cls, seeds: list[int]) -> list[int]:
        if len(set(seeds)) != len(seeds) or min(seeds) < 0:
            raise ValueError("seeds must be distinct non-negative integers")
        return seeds


class MissingModesBlock(PriorComparison):
    data: dict[Literal["grid", "ring"], Annotated[GridData | RingData, Field(discriminator="kind")]]

    @model_validator(mode="after")
    def _enough_points(self) -> MissingModesBlock:
        for name, spec in self.data.items():
            if spec.kind != name:
                raise ValueError(f"data.{name}.kind must be {name!r}")
            self._check_sample_count(spec.n, f"data.{name}.n")
        return self


class TextData(TextSpec):
    n: int = Field(ge=2)
    seed: int = Seed
    jitter: float = Field(default=0.0, ge=0.0, le=1.0)


class TextModesBlock(PriorComparison):
    data: TextData

    @model_validator(mode="after")
    def _enough_points(self) -> TextModesBlock:
        self._check_sample_count(self.data.n, "data.n")
        return self


SCHEMAS = {"missing_modes": MissingModesBlock, "text_modes": TextModesBlock}
