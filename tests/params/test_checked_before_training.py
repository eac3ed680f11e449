"""What used to fail only at node time is refused when parameters are validated, by key: a
text the font cannot render, sample counts and batch sizes beyond a rough memory estimate."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from shall_we_gans.params import ParameterError, validate_parameters
from shall_we_gans.params.memory import check_fits_memory, machine_memory_bytes
from tests.kedro_project import copy_project, mlflow_runs, run_pipeline
from tests.parameters import base_parameters, with_value

# (key path, bad value, words the message must contain)
UNRENDERABLE = [
    ("text_lattice.reiwa_cold.text", "🙂", ["text_lattice.reiwa_cold.text", "cannot render '🙂'"]),
    ("text_lattice.heisei.text", "平成🙂", ["text_lattice.heisei.text", "'🙂'"]),
    ("text_modes.data.text", "OMRON🙂", ["text_modes.data.text", "cannot render '🙂'"]),
    ("toy_preview.text.text", "🙂", ["toy_preview.text.text", "cannot render '🙂'"]),
    ("text_lattice.lattice.font_path", "no/such.ttf", ["text_lattice.lattice.font_path"]),
    ("text_modes.data.font_path", "no/such.ttf", ["text_modes.data.text", "not found"]),
]

TOO_BIG = [
    ("gaussian_2d.evaluation.n", 1e9, ["gaussian_2d.evaluation.n", "GiB", "lower it"]),
    ("gaussian_2d.data.n", 10**10, ["gaussian_2d.data.n", "training points"]),
    ("text_lattice.evaluation.n", 10**9, ["text_lattice.evaluation.n"]),
    ("gradient_vanishing.evaluation.n", 10**9, ["gradient_vanishing.evaluation.n"]),
    ("gradient_vanishing.pretrain.probe_n", 10**10, ["gradient_vanishing.pretrain.probe_n"]),
    ("toy_preview.n", 10**10, ["toy_preview.n"]),
    ("text_lattice.trainer.batch_size", 10**9, ["text_lattice.trainer.batch_size", "batch"]),
    ("missing_modes.evaluation.n", 10**9, ["missing_modes.evaluation.n"]),
    ("missing_modes.data.grid.n", 10**10, ["missing_modes.data.grid", "training points"]),
    ("text_modes.data.n", 10**10, ["text_modes.data.n", "training points"]),
    ("text_modes.evaluation.n", 10**9, ["text_modes.evaluation.n"]),
    ("stacked_mnist.trainer.batch_size", 10**6, ["stacked_mnist", "trainer.batch_size: "]),
    ("mnist_stability.trainer.batch_size", 10**6, ["mnist_stability.trainer.batch_size: "]),
]


def refused(key: str, value) -> str:
    with pytest.raises(ParameterError) as err:
        validate_parameters(with_value(base_parameters(), key, value))
    return str(err.value)


@pytest.mark.parametrize(("key", "value", "words"), UNRENDERABLE, ids=[c[0] for c in UNRENDERABLE])
def test_a_text_the_font_cannot_render_is_refused_by_key(key, value, words):
    message = refused(key, value)
    for word in words:
        assert word in message


@pytest.mark.parametrize(("key", "value", "words"), TOO_BIG, ids=[c[0] for c in TOO_BIG])
def test_counts_beyond_the_memory_estimate_are_refused_by_key(key, value, words):
    message = refused(key, value)
    for word in words:
        assert word in message


def test_a_big_batch_is_refused_even_when_the_data_holds_it():
    params = with_value(base_parameters(), "gaussian_2d.data.n", 50_000_000)
    params = with_value(params, "gaussian_2d.trainer.batch_size", 50_000_000)
    params = with_value(params, "gaussian_2d.model.generator.width", 4096)
    with pytest.raises(ParameterError, match=r"gaussian_2d.trainer.batch_size: .* per batch"):
        validate_parameters(params)


def test_a_per_dataset_batch_size_is_checked_under_its_own_key():
    params = with_value(base_parameters(), "missing_modes.data.ring.n", 10**8)
    params = with_value(params, "missing_modes.trainer_overrides.ring.batch_size", 10**8)
    with pytest.raises(ParameterError, match=r"trainer_overrides.ring.batch_size: 100,000,000"):
        validate_parameters(params)


def test_the_budget_is_a_share_of_this_machines_memory():
    total = machine_memory_bytes()
    assert total > 2**28
    check_fits_memory(1000, total / 4000, "things")  # a quarter: fits
    with pytest.raises(ValueError, match="1,000 things need about"):
        check_fits_memory(1000, total / 1000, "things")  # all of it: refused


def test_an_oversized_count_stops_kedro_run_before_training(tmp_path: Path, monkeypatch):
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    with pytest.raises(click.ClickException, match="gaussian_2d.evaluation.n"):
        run_pipeline(project, "gaussian_2d", {"gaussian_2d.evaluation.n": 10**9})
    assert not [p for p in (project / "data").rglob("*") if p.is_file()]
    assert not (project / "mlflow.db").exists() or not mlflow_runs(project)
