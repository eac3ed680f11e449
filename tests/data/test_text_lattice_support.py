"""Text lattices: glyph pixels of a rendered string as a uniform 2-D support."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from shall_we_gans.data.text_lattice import (
    DEFAULT_FONT,
    INK_THRESHOLD,
    OMRON_PIXEL_HEIGHT,
    sample_lattice,
    text_lattice,
)

LATIN_ONLY_FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def glyph_pixels(text: str, pixel_height: int, stride: int) -> set[tuple[int, int]]:
    """Re-render on a roomy canvas; ink pixels on the stride grid, relative to their minimum."""
    font = ImageFont.truetype(str(DEFAULT_FONT), pixel_height)
    canvas = Image.new("L", (pixel_height * (len(text) + 2), pixel_height * 3), 0)
    ImageDraw.Draw(canvas).text((pixel_height, pixel_height), text, font=font, fill=255)
    rows, cols = np.nonzero(np.asarray(canvas) >= INK_THRESHOLD)
    rows, cols = rows - rows.min(), cols - cols.min()
    keep = (rows % stride == 0) & (cols % stride == 0)
    rows, cols = rows[keep], cols[keep]
    return set(zip((cols - cols.min()).tolist(), (rows - rows.min()).tolist(), strict=True))


def lattice_pixels(support: np.ndarray, step: float, stride: int) -> set[tuple[int, int]]:
    cols = (support[:, 0] - support[:, 0].min()) / step * stride
    rows = (support[:, 1].max() - support[:, 1]) / step * stride  # y up → rows down
    np.testing.assert_allclose(cols, np.rint(cols), atol=1e-3)
    np.testing.assert_allclose(rows, np.rint(rows), atol=1e-3)
    return set(
        zip(np.rint(cols).astype(int).tolist(), np.rint(rows).astype(int).tolist(), strict=True)
    )


def test_default_font_ships_with_japanize_matplotlib():
    assert DEFAULT_FONT.is_file() and DEFAULT_FONT.name == "ipaexg.ttf"
    assert DEFAULT_FONT.parent.parent.name == "japanize_matplotlib"


@pytest.mark.parametrize(("text", "stride"), [("平成", 1), ("令和", 2), ("OMRON", 3)])
def test_points_are_the_glyph_pixels(text, stride):
    lattice = text_lattice(text, pixel_height=40, stride=stride)
    assert lattice.support.dtype == np.float32 and lattice.text == text
    assert len(np.unique(lattice.support, axis=0)) == len(lattice.support)
    assert lattice_pixels(lattice.support, lattice.step, stride) == glyph_pixels(text, 40, stride)


def test_normalised_into_unit_square_keeping_aspect():
    lattice = text_lattice("OMRON", pixel_height=OMRON_PIXEL_HEIGHT)
    assert 5500 <= len(lattice.support) <= 6500  # ~6,000 points, as in the text_modes study
    low, high = lattice.support.min(0), lattice.support.max(0)
    np.testing.assert_allclose([low[0], high[0]], [-1.0, 1.0], atol=1e-6)  # wide text: x spans
    np.testing.assert_allclose(low[1], -high[1], atol=1e-6)
    pixels = lattice_pixels(lattice.support, lattice.step, 1)
    width, height = max(c for c, _ in pixels), max(r for _, r in pixels)
    np.testing.assert_allclose((high[1] - low[1]) / 2, height / width, rtol=1e-5)


def test_neighbouring_points_are_one_step_apart():
    lattice = text_lattice("平成", pixel_height=32)
    d = np.linalg.norm(lattice.support[:, None] - lattice.support[None], axis=2)
    np.fill_diagonal(d, np.inf)
    np.testing.assert_allclose(d.min(), lattice.step, rtol=1e-5)


def test_sample_lattice_without_and_with_jitter():
    lattice = text_lattice("令和", pixel_height=32)
    points = sample_lattice(lattice, 1000, seed=0)
    assert points.shape == (1000, 2) and points.dtype == np.float32
    support = {tuple(p) for p in lattice.support.tolist()}
    assert all(tuple(p) in support for p in points.tolist())
    jittered = sample_lattice(lattice, 1000, seed=0, jitter=1.0)
    offsets = np.abs(jittered[:, None] - lattice.support[None]).max(axis=2).min(axis=1)
    assert offsets.max() <= lattice.step / 2 + 1e-6 and offsets.mean() > lattice.step / 10
    np.testing.assert_array_equal(points, sample_lattice(lattice, 1000, seed=0))
    assert not np.array_equal(points, sample_lattice(lattice, 1000, seed=1))


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_text(text):
    with pytest.raises(ValueError, match="text must be a non-empty string"):
        text_lattice(text)


def test_font_that_cannot_render_the_text():
    with pytest.raises(ValueError, match=r"font_path .*DejaVuSans.ttf cannot render '平成'"):
        text_lattice("平成", font_path=LATIN_ONLY_FONT)
    assert len(text_lattice("OMRON", font_path=LATIN_ONLY_FONT, pixel_height=20).support) > 0


def test_missing_or_unreadable_font(tmp_path):
    with pytest.raises(FileNotFoundError, match="no_such_font.ttf"):
        text_lattice("OMRON", font_path=tmp_path / "no_such_font.ttf")
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font at all")
    with pytest.raises(ValueError, match=r"font_path .*junk.ttf is not a readable"):
        text_lattice("OMRON", font_path=junk)


def test_bad_numbers():
    lattice = text_lattice("O", pixel_height=16)
    with pytest.raises(ValueError, match="stride must be an integer >= 1"):
        text_lattice("O", stride=0)
    with pytest.raises(ValueError, match="pixel_height must be an integer >= 1"):
        text_lattice("O", pixel_height=0)
    with pytest.raises(ValueError, match="jitter must be a finite number >= 0"):
        sample_lattice(lattice, 10, 0, jitter=-0.5)
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        sample_lattice(lattice, 0, 0)
