"""Parameter blocks of ``missing_modes`` and ``text_modes`` (single Gaussian vs BourGAN)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

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
    """p_z = mixture of N(f(x)/β, σ²I) over the embedded points (``repetitions`` subsets per
    level, null: ⌈log₂ m⌉); G term weight ``alpha``, and
    ``alpha_final`` (null: ``alpha`` throughout) for the last ``alpha_final_fraction`` of steps."""

    n_points: int = Field(ge=2)
    seed: int = Seed
    jl: bool = True
    metric: Literal["euclidean", "l1"] = "euclidean"
    repetitions: int | None = Field(default=None, ge=1)
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

    def _check_sample_count(self, n: int, name: str, batch_size: int | None = None) -> None:
        """Batches are drawn without replacement; the embedded points come from the data."""
        batch_size = self.trainer.batch_size if batch_size is None else batch_size
        if n < batch_size:
            raise ValueError(f"{name} ({n}) must be >= the trainer's batch_size ({batch_size})")
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


DataName = Literal["grid", "ring"]


class MissingModesBlock(PriorComparison):
    """``trainer_overrides``: per dataset, trainer settings that replace ``trainer``'s for both
    priors on that dataset."""

    data: dict[DataName, Annotated[GridData | RingData, Field(discriminator="kind")]]
    trainer_overrides: dict[DataName, dict[str, Any]] = Field(default_factory=dict)

    def trainer_for(self, name: str) -> TrainerConfig:
        """The trainer settings of dataset ``name``: ``trainer`` with its overrides."""
        merged = {**asdict(self.trainer), **self.trainer_overrides.get(name, {})}
        where = f"trainer_overrides.{name}"
        try:
            return TrainerConfig.from_dict(merged)
        except ValidationError as exc:
            problems = "; ".join(
                ".".join([where, *map(str, e["loc"])]) + f": {e['msg']}" for e in exc.errors()
            )
            raise ValueError(problems) from None
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None

    @model_validator(mode="after")
    def _enough_points(self) -> MissingModesBlock:
        for name in self.trainer_overrides:
            if name not in self.data:
                raise ValueError(f"trainer_overrides.{name}: no dataset data.{name}")
        for name, spec in self.data.items():
            if spec.kind != name:
                raise ValueError(f"data.{name}.kind must be {name!r}")
            batch_size = self.trainer_for(name).batch_size
            self._check_sample_count(spec.n, f"data.{name}.n", batch_size)
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
