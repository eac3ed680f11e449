"""Uniform distributions over the lattice points of a rendered string (no formula needed).

The string is rendered with Pillow in greyscale (antialiased) at ``pixel_height`` pixels per em;
a pixel is part of a glyph when its ink is ≥ 128 of 255. Every ``stride``-th row and column of
glyph pixels (counted from the top-left of the ink's bounding box) is a lattice point. With the
default IPAex Gothic font, "OMRON" has 5,954 points at ``OMRON_PIXEL_HEIGHT`` = 81 (3,732 at
the default 64); 平成 and 令和 have about 2,000 each at 64.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from shall_we_gans.data._checks import positive_int, seed_int

INK_THRESHOLD = 128
OMRON_PIXEL_HEIGHT = 81  # "OMRON" in IPAex Gothic: 5,954 lattice points (Pillow 13)


def _packaged_font() -> Path:
    """IPAex Gothic inside the installed japanize-matplotlib (found without importing it)."""
    spec = importlib.util.find_spec("japanize_matplotlib")
    if spec is None or spec.origin is None:
        return Path("japanize_matplotlib/fonts/ipaexg.ttf")  # not installed: fails when used
    return Path(spec.origin).parent / "fonts" / "ipaexg.ttf"


DEFAULT_FONT: Path = _packaged_font()


@dataclass(frozen=True, eq=False)  # arrays: compare by identity, not elementwise
class TextLattice:
    """Lattice points (float32 M×2, x right, y up) of a text, scaled so it fits in [-1, 1]².

    The longer side of the points' bounding box spans exactly [-1, 1], the other is centred;
    ``step`` is the distance between neighbouring points in those units.
    """

    support: np.ndarray
    step: float
    text: str


def text_lattice(
    text: str, font_path: str | Path | None = None, pixel_height: int = 64, stride: int = 1
) -> TextLattice:
    """Render ``text`` and return the lattice points of its glyph pixels as the support."""
    mask = render_glyph_mask(text, font_path, pixel_height)
    stride = positive_int("stride", stride)
    rows, cols = np.nonzero(mask[::stride, ::stride])
    rows, cols = rows * stride, cols * stride
    centre_x, centre_y = (cols.min() + cols.max()) / 2, (rows.min() + rows.max()) / 2
    half = max(cols.max() - cols.min(), rows.max() - rows.min()) / 2 or stride
    support = np.stack([(cols - centre_x) / half, (centre_y - rows) / half], axis=1)
    return TextLattice(support=support.astype(np.float32), step=stride / half, text=text)


def sample_lattice(lattice: TextLattice, n: int, seed: int, jitter: float = 0.0) -> np.ndarray:
    """``n`` points (float32 n×2) drawn uniformly from the support, plus uniform jitter.

    ``jitter`` is in units of ``step``: each coordinate moves by U(−jitter·step/2, +jitter·step/2),
    so ``jitter=1`` fills the lattice cells without gaps.
    """
    n = positive_int("n", n)
    if isinstance(jitter, bool) or not isinstance(jitter, (int, float)) or not 0 <= jitter < 1e9:
        raise ValueError(f"jitter must be a finite number >= 0, got {jitter!r}")
    rng = np.random.default_rng(seed_int(seed))
    points = lattice.support[rng.integers(0, len(lattice.support), size=n)].astype(np.float64)
    if jitter > 0:
        half_width = jitter * lattice.step / 2
        points += rng.uniform(-half_width, half_width, size=(n, 2))
    return points.astype(np.float32)


def render_glyph_mask(
    text: str, font_path: str | Path | None = None, pixel_height: int = 64
) -> np.ndarray:
    """Boolean mask (rows top-down) of the glyph pixels of ``text``, cropped to its ink."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"text must be a non-empty string with a visible character, got {text!r}")
    font, (left, top, right, bottom) = _layout(text, font_path, pixel_height)
    canvas = Image.new("L", (right - left + 2, bottom - top + 2), 0)
    ImageDraw.Draw(canvas).text((1 - left, 1 - top), text, font=font, fill=255)
    mask = np.asarray(canvas) >= INK_THRESHOLD
    rows, cols = np.nonzero(mask)
    if len(rows) == 0:
        raise ValueError(f"text {text!r} leaves no ink at pixel_height={pixel_height}; raise it")
    return mask[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]


def text_extent(
    text: str, font_path: str | Path | None = None, pixel_height: int = 64
) -> tuple[int, int]:
    """Width and height in pixels of the canvas ``render_glyph_mask`` draws ``text`` on, from
    the font's layout alone (nothing is rasterised: cheap for any length)."""
    _, (left, top, right, bottom) = _layout(text, font_path, pixel_height)
    return right - left + 2, bottom - top + 2


def _layout(
    text: str, font_path: str | Path | None, pixel_height: int
) -> tuple[ImageFont.FreeTypeFont, tuple[int, int, int, int]]:
    """The font at ``pixel_height`` and the bounding box of ``text`` set in it."""
    pixel_height = positive_int("pixel_height", pixel_height)
    path = check_font_covers(text, DEFAULT_FONT if font_path is None else font_path)
    try:
        font = ImageFont.truetype(str(path), pixel_height)
    except OSError as exc:  # FreeType: "invalid pixel size"
        raise ValueError(f"pixel_height {pixel_height:,}: the font cannot be set ({exc})") from exc
    box = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font)
    return font, tuple(int(v) for v in box)


def check_font_covers(text: str, font_path: str | Path) -> Path:
    """Return ``font_path`` as a Path if its cmap holds every non-space character of ``text``."""
    from fontTools.ttLib import TTFont, TTLibError

    path = Path(font_path)
    if not path.is_file():
        hint = " (install japanize-matplotlib)" if path == DEFAULT_FONT else ""
        raise FileNotFoundError(f"font file {path} not found{hint}")
    try:
        with TTFont(str(path), lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except (TTLibError, OSError, ValueError) as err:
        raise ValueError(
            f"font_path {path} is not a readable TrueType/OpenType font: {err}"
        ) from err
    missing = sorted({ch for ch in text if not ch.isspace() and ord(ch) not in cmap})
    if missing:
        advice = (
            "set font_path to a font that has them"
            if path == DEFAULT_FONT
            else f"use a font that covers them, e.g. the default {DEFAULT_FONT.name}"
        )
        raise ValueError(
            f"font_path {path} cannot render {''.join(missing)!r}: not in its character map; "
            + advice
        )
    return path
