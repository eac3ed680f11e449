"""Every parameter block is validated before a run: bad values name their key path."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from shall_we_gans.params import SCHEMAS, ParameterError, validate_parameters
from tests.kedro_project import PROJECT_ROOT, copy_project, mlflow_runs, run_pipeline
from tests.parameters import base_parameters, with_value

# (key path, bad value, words the message must contain)
BAD_PARAMETERS = [
    ("mnist.source.name", "mnistt", ["mnist.source.name", "mnist_packaged", "optdigits"]),
    ("mnist.source.split", "valid", ["mnist.source.split", "'train'"]),
    ("mnist.source.root", None, ["mnist.source", "root"]),  # torchvision MNIST needs a root
    ("mnist.val_fraction", 1.5, ["mnist.val_fraction", "less than 1"]),
    ("mnist.image_size", 2, ["mnist.image_size", "greater than or equal to 8"]),
    ("mnist.seed", -1, ["mnist.seed"]),
    ("optdigits.source.split", "test", ["optdigits.source", "no 'test' split"]),
    ("stacked_mnist.data.n", 0, ["stacked_mnist.data.n"]),
    ("stacked_mnist.data.size", 3, ["stacked_mnist.data.size", "Extra inputs"]),
    ("toy_preview.grid.std", -0.1, ["toy_preview.grid.std", "greater than 0"]),
    ("toy_preview.ring.n_modes", 0, ["toy_preview.ring.n_modes"]),
    ("toy_preview.text.text", "  ", ["toy_preview.text", "visible character"]),
]


@pytest.mark.parametrize(
    ("key", "value", "words"), BAD_PARAMETERS, ids=[c[0] for c in BAD_PARAMETERS]
)
def test_bad_parameter_names_its_key_path(key, value, words):
    params = base_parameters()
    if key == "mnist.source.root":
        params = with_value(params, "mnist.source.name", "mnist")
    with pytest.raises(ParameterError) as err:
        validate_parameters(with_value(params, key, value))
    for word in words:
        assert word in str(err.value)


def env_parameters(env: str) -> dict:
    """Parameters as ``kedro run --env ENV`` sees them (the project's soft merge over base)."""
    from kedro.config import OmegaConfigLoader

    from shall_we_gans.settings import CONFIG_LOADER_ARGS

    loader = OmegaConfigLoader(str(PROJECT_ROOT / "conf"), env=env, **CONFIG_LOADER_ARGS)
    return loader["parameters"]


@pytest.mark.parametrize("env", ["paper", "usps_to_mnist", "cpu"])
def test_base_and_other_env_parameters_are_valid(env):
    assert set(validate_parameters(base_parameters())) <= set(SCHEMAS)
    merged = env_parameters(env)
    validate_parameters(merged)
    assert set(merged) == set(base_parameters())  # an env file never drops a block


def test_env_overrides_one_key_and_keeps_the_rest_of_its_block():
    paper = env_parameters("paper")["missing_modes"]
    base = base_parameters()["missing_modes"]
    assert paper["trainer"]["steps"] == 5000 and paper["bourgain"]["repetitions"] is None
    assert paper["trainer"]["lr_g"] == base["trainer"]["lr_g"]  # not in conf/paper: kept
    assert paper["data"] == base["data"]


def test_every_block_of_base_has_a_schema():
    assert set(base_parameters()) <= set(SCHEMAS)


def test_bad_parameter_stops_the_session_before_any_run(tmp_path: Path, monkeypatch):
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    with pytest.raises(click.ClickException, match="mnist.val_fraction"):
        run_pipeline(project, "data_preparation", {"mnist.val_fraction": 3})
    assert not [p for p in (project / "data").rglob("*") if p.is_file()]
    assert not (project / "mlflow.db").exists() or not mlflow_runs(project)


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("gaussian_2d.trainer.lr_g", float("inf"), ["gaussian_2d.trainer.lr_g", "finite"]),
        ("missing_modes.trainer.r1_gamma", float("nan"), ["missing_modes.trainer.r1_gamma"]),
        ("missing_modes.bourgain.sigma", float("inf"), ["missing_modes.bourgain.sigma", "finite"]),
        (
            "gaussian_2d.trainer.steps",
            0,
            ["gaussian_2d.trainer.steps", "greater than or equal to 1"],
        ),
        ("text_modes.trainer.steps", 0, ["text_modes.trainer.steps"]),
    ],
)
def test_non_finite_numbers_and_empty_budgets_are_refused(key, value, words):
    with pytest.raises(ParameterError) as err:
        validate_parameters(with_value(base_parameters(), key, value))
    for word in words:
        assert word in str(err.value)


def test_a_misspelled_block_names_the_known_ones():
    params = {**base_parameters(), "gausian_2d": {"trainer": {"steps": 50}}}
    with pytest.raises(ParameterError) as err:
        validate_parameters(params)
    assert "gausian_2d: no pipeline reads this parameter block" in str(err.value)
    assert "gaussian_2d" in str(err.value).split("known blocks:")[1]
