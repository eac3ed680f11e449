"""Refused when parameters are validated, by key: a text or ``pixel_height`` whose rendering,
lattice or support plot cannot fit (``params.memory.check_text_fits``), ``true``/``false``
where a number belongs, and a device this machine does not have."""

from __future__ import annotations

import pytest
import torch

from shall_we_gans.data.text_lattice import render_glyph_mask, text_extent, text_lattice
from shall_we_gans.params import ParameterError, validate_parameters
from shall_we_gans.params import memory as memory_module
from tests.parameters import base_parameters, with_value

GIB = 2**30
LONG = "平成" * 6000  # 12,000 characters: std::bad_alloc in plotting before


def refused(changes: dict) -> str:
    params = base_parameters()
    for key, value in changes.items():
        params = with_value(params, key, value)
    with pytest.raises(ParameterError) as err:
        validate_parameters(params)
    return str(err.value)


@pytest.fixture
def machine_of(monkeypatch):
    """Pretend this machine has ``gib`` GiB of memory."""

    def set_memory(gib: float) -> None:
        monkeypatch.setattr(memory_module, "machine_memory_bytes", lambda: int(gib * GIB))

    return set_memory


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("text_lattice.heisei.text", ["text_lattice.heisei.text", "support plot"]),
        ("text_modes.data.text", ["text_modes.data: text", "lattice points"]),
        ("toy_preview.text.text", ["toy_preview.text: text", "pixel_height 64"]),
    ],
)
def test_a_long_text_is_refused_by_key(machine_of, key, words):
    machine_of(16)
    message = refused({key: LONG})
    for word in [*words, "12,000 characters", "GiB of memory", "shorten the text"]:
        assert word in message
    assert LONG not in message  # the text is summarised, not printed


def test_the_estimate_grows_with_the_text_and_the_plot(machine_of):
    machine_of(32)
    validate_parameters(with_value(base_parameters(), "text_lattice.heisei.text", "平成" * 1500))
    machine_of(4)  # 3,000 characters needed 5.3 GB in a 20-step run
    message = refused({"text_lattice.heisei.text": "平成" * 1500})
    assert "3,000 characters" in message and "-pixel support plot" in message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (20_000, ["20,000 × 20,000 pixels", "DecompressionBombError"]),
        (10**7, ["10,000,000 × 10,000,000 pixels", "DecompressionBombError"]),
        (5_000, ["One character at 5,000 pixels", "GiB of memory"]),
    ],
)
@pytest.mark.parametrize("block", ["text_lattice.lattice", "text_modes.data", "toy_preview.text"])
def test_a_huge_pixel_height_is_refused_once_by_its_key(machine_of, block, value, words):
    machine_of(8)
    message = refused({f"{block}.pixel_height": value})
    assert message.count("\n  - ") == 1  # one problem, not one per text
    assert f"{block}.pixel_height: " in message and "lower pixel_height" in message
    for word in words:
        assert word in message


def test_todays_texts_validate_on_a_small_machine(machine_of):
    machine_of(2)
    validate_parameters(base_parameters())


def test_the_extent_bounds_the_rendering_without_rendering():
    width, height = text_extent("平成", None, 64)
    mask = render_glyph_mask("平成", None, 64)
    assert mask.shape[0] <= height <= mask.shape[0] + 8
    assert mask.shape[1] <= width <= mask.shape[1] + 8
    assert len(text_lattice("平成").support) <= width * height
    assert text_extent("平成" * 6000, None, 64)[0] > 6000 * 64  # long: just the layout


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("text_lattice.trainer.batch_size", True),
        ("gaussian_2d.evaluation.n", True),
        ("toy_preview.text.stride", False),
        ("gaussian_2d.trainer.lr_g", True),
        ("gaussian_2d.trainer.betas", [0.5, True]),
        ("classifier.epochs", True),
        ("classifier.conv_channels", [True, 50]),
    ],
)
def test_true_or_false_is_not_a_number(key, value):
    message = refused({key: value})
    assert f"{key}: Input should be a number, not true/false" in message


def test_numbers_keep_their_usual_forms():
    params = base_parameters()
    for key, value in [
        ("gaussian_2d.trainer.lr_g", 1),  # a YAML int for a float
        ("gaussian_2d.trainer.lr_d", 1.0e-4),
        ("text_lattice.evaluation.n", 1e4),  # an integral float for an int (--params n=1e4)
        ("text_lattice.trainer.progress", True),  # a bool for a bool
    ]:
        params = with_value(params, key, value)
    typed = validate_parameters(params)
    assert typed["text_lattice"].evaluation.n == 10_000


@pytest.mark.parametrize("key", ["gaussian_2d.trainer.device", "classifier.device"])
def test_cuda_without_cuda_is_refused_by_key(monkeypatch, key):
    def no_fork_poisoning():  # the check must not initialise CUDA (forked workers need it)
        raise AssertionError("torch.cuda.is_available called at validation")

    monkeypatch.setattr(torch.cuda, "is_available", no_fork_poisoning)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    message = refused({key: "cuda"})
    assert f"{key}: device 'cuda' was requested but CUDA is not available" in message
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    validate_parameters(with_value(base_parameters(), key, "cuda"))
    assert "has 1 CUDA device(s)" in refused({key: "cuda:1"})
