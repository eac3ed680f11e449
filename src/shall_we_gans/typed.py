"""The base of every typed settings object (parameter blocks, monitoring, classifier and
adaptation settings): unknown keys are errors (a typo never passes silently), and so are
infinite or NaN numbers. Imports nothing of the project but ``runtime``, so the science
modules and ``params`` can both build on it."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from shall_we_gans.runtime import check_device_name

Device = Annotated[str, AfterValidator(check_device_name)]  # auto, cpu, cuda, cuda:N, mps
Seed = Field(ge=0, description="seed of every random draw of this block")


class Block(BaseModel):
    """A typed settings block: frozen, unknown keys and non-finite numbers refused."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
