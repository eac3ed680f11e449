"""Parameter blocks of ``gaussian_2d``, and the GAN model blocks the 2-D experiments share."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.gan.models import ACTIVATIONS
from shall_we_gans.params.common import Block, Seed
from shall_we_gans.params.memory import (
    EVALUATED_2D_SAMPLE_BYTES,
    TRAINING_2D_POINT_BYTES,
    check_mlp_batch,
    within_memory,
)

Activation = Literal[tuple(ACTIVATIONS)]  # the names gan.models knows


class PriorSpec(Block):
    """Latent prior p_z (``gan.priors.build_prior``)."""

    name: Literal["uniform", "gaussian"]
    dim: int = Field(ge=1)


class GeneratorSpec(Block):
    """``gan.models.MLPGenerator`` (its ``latent_dim`` is the prior's ``dim``)."""

    width: int = Field(ge=1)
    depth: int = Field(ge=0)
    activation: Activation = "relu"
    batch_norm: bool = False


class DiscriminatorSpec(Block):
    """``gan.models.MLPDiscriminator``."""

    width: int = Field(ge=1)
    depth: int = Field(ge=0)
    activation: Activation = "leaky_relu"
    spectral_norm: bool = False


class ModelSpec(Block):
    """Prior and MLP pair; G's weights are drawn with ``seed``, D's with ``seed + 1``."""

    seed: int = Seed
    prior: PriorSpec
    generator: GeneratorSpec
    discriminator: DiscriminatorSpec


class GaussianDataSpec(Block):
    """``n`` training samples of N(mean, cov) (``data.toy.gaussian``)."""

    mean: tuple[float, float]
    cov: tuple[tuple[float, float], tuple[float, float]]
    n: Annotated[int, Field(ge=2), within_memory(TRAINING_2D_POINT_BYTES, "training points")]
    seed: int = Seed

    @field_validator("cov")
    @classmethod
    def _symmetric_psd(cls, cov: Any) -> Any:
        matrix = np.asarray(cov, dtype=np.float64)
        if not np.allclose(matrix, matrix.T) or np.linalg.eigvalsh(matrix).min() < 0:
            raise ValueError("cov must be a symmetric positive semi-definite 2×2 matrix")
        return cov


class EvaluationSpec(Block):
    """How many generated samples are judged (and plotted), and the seed of their latent
    draws; ``n`` is checked against a rough memory estimate (``params.memory``)."""

    n: Annotated[int, Field(ge=2), within_memory(EVALUATED_2D_SAMPLE_BYTES, "judged 2-D samples")]
    seed: int = Seed


class Gaussian2dBlock(Block):
    """``gaussian_2d``: one GAN on a 2-D Gaussian, judged by its mean and covariance."""

    data: GaussianDataSpec
    model: ModelSpec
    trainer: TrainerConfig
    evaluation: EvaluationSpec

    @model_validator(mode="after")
    def _enough_data(self) -> Gaussian2dBlock:
        check_batch_fits(self.data.n, self.trainer, "gaussian_2d", self.model)
        return self


def check_batch_fits(
    n: int, trainer: TrainerConfig, block: str, model: ModelSpec | None = None
) -> None:
    """The trainer draws batches without replacement: ``{block}.data.n`` must hold one batch;
    with ``model``, the batch's activations must fit in memory (``params.memory``)."""
    if n < trainer.batch_size:
        raise ValueError(
            f"{block}.data.n ({n}) must be >= {block}.trainer.batch_size ({trainer.batch_size})"
        )
    if model is not None:
        check_mlp_batch(
            f"{block}.trainer.batch_size",
            trainer.batch_size,
            model.generator,
            model.discriminator,
            latent_dim=model.prior.dim,
            data_dim=2,
        )


def reject_per_variant_keys(trainer: Any, keys: tuple[str, ...], block: str) -> Any:
    """Raise when the shared ``{block}.trainer`` sets a key that each variant sets itself."""
    if isinstance(trainer, dict):
        for key in sorted(set(keys) & set(trainer)):
            raise ValueError(
                f"{block}.trainer.{key} is set per variant ({block}.<variant>.{key}); "
                f"remove it from {block}.trainer"
            )
    return trainer


SCHEMAS = {"gaussian_2d": Gaussian2dBlock}
