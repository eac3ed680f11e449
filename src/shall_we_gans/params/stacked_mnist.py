"""Parameter block ``stacked_mnist``: the data (built by ``data_preparation``) and the study
(a Gaussian p_z against the Bourgain mixture, D at 1/4, 1/2 and 1× G's widths)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.params.common import Block, Seed, Seeds, at_most_seeds
from shall_we_gans.params.gaussian_2d import reject_per_variant_keys
from shall_we_gans.params.memory import check_dcgan_batch
from shall_we_gans.params.missing_modes import BourgainSpec, GaussianPriorSpec

D_SIZES = ("d025", "d050", "d100")  # D at 1/4, 1/2 and 1x G's widths: the seed table's columns
PRIORS = ("dcgan", "bourgan")


class StackedData(Block):
    """``n`` training images: three random MNIST training digits as the RGB channels."""

    n: int = Field(ge=1, le=1_000_000)
    seed: int = Seed


class StackedBourgainSpec(BourgainSpec):
    """The Bourgain mixture of ``n_points`` stacked training images, embedded in ``space``:
    ``pixels`` (L2 between images in [-1, 1]) or ``features`` (the MNIST classifier's
    penultimate features of the three channels, concatenated); the distance term measures
    the generator's samples in the same space. ``target``: ``noncontracting`` keeps BourGAN's
    β (no pair of points closer in the map than in the data, so most pairs are asked for
    distances larger than the data's); ``data`` rescales β so that the median pair is asked
    for the data's own distance."""

    space: Literal["pixels", "features"] = "pixels"
    target: Literal["noncontracting", "data"] = "noncontracting"


class DcganPair(Block):
    """G (``gan.models.DCGANGenerator``, 3×28×28, tanh) and D (``DCGANDiscriminator``); D's
    filters are ``width`` × the variant's D size. G's weights: seed; D's: seed + 1."""

    width: int = Field(ge=1, le=1024)
    g_batch_norm: bool = True
    d_batch_norm: bool = False


class CoverageEvaluation(Block):
    """``n`` samples per seed (latent seed ``seed + seed_of_run``) counted for the table;
    every ``every`` steps ``running_n`` samples give the coverage-over-time curve."""

    n: int = Field(ge=1, le=1_000_000)
    seed: int = Seed
    every: int = Field(ge=1)
    running_n: int = Field(ge=1, le=100_000)
    min_confidence: float = Field(default=0.9, ge=0.0, le=1.0)


class RealCeiling(Block):
    """``n`` real Stacked MNIST images built from the MNIST validation digits (which the
    classifier never trained on): the counter's ceiling."""

    n: int = Field(ge=1, le=1_000_000)
    seed: int = Seed


class PaperNumbers(Block):
    """One cell of the paper's table: modes covered (of 1,000) and KL to uniform."""

    modes: float = Field(ge=0.0, le=1000.0)
    kl: float = Field(ge=0.0)


class PaperRow(Block):
    """One prior's row of the paper's table, D at 1/4, 1/2 and 1× G."""

    d025: PaperNumbers
    d050: PaperNumbers
    d100: PaperNumbers


class PaperTable(Block):
    """BourGAN's seed table (arXiv 1805.07674), shown beside the measured cells."""

    dcgan: PaperRow
    bourgan: PaperRow


class StackedVariant(Block):
    """One namespace ``stacked_mnist.<prior>.<d_size>``: D's widths as a multiple of G's, the
    prefix of its MLflow metrics, and its budget (``steps``; null: ``trainer.steps``), so a
    short default can train one column fully and check the others' wiring."""

    d_size: float = Field(gt=0.0, le=8.0, allow_inf_nan=False)
    metric_prefix: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.]+$")
    steps: int | None = Field(default=None, ge=1)


class PriorLadder(Block):
    d025: StackedVariant
    d050: StackedVariant
    d100: StackedVariant


# Training nodes per (prior, D size): slot i trains seeds[i] (conf/paper runs three seeds).
SEED_SLOTS = 3


class StackedMnistBlock(Block):
    data: StackedData
    seeds: Annotated[Seeds, at_most_seeds(SEED_SLOTS)]
    model: DcganPair
    gaussian: GaussianPriorSpec
    bourgain: StackedBourgainSpec
    trainer: TrainerConfig
    evaluation: CoverageEvaluation
    real: RealCeiling
    paper: PaperTable
    dcgan: PriorLadder
    bourgan: PriorLadder

    @field_validator("trainer", mode="before")
    @classmethod
    def _prefix_per_variant(cls, trainer):
        return reject_per_variant_keys(trainer, ("metric_prefix",), BLOCK)

    @model_validator(mode="after")
    def _consistent(self) -> StackedMnistBlock:
        problems = []
        if self.data.n < self.trainer.batch_size:
            problems.append(
                f"data.n ({self.data.n}) must be >= trainer.batch_size ({self.trainer.batch_size})"
            )
        d_size = max(getattr(getattr(self, p), d).d_size for p in PRIORS for d in D_SIZES)
        try:
            check_dcgan_batch(
                "trainer.batch_size", self.trainer.batch_size, self.model.width, d_size, 3
            )
        except ValueError as exc:
            problems.append(str(exc))
        if self.bourgain.n_points > self.data.n:
            problems.append(
                f"bourgain.n_points ({self.bourgain.n_points}) must be <= data.n ({self.data.n}):"
                " the embedded points are training images"
            )
        prefixes = [getattr(getattr(self, p), d).metric_prefix for p in PRIORS for d in D_SIZES]
        if len(set(prefixes)) < len(prefixes):
            problems.append(f"<prior>.<d_size>.metric_prefix values must differ, got {prefixes}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


BLOCK = "stacked_mnist"
SCHEMAS = {BLOCK: StackedMnistBlock}
