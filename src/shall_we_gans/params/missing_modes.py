"""Parameter blocks of ``missing_modes`` and ``text_modes`` (single Gaussian vs BourGAN)."""

from __future__ import annotations

import dataclasses
from typing import Annotated, ClassVar, Literal

from pydantic import (
    BaseModel,
    Field,
    ValidationError,
    create_model,
    model_validator,
)

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.params.common import Block, Seed, Seeds, at_most_seeds
from shall_we_gans.params.data_preparation import TextSpec
from shall_we_gans.params.gaussian_2d import DiscriminatorSpec, GeneratorSpec
from shall_we_gans.params.memory import (
    EVALUATED_2D_SAMPLE_BYTES,
    TRAINING_2D_POINT_BYTES,
    check_mlp_batch,
    within_memory,
)

TrainingPoints = Annotated[
    int, Field(ge=2), within_memory(TRAINING_2D_POINT_BYTES, "training points")
]


class GridData(Block):
    kind: Literal["grid"]
    k: int = Field(ge=1)
    spacing: float = Field(gt=0.0)
    std: float = Field(gt=0.0)
    n: TrainingPoints
    seed: int = Seed


class RingData(Block):
    kind: Literal["ring"]
    n_modes: int = Field(ge=1)
    radius: float = Field(gt=0.0)
    std: float = Field(gt=0.0)
    n: TrainingPoints
    seed: int = Seed


class GaussianPriorSpec(Block):
    dim: int = Field(ge=1)


BOURGAIN_VARIANTS = {  # the variant's jl and subsets per level (None: ⌈log₂ m⌉)
    "paper": (True, None),  # Algorithm 1 of the paper: t = O(log m), JL projection
    "official": (False, 5),  # the official code: t = 5 subsets per level, no projection
}


class BourgainSpec(Block):
    """p_z = uniform mixture of Gaussians over the embedded points. ``sigma`` is in units of
    the map's spread (its RMS per coordinate, before the β rescale), so it means the same for
    any number of subsets per level: ``official`` centres and scales the map to unit RMS, as
    the official code does before adding its noise, and adds N(0, σ²I); ``paper`` keeps the
    map as it is and adds N(0, (σ·rms)²I) (the same noise relative to the map; only the
    generator's input is shifted and scaled). G term weight ``alpha``, and ``alpha_final``
    (null: ``alpha`` throughout) for the last ``alpha_final_fraction`` of steps.

    ``variant``: ``paper`` (Algorithm 1: JL projection, ``repetitions`` subsets per level,
    null: ⌈log₂ m⌉) or ``official`` (the official code exactly: no JL, 5 subsets per level;
    ``jl`` and ``repetitions`` are then fixed and may only be left null or set to those).
    ``jl`` null: the variant's. ``centre``: centre the map and scale it to unit RMS (the
    official code's latent) in either variant. ``sigma_unit``: ``rms`` (above) or
    ``nearest``: a draw lands ``sigma`` × the centres' median nearest-neighbour distance from
    its centre (``gan.priors.GaussianMixturePrior.from_embedding``)."""

    n_points: int = Field(ge=2)
    seed: int = Seed
    variant: Literal["paper", "official"] = "paper"
    jl: bool | None = None
    metric: Literal["euclidean", "l1"] = "euclidean"
    repetitions: int | None = Field(default=None, ge=1)
    sigma: float = Field(gt=0.0)
    alpha: float = Field(ge=0.0)
    alpha_final: float | None = Field(default=None, ge=0.0)
    alpha_final_fraction: float = Field(default=0.25, ge=0.0, le=1.0)
    centre: bool = False
    sigma_unit: Literal["rms", "nearest"] = "rms"

    @model_validator(mode="after")
    def _official_is_fixed(self) -> BourgainSpec:
        if self.variant == "official":
            jl, repetitions = BOURGAIN_VARIANTS["official"]
            if self.jl not in (None, jl) or self.repetitions not in (None, repetitions):
                raise ValueError(
                    f"variant official fixes jl: false and repetitions: {repetitions} "
                    f"(got jl: {self.jl}, repetitions: {self.repetitions}); leave them null"
                )
        return self

    @property
    def embedding_options(self) -> dict:
        """``jl`` and ``repetitions`` for ``embedding.embed``, the variant's where null."""
        jl, repetitions = BOURGAIN_VARIANTS[self.variant]
        return {
            "jl": jl if self.jl is None else self.jl,
            "repetitions": repetitions if self.repetitions is None else self.repetitions,
        }


class Variant(Block):
    """One compared run's own block (its Kedro namespace): the prefix of its MLflow metrics."""

    metric_prefix: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.]+$")


class PriorVariants(Block):
    """The two priors compared on one dataset, each a namespace ``<study>.<dataset>.<prior>``."""

    gaussian: Variant
    bourgain: Variant

    @model_validator(mode="after")
    def _distinct(self) -> PriorVariants:
        if self.gaussian.metric_prefix == self.bourgain.metric_prefix:
            raise ValueError("gaussian.metric_prefix and bourgain.metric_prefix must differ")
        return self


class MlpPair(Block):
    generator: GeneratorSpec
    discriminator: DiscriminatorSpec


class ModesEvaluation(Block):
    n: Annotated[int, Field(ge=1), within_memory(EVALUATED_2D_SAMPLE_BYTES, "judged 2-D samples")]
    seed: int = Seed
    n_sigma: float = Field(default=3.0, gt=0.0)


# Training nodes per (dataset, prior) of missing_modes and per prior of text_modes: slot i
# trains seeds[i] (conf/paper runs five seeds); an unused slot returns at once.
SEED_SLOTS = 5


class PriorComparison(Block):
    """What both experiments share: seeds, the two priors, networks, trainer, evaluation.

    ``seeds``: the evaluation seeds, trained and reported; ``tuning_seeds``: the seeds the
    settings were chosen on (``benchmarks/tune_missing_modes.py``), never evaluated: the two
    lists must not meet, so the numbers reported are on seeds nobody tuned on."""

    seeds: Annotated[Seeds, at_most_seeds(SEED_SLOTS)]
    tuning_seeds: Seeds
    gaussian: GaussianPriorSpec
    bourgain: BourgainSpec
    model: MlpPair
    trainer: TrainerConfig
    evaluation: ModesEvaluation

    def _check_sample_count(
        self, n: int, name: str, batch_size: int | None = None, trainer: str = "trainer"
    ) -> None:
        """Batches are drawn without replacement; the embedded points come from the data.
        ``trainer``: the key holding ``batch_size`` (for the message)."""
        batch_size = self.trainer.batch_size if batch_size is None else batch_size
        if n < batch_size:
            raise ValueError(f"{name} ({n}) must be >= {trainer}.batch_size ({batch_size})")
        check_mlp_batch(
            f"{trainer}.batch_size",
            batch_size,
            self.model.generator,
            self.model.discriminator,
            latent_dim=self.gaussian.dim,
            data_dim=2,
        )
        if self.bourgain.n_points > n:
            raise ValueError(
                f"bourgain.n_points ({self.bourgain.n_points}) must be <= {name} ({n}): "
                "the embedded points are drawn from the data"
            )

    @model_validator(mode="after")
    def _held_out_seeds(self) -> PriorComparison:
        tuned = sorted(set(self.seeds) & set(self.tuning_seeds))
        if tuned:
            raise ValueError(
                f"seeds {tuned} are also tuning_seeds: evaluate on seeds nobody tuned on"
            )
        return self


DataName = Literal["grid", "grid_pacgan", "ring"]
DATA_KINDS = {"grid": "grid", "grid_pacgan": "grid", "ring": "ring"}  # each dataset's `kind`
PER_SEED = ("seed", "metric_prefix")  # set by the nodes for each seed and variant


def _optional_fields(config: type, skip: tuple[str, ...], model_name: str) -> type[BaseModel]:
    """A model of ``config``'s fields, each optional and checked as in ``config``."""
    fields = {}
    for name, info in config.__pydantic_fields__.items():
        if name in skip:
            continue
        kind = info.annotation
        if info.metadata:  # keep the field's constraints (gt, ge, ...)
            kind = Annotated[(kind, *info.metadata)]
        fields[name] = (kind | None, None)
    # named as the module-level name it is bound to, so its objects pickle (ParallelRunner)
    return create_model(model_name, __config__=Block.model_config, __module__=__name__, **fields)


TrainerOverride = _optional_fields(TrainerConfig, skip=PER_SEED, model_name="TrainerOverride")


def with_override(trainer: TrainerConfig, override: BaseModel | None) -> TrainerConfig:
    """``trainer`` with the settings ``override`` sets (a ``TrainerOverride``; None: none)."""
    changes = {} if override is None else override.model_dump(exclude_unset=True)
    return dataclasses.replace(trainer, **changes)


def merged_trainer(
    trainer: TrainerConfig,
    prior: TrainerOverride | None,
    dataset: TrainerOverride | None = None,
) -> TrainerConfig:
    """The rule for a prior (on a dataset): ``trainer``, then the settings tuned for the prior,
    then those of the dataset, which win (a dataset's budget and batch are the same for both
    priors). The ``trainer`` nodes of ``missing_modes`` and ``text_modes`` use it."""
    return with_override(with_override(trainer, prior), dataset)


# (key, override) pairs, applied in turn: the later wins
Overrides = list[tuple[str, BaseModel | None]]


def checked_trainer(trainer: TrainerConfig, overrides: Overrides) -> TrainerConfig:
    """``trainer`` with ``overrides`` applied as ``merged_trainer`` does; settings that do not
    make a valid trainer are one ValueError naming the overrides' keys."""
    try:
        return merged_trainer(trainer, *(override for _, override in overrides))
    except ValidationError as exc:
        reasons = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        raise ValueError(f"{' / '.join(key for key, _ in overrides)}: {reasons}") from None


def batch_key(overrides: Overrides) -> str:
    """The key whose ``batch_size`` the merged trainer has: the last override that sets it,
    else ``trainer``."""
    setting = (
        k for k, o in reversed(overrides) if o is not None and "batch_size" in o.model_fields_set
    )
    return next(setting, "trainer")


class PriorOverrides(Block):
    """Per prior, the trainer settings tuned for it (``{}``: none)."""

    gaussian: TrainerOverride
    bourgain: TrainerOverride


class MissingModesBlock(PriorComparison):
    """``trainer_overrides``: per dataset, trainer settings that replace ``trainer``'s for both
    priors on that dataset (``{}``: none); ``prior_overrides``: per prior, the settings tuned
    for it (``{}``: none). A dataset's override wins over a prior's (budget and batch of a
    dataset are set for both priors alike)."""

    data: dict[DataName, Annotated[GridData | RingData, Field(discriminator="kind")]]
    trainer_overrides: dict[DataName, TrainerOverride]
    prior_overrides: PriorOverrides
    grid: PriorVariants
    grid_pacgan: PriorVariants
    ring: PriorVariants

    def trainer_for(self, name: str, prior: str | None = None) -> TrainerConfig:
        """The trainer settings of dataset ``name`` (and ``prior``): ``trainer``, then the
        prior's overrides, then the dataset's."""
        return checked_trainer(self.trainer, self._overrides(name, prior))

    def _overrides(self, name: str, prior: str | None) -> Overrides:
        own = getattr(self.prior_overrides, prior) if prior else None
        return [
            (f"prior_overrides.{prior}", own),
            (f"trainer_overrides.{name}", self.trainer_overrides.get(name)),
        ]

    @model_validator(mode="after")
    def _enough_points(self) -> MissingModesBlock:
        problems = [
            f"trainer_overrides.{name}: no dataset data.{name}"
            for name in self.trainer_overrides
            if name not in self.data
        ]
        problems += [
            f"trainer_overrides.{name}: required for dataset data.{name} ({{}}: no override)"
            for name in self.data
            if name not in self.trainer_overrides
        ]
        prefixes = [
            v.metric_prefix
            for d in (self.grid, self.grid_pacgan, self.ring)
            for v in (d.gaussian, d.bourgain)
        ]
        if len(set(prefixes)) < len(prefixes):
            problems.append(f"<dataset>.<prior>.metric_prefix values must differ, got {prefixes}")
        for name, spec in self.data.items():
            if spec.kind != DATA_KINDS[name]:
                problems.append(f"data.{name}.kind must be {DATA_KINDS[name]!r}")
                continue
            for prior in ("gaussian", "bourgain"):
                overrides = self._overrides(name, prior)
                try:
                    batch_size = checked_trainer(self.trainer, overrides).batch_size
                    key = batch_key(overrides)
                    self._check_sample_count(spec.n, f"data.{name}.n", batch_size, key)
                except ValueError as exc:
                    if str(exc) not in problems:
                        problems.append(str(exc))
        if problems:
            raise ValueError("; ".join(problems))
        return self


class TextData(TextSpec):
    plotted: ClassVar[bool] = True  # ``text_modes`` draws its samples over the support

    n: TrainingPoints
    seed: int = Seed
    jitter: float = Field(default=0.0, ge=0.0, le=1.0)


class TextModesBlock(PriorComparison):
    """``prior_overrides``: per prior, the trainer settings tuned for it (``{}``: none)."""

    data: TextData
    text: PriorVariants
    prior_overrides: PriorOverrides

    def trainer_for(self, prior: str) -> TrainerConfig:
        """The trainer settings of ``prior``: ``trainer``, then the prior's overrides."""
        return checked_trainer(self.trainer, self._overrides(prior))

    def _overrides(self, prior: str) -> Overrides:
        return [(f"prior_overrides.{prior}", getattr(self.prior_overrides, prior))]

    @model_validator(mode="after")
    def _enough_points(self) -> TextModesBlock:
        for prior in ("gaussian", "bourgain"):
            batch_size = self.trainer_for(prior).batch_size
            key = batch_key(self._overrides(prior))
            self._check_sample_count(self.data.n, "data.n", batch_size, key)
        return self


SCHEMAS = {"missing_modes": MissingModesBlock, "text_modes": TextModesBlock}
