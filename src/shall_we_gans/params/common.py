"""Pieces shared by several parameter blocks (``Block``, ``Device`` and ``Seed`` come from
``shall_we_gans.typed``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from shall_we_gans.typed import Block, Device, Seed

__all__ = ["Block", "Device", "DomainSource", "Seed", "Seeds", "at_most_seeds"]

# Images each domain holds per split: sample counts are checked against these.
DOMAIN_SIZES: dict[str, dict[str, int]] = {
    "mnist": {"train": 60000, "test": 10000},
    "usps": {"train": 7291, "test": 2007},
    "mnist_packaged": {"train": 5000},
    "optdigits": {"train": 1797},
}


def _distinct_seeds(seeds: list[int]) -> list[int]:
    if len(set(seeds)) != len(seeds) or min(seeds) < 0:
        raise ValueError("seeds must be distinct non-negative integers")
    return seeds


Seeds = Annotated[list[int], Field(min_length=1), AfterValidator(_distinct_seeds)]


def at_most_seeds(slots: int) -> AfterValidator:
    """A study's seed list holds at most ``slots`` seeds: its pipeline is built with one
    training node per seed slot (``seeds[0]`` … ``seeds[slots - 1]``), before any parameter is
    read, so more seeds would silently go untrained."""

    def check(seeds: list[int]) -> list[int]:
        if len(seeds) > slots:
            raise ValueError(
                f"at most {slots} seeds (got {len(seeds)}): the pipeline has one training node "
                "per seed slot; raise the study's SEED_SLOTS for more"
            )
        return seeds

    return AfterValidator(check)


class DomainSource(Block):
    """Where a digit domain comes from (``shall_we_gans.data.digits.load_domain``)."""

    name: Literal["mnist", "usps", "mnist_packaged", "optdigits"]
    root: str | None = None
    split: Literal["train", "test"] = "train"
    download: bool = False

    @model_validator(mode="after")
    def _check(self) -> DomainSource:
        if self.split not in DOMAIN_SIZES[self.name]:
            raise ValueError(
                f"domain {self.name!r} has no {self.split!r} split "
                f"(it has {sorted(DOMAIN_SIZES[self.name])})"
            )
        if self.name in ("mnist", "usps") and self.root is None:
            raise ValueError(f"domain {self.name!r} needs a root folder (torchvision's files)")
        return self

    @property
    def size(self) -> int:
        """How many images this domain split holds."""
        return DOMAIN_SIZES[self.name][self.split]
