"""Parameter blocks of ``gradient_vanishing``."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from shall_we_gans.gan.config import LossName, TrainerConfig
from shall_we_gans.params.common import Block, Seed
from shall_we_gans.params.gaussian_2d import (
    EvaluationSpec,
    GaussianDataSpec,
    ModelSpec,
    check_batch_fits,
    reject_per_variant_keys,
)
from shall_we_gans.params.memory import EVALUATED_2D_SAMPLE_BYTES, within_memory


class PretrainSpec(Block):
    """D-only phase: stop once ``max D(G(z)) < max_d_fake`` on the probe, or at ``max_steps``."""

    max_steps: int = Field(ge=0)
    check_every: int = Field(ge=1)
    max_d_fake: float = Field(gt=0.0, lt=1.0)
    probe_n: Annotated[
        int, Field(ge=1), within_memory(EVALUATED_2D_SAMPLE_BYTES, "probed 2-D samples")
    ]
    probe_seed: int = Seed


class LossVariant(Block):
    """One compared generator loss and the prefix of its MLflow metrics."""

    loss: LossName
    metric_prefix: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_]+$")


class GradientVanishingBlock(Block):
    """``gradient_vanishing``: data, models, D pretraining, the shared budget, two losses."""

    data: GaussianDataSpec
    model: ModelSpec
    pretrain: PretrainSpec
    trainer: TrainerConfig
    evaluation: EvaluationSpec
    minimax: LossVariant
    non_saturating: LossVariant

    @field_validator("trainer", mode="before")
    @classmethod
    def _loss_per_variant(cls, trainer: Any) -> Any:
        return reject_per_variant_keys(trainer, ("loss", "metric_prefix"), "gradient_vanishing")

    @model_validator(mode="after")
    def _consistent(self) -> GradientVanishingBlock:
        check_batch_fits(self.data.n, self.trainer, "gradient_vanishing", self.model)
        if self.minimax.metric_prefix == self.non_saturating.metric_prefix:
            raise ValueError(
                "gradient_vanishing.minimax.metric_prefix and "
                "gradient_vanishing.non_saturating.metric_prefix must differ"
            )
        if "pretrain" in (self.minimax.metric_prefix, self.non_saturating.metric_prefix):
            raise ValueError(
                "gradient_vanishing.<variant>.metric_prefix 'pretrain' is taken by the D-only phase"
            )
        return self


SCHEMAS = {"gradient_vanishing": GradientVanishingBlock}
