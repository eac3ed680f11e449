"""Parameter blocks of ``mnist_stability``: a naive DCGAN on MNIST and an ablation of what
stops its crash (spectral norm, hinge, TTUR, R1), each over several seeds."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from shall_we_gans.gan.config import LossName, TrainerConfig
from shall_we_gans.gan.monitoring import MonitoringSpec
from shall_we_gans.params.common import Block, Seed, Seeds
from shall_we_gans.params.gaussian_2d import reject_per_variant_keys
from shall_we_gans.params.memory import check_dcgan_batch

VARIANTS = ("naive", "sn_d", "sn_dg", "hinge", "ttur", "r1", "hinge_sn")


class StabilityModel(Block):
    """The DCGAN pair every variant trains (``gan.models``): p_z = N(0, I) in ``latent_dim``;
    G's weights drawn with ``trainer.seed``, D's with ``trainer.seed + 1``."""

    latent_dim: int = Field(ge=1)
    width: int = Field(ge=1)
    g_batch_norm: bool = False
    d_batch_norm: bool = False


class StabilityVariant(Block):
    """What one variant changes: loss, spectral norm on D and G, learning rates (null: the
    shared trainer's; ``lr_g_factor`` scales the shared ``lr_g``, 0.25 for TTUR), R1 weight,
    and the prefix of its MLflow metrics."""

    metric_prefix: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_]+$")
    loss: LossName
    spectral_norm_d: bool
    spectral_norm_g: bool
    lr_g_factor: float = Field(default=1.0, gt=0.0, allow_inf_nan=False)
    r1_gamma: float = Field(default=0.0, ge=0.0, allow_inf_nan=False)


class DigitEvaluation(Block):
    """``n`` final samples (latent seed ``seed``) judged by the classifier."""

    n: int = Field(ge=10, le=200_000)
    seed: int = Seed


class MnistStabilityBlock(Block):
    """Every variant trains the same G on each of ``seeds`` (the trainer's seed is replaced by
    each in turn)."""

    seeds: Seeds
    model: StabilityModel
    trainer: TrainerConfig
    monitoring: MonitoringSpec
    evaluation: DigitEvaluation
    naive: StabilityVariant
    sn_d: StabilityVariant
    sn_dg: StabilityVariant
    hinge: StabilityVariant
    ttur: StabilityVariant
    r1: StabilityVariant
    hinge_sn: StabilityVariant

    @field_validator("trainer", mode="before")
    @classmethod
    def _loss_per_variant(cls, trainer):
        if isinstance(trainer, dict) and "seed" in trainer:
            raise ValueError(
                f"{BLOCK}.trainer.seed: the seeds are {BLOCK}.seeds; remove it from {BLOCK}.trainer"
            )
        return reject_per_variant_keys(trainer, ("loss", "metric_prefix", "r1_gamma"), BLOCK)

    @model_validator(mode="after")
    def _consistent(self) -> MnistStabilityBlock:
        check_dcgan_batch(
            "mnist_stability.trainer.batch_size", self.trainer.batch_size, self.model.width
        )
        prefixes = [getattr(self, v).metric_prefix for v in VARIANTS]
        if len(set(prefixes)) < len(prefixes):
            raise ValueError(
                f"mnist_stability.<variant>.metric_prefix values must differ: {prefixes}"
            )
        return self


BLOCK = "mnist_stability"
SCHEMAS = {BLOCK: MnistStabilityBlock}
