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
# Per activation value of a training step: forward value, its gradient, R1's double backward,
# the discriminator's real and fake passes and the generator's pass (float32).
ACTIVATION_BYTES = 4 * 12


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


def check_mlp_batch(
    key: str, batch_size: int, generator: Any, discriminator: Any, latent_dim: int, data_dim: int
) -> None:
    """``batch_size`` (named ``key``) against the activations of an MLP pair (``generator`` and
    ``discriminator`` with ``width`` and ``depth``)."""
    g, d = generator, discriminator
    values = latent_dim + g.width * max(g.depth, 1) + data_dim + d.width * max(d.depth, 1) + 1
    _check_batch(key, batch_size, values, "MLP pair")


def check_dcgan_batch(
    key: str, batch_size: int, width: int, d_width_mult: float = 1.0, channels: int = 1
) -> None:
    """``batch_size`` (named ``key``) against the activations of a 28×28 DCGAN pair
    (``gan.models``: G 2w×7×7 → w×14×14 → c×28×28; D with ``d_width_mult`` × the widths)."""
    dw = width * d_width_mult
    g_values = 2 * width * 49 * 3 + width * 196 * 3 + channels * 784 * 2
    d_values = channels * 784 + dw * 196 * 2 + 2 * dw * 49 * 2 + 1
    _check_batch(key, batch_size, g_values + d_values, "DCGAN pair")


def _check_batch(key: str, batch_size: int, values_per_sample: float, model: str) -> None:
    what = f"samples per batch of this {model}"
    try:
        check_fits_memory(batch_size, values_per_sample * ACTIVATION_BYTES, what)
    except ValueError as exc:
        raise ValueError(f"{key}: {exc}") from None
