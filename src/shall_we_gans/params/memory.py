"""Rough memory estimates of sample counts and batch sizes, checked when parameters are
validated: a count that cannot fit fails before anything is trained, naming its key, instead of
running out of memory after training (and losing the generator).

The estimates are deliberately rough upper-side guesses (bytes per sample, counting the copies a
node makes: float32 samples, float64 statistics, a scatter plot's arrays; for a batch, the MLP
activations kept for the backward passes). A value is refused when its estimate exceeds
``MEMORY_FRACTION`` of this machine's physical memory.

A rendered text (``text_lattice``, ``text_modes``, ``toy_preview``) grows with its length and
``pixel_height``: the canvas it is drawn on, its lattice points (at most one per ``stride``-th
pixel of that canvas) and, in ``text_lattice``, a support plot as wide as the text is long. The
canvas size comes from the font's layout, without rendering (``text_extent``). Pillow refuses an
image beyond ``2 * PIL.Image.MAX_IMAGE_PIXELS`` (``DecompressionBombError``) and matplotlib a
figure 2^23 pixels wide, whatever the memory: both are checked too.
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
# Per pixel of a rendered text's canvas: Pillow's glyph bitmap, the canvas, its numpy copy, the
# boolean mask.
RENDER_PIXEL_BYTES = 4
# Per lattice point: index and coordinate arrays (int64, float64, float32), the training
# tensor, the KD-tree of the support metrics, the support plot's offsets.
LATTICE_POINT_BYTES = 256
# Per pixel of text_lattice's support plot: matplotlib's RGBA canvas and its copies when saved
# as PNG (about 9 bytes measured: 300 characters of 平成, a 134,687 × 400-pixel figure).
FIGURE_PIXEL_BYTES = 12
MATPLOTLIB_MAX_PIXELS = 2**23  # per side of a figure (Agg)


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


def check_bytes_fit(need: float, what: str, advice: str) -> None:
    """Raise ``ValueError`` when ``what`` (needing ``need`` bytes) exceeds the budget."""
    total = machine_memory_bytes()
    if need > MEMORY_FRACTION * total:
        raise ValueError(
            f"{what} need about {_gb(need)} of memory (a rough estimate), more than "
            f"{MEMORY_FRACTION:.0%} of this machine's {_gb(total)}; {advice}"
        )


def _check_pillow_limit(width: int, height: int, what: str, advice: str) -> None:
    from PIL import Image

    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and width * height > 2 * limit:
        raise ValueError(
            f"{what} on {width:,} × {height:,} pixels, more than Pillow renders "
            f"({2 * limit:,} pixels: DecompressionBombError); {advice}"
        )


def check_pixel_height(pixel_height: int) -> int:
    """``pixel_height`` must let one character (its em square) render and fit in memory."""
    advice = "lower pixel_height"
    _check_pillow_limit(pixel_height, pixel_height, "one character renders", advice)
    square = pixel_height**2
    what = f"One character at {pixel_height:,} pixels ({square:,} pixels, as many lattice points)"
    check_bytes_fit(square * (RENDER_PIXEL_BYTES + LATTICE_POINT_BYTES), what, advice)
    return pixel_height


def support_plot_pixels(width: int, height: int) -> tuple[int, int]:
    """Pixels of ``support_scatter``'s figure of a text rendered on ``width`` × ``height``."""
    from matplotlib import rcParams

    from shall_we_gans.plotting.gan_figures import support_figsize

    dpi = rcParams["savefig.dpi"]
    dpi = rcParams["figure.dpi"] if dpi == "figure" else dpi
    inches = support_figsize(width, height)
    return int(inches[0] * dpi + 1), int(inches[1] * dpi + 1)


def check_text_fits(
    text: str, font_path: str | None, pixel_height: int, stride: int, plotted: bool = False
) -> None:
    """Raise ``ValueError`` when ``text`` rendered at ``pixel_height`` (its canvas, its lattice
    points, with ``plotted`` the support plot) exceeds Pillow's, matplotlib's or the memory
    budget's limits. The canvas size comes from the font's layout; nothing is rendered."""
    from shall_we_gans.data.text_lattice import text_extent

    advice = "shorten the text or lower pixel_height"
    width, height = text_extent(text, font_path, pixel_height)
    _check_pillow_limit(width, height, "it renders", advice)
    points = -(-width // stride) * -(-height // stride)
    need = width * height * RENDER_PIXEL_BYTES + points * LATTICE_POINT_BYTES
    parts = [f"its {width:,} × {height:,}-pixel rendering", f"up to {points:,} lattice points"]
    if plotted:
        plot_w, plot_h = support_plot_pixels(width, height)
        if max(plot_w, plot_h) >= MATPLOTLIB_MAX_PIXELS:
            raise ValueError(
                f"its support plot would be {plot_w:,} pixels wide, more than matplotlib draws "
                f"(2^23); {advice}"
            )
        need += plot_w * plot_h * FIGURE_PIXEL_BYTES
        parts.append(f"a {plot_w:,} × {plot_h:,}-pixel support plot")
    check_bytes_fit(need, ", ".join(parts[:-1]) + " and " + parts[-1], advice)


def text_summary(text: str) -> str:
    """``text`` for a message: whole when short, else its start and its length."""
    if len(text) <= 24:
        return repr(text)
    return f"{text[:12]!r}… ({len(text):,} characters)"
