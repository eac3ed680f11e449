"""Rough memory estimates of sample counts and batch sizes, checked when parameters are
validated: a count that cannot fit fails before anything is trained, naming its key, instead of
running out of memory after training (and losing the generator).

The estimates are deliberately rough upper-side guesses (bytes per sample, counting the copies a
node makes: float32 samples, float64 statistics, a scatter plot's arrays; for a batch, the MLP
activations kept for the backward passes). A value is refused when its estimate exceeds
``MEMORY_FRACTION`` of this machine's physical memory.
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import AfterValidator

MEMORY_FRACTION = 0.5
# Per generated 2-D sample judged and plotted: float32 samples and their concatenated copy,
# float64 moments or nearest-point distances, matplotlib's float64 offsets and transforms.
EVALUATED_2D_SAMPLE_BYTES = 256
# Per 2-D training point: float64 draw, float32 array, its tensor on the device.
TRAINING_2D_POINT_BYTES = 64
# Per activation value of an MLP step: forward value, its gradient, R1's double backward,
# the discriminator's real and fake passes and the generator's pass (float32).
MLP_ACTIVATION_BYTES = 4 * 12


def machine_memory_bytes() -> int:
    """Physical memory of this machine (8 GiB when the system does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def _gb(n_bytes: float) -> str:
    return f"{n_bytes / 2**30:,.1f} GiB"


def check_fits_memory(count: int, bytes_each: float, what: str) -> None:
    """Raise ``ValueError`` when ``count`` items of ``bytes_each`` bytes exceed the budget."""
    need, total = count * bytes_each, machine_memory_bytes()
    if need > MEMORY_FRACTION * total:
        raise ValueError(
            f"{count:,} {what} need about {_gb(need)} of memory (a rough estimate, "
            f"{bytes_each:,.0f} bytes each), more than {MEMORY_FRACTION:.0%} of this machine's "
            f"{_gb(total)}; lower it"
        )


def within_memory(bytes_each: float, what: str) -> AfterValidator:
    """A field rule (``Annotated[int, ..., within_memory(...)]``): the count must fit."""

    def check(count: int) -> int:
        check_fits_memory(count, bytes_each, what)
        return count

    return AfterValidator(check)


def check_mlp_batch(block: str, batch_size: int, model: Any, data_dim: int) -> None:
    """``{block}.trainer.batch_size`` against the activations of the MLP pair ``model``
    (``generator`` and ``discriminator`` with ``width`` and ``depth``, ``prior.dim``)."""
    g, d = model.generator, model.discriminator
    per_sample = (
        model.prior.dim + g.width * max(g.depth, 1) + data_dim + d.width * max(d.depth, 1) + 1
    )
    try:
        check_fits_memory(
            batch_size, per_sample * MLP_ACTIVATION_BYTES, "samples per batch of this MLP pair"
        )
    except ValueError as exc:
        raise ValueError(f"{block}.trainer.batch_size: {exc}") from None
