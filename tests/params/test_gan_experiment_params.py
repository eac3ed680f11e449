"""Bad values in the GAN experiments' blocks (gaussian_2d … text_modes) name their key path."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from shall_we_gans.params import ParameterError, validate_parameters
from tests.kedro_project import copy_project, mlflow_runs, run_pipeline
from tests.parameters import base_parameters, with_value

# (key path, bad value, words the message must contain)
BAD_PARAMETERS = [
    ("gaussian_2d.trainer.lr_g", -1e-4, ["gaussian_2d.trainer.lr_g", "greater than 0"]),
    ("gaussian_2d.trainer.loss", "minmax", ["gaussian_2d.trainer.loss", "'minimax'"]),
    ("gaussian_2d.trainer.betas", [0.5, 1.5], ["gaussian_2d.trainer.betas.1", "less than 1"]),
    ("gaussian_2d.model.prior.name", "laplace", ["gaussian_2d.model.prior.name", "'uniform'"]),
    (
        "gaussian_2d.model.generator.activation",
        "relu6",
        ["gaussian_2d.model.generator.activation", "'leaky_relu'"],
    ),
    ("gaussian_2d.data.cov", [[0.5, 1.0], [0.0, 0.5]], ["gaussian_2d.data.cov", "symmetric"]),
    ("gaussian_2d.data.n", 100, ["gaussian_2d.data.n (100)", "gaussian_2d.trainer.batch_size"]),
    ("gaussian_2d.evaluation.n", 1, ["gaussian_2d.evaluation.n", "greater than or equal to 2"]),
    (
        "text_lattice.lattice.pixel_height",
        4,
        ["text_lattice.lattice.pixel_height", "greater than or equal to 8"],
    ),
    ("text_lattice.heisei.text", "  ", ["text_lattice.heisei.text", "visible character"]),
    ("text_lattice.model.prior.dim", 0, ["text_lattice.model.prior.dim"]),
    (
        "text_lattice.trainer.metric_prefix",
        "all",
        ["text_lattice.trainer.metric_prefix", "per variant"],
    ),
    (
        "text_lattice.reiwa_cold.metric_prefix",
        "reiwa_warm",
        ["text_lattice.<variant>.metric_prefix", "must differ"],
    ),
    (
        "gradient_vanishing.pretrain.max_d_fake",
        1.5,
        ["gradient_vanishing.pretrain.max_d_fake", "less than 1"],
    ),
    ("gradient_vanishing.pretrain.check_every", 0, ["gradient_vanishing.pretrain.check_every"]),
    (
        "gradient_vanishing.trainer.loss",
        "minimax",
        ["gradient_vanishing.trainer.loss", "per variant"],
    ),
    (
        "gradient_vanishing.minimax.loss",
        "saturating",
        ["gradient_vanishing.minimax.loss", "'non_saturating'"],
    ),
    (
        "gradient_vanishing.non_saturating.metric_prefix",
        "minimax",
        ["gradient_vanishing.non_saturating.metric_prefix", "must differ"],
    ),
    ("gradient_vanishing.trainer.lr", 1e-3, ["gradient_vanishing.trainer.lr"]),
    ("missing_modes.bourgain.sigma", 0, ["missing_modes.bourgain.sigma", "greater than 0"]),
    ("missing_modes.bourgain.alpha_final", -0.1, ["missing_modes.bourgain.alpha_final"]),
    (
        "missing_modes.bourgain.alpha_final_fraction",
        1.5,
        ["missing_modes.bourgain.alpha_final_fraction", "less than or equal to 1"],
    ),
    (
        "missing_modes.bourgain.n_points",
        20000,
        ["bourgain.n_points (20000) must be <= data.grid.n"],
    ),
    ("missing_modes.seeds", [0, 0], ["missing_modes.seeds", "distinct"]),
    (
        "missing_modes.trainer_overrides.ring.lr_d",
        0,
        ["missing_modes.trainer_overrides.ring.lr_d", "greater than 0"],
    ),
    (
        "missing_modes.trainer_overrides.ring.batch_sise",
        64,
        ["missing_modes.trainer_overrides.ring.batch_sise", "Extra inputs are not permitted"],
    ),
    (
        "missing_modes.trainer_overrides.ring.batch_size",
        20000,
        ["data.ring.n (10000) must be >= trainer_overrides.ring.batch_size (20000)"],
    ),
    ("missing_modes.trainer_overrides.moons", {}, ["missing_modes.trainer_overrides.moons"]),
    (  # set per seed and variant by the nodes
        "missing_modes.trainer_overrides.ring.seed",
        3,
        ["missing_modes.trainer_overrides.ring.seed", "Extra inputs are not permitted"],
    ),
    ("missing_modes.bourgain.repetitions", 0, ["missing_modes.bourgain.repetitions"]),
    ("missing_modes.data.ring.kind", "grid", ["missing_modes.data", "ring"]),
    ("text_modes.bourgain.metric", "cosine", ["text_modes.bourgain.metric", "'euclidean'"]),
    ("text_modes.data.n", 100, ["text_modes", "data.n (100) must be >= trainer.batch_size"]),
    (
        "text_modes.prior_overrides.bourgain.batch_size",
        30000,
        ["data.n (20000) must be >= prior_overrides.bourgain.batch_size (30000)"],
    ),
    (
        "text_modes.prior_overrides.gaussian.lr_g",
        0,
        ["text_modes.prior_overrides.gaussian.lr_g", "greater than 0"],
    ),
]


@pytest.mark.parametrize(
    ("key", "value", "words"), BAD_PARAMETERS, ids=[c[0] for c in BAD_PARAMETERS]
)
def test_bad_gan_parameter_names_its_key_path(key, value, words):
    with pytest.raises(ParameterError) as err:
        validate_parameters(with_value(base_parameters(), key, value))
    for word in words:
        assert word in str(err.value)


def test_trainer_overrides_need_their_dataset_and_the_key_itself():
    params = base_parameters()
    del params["missing_modes"]["data"]["ring"]
    with pytest.raises(ParameterError, match=r"trainer_overrides\.ring: no dataset data\.ring"):
        validate_parameters(params)
    del params["missing_modes"]["trainer_overrides"]
    with pytest.raises(ParameterError, match=r"missing_modes\.trainer_overrides: Field required"):
        validate_parameters(params)


def test_text_modes_prior_overrides_replace_only_their_prior_settings():
    params = base_parameters()
    params["text_modes"]["prior_overrides"] = {"gaussian": {}, "bourgain": {"lr_g": 3.0e-4}}
    block = validate_parameters(params)["text_modes"]
    assert block.trainer_for("bourgain").lr_g == 3.0e-4
    assert block.trainer_for("gaussian") == block.trainer
    assert block.trainer_for("bourgain").lr_d == block.trainer.lr_d


def test_text_modes_override_that_breaks_the_trainer_names_the_override():
    params = base_parameters()
    params["text_modes"]["trainer"]["checkpoint_dir"] = None
    validate_parameters(params)  # valid alone
    params["text_modes"]["prior_overrides"]["bourgain"] = {"resume": True}
    with pytest.raises(ParameterError, match=r"prior_overrides\.bourgain: .*checkpoint_dir"):
        validate_parameters(params)


def test_base_gan_blocks_are_valid():
    typed = validate_parameters(base_parameters())
    assert {"gaussian_2d", "text_lattice", "gradient_vanishing"} <= set(typed)
    assert typed["gaussian_2d"].trainer.loss == "minimax"
    assert typed["gradient_vanishing"].minimax.loss == "minimax"


def test_bad_trainer_value_stops_the_session_before_any_run(tmp_path: Path, monkeypatch):
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    with pytest.raises(click.ClickException, match=r"gaussian_2d\.trainer\.lr_g"):
        run_pipeline(project, "gaussian_2d", {"gaussian_2d.trainer.lr_g": 0})
    assert not [p for p in (project / "data").rglob("*") if p.is_file()]
    assert not (project / "mlflow.db").exists() or not mlflow_runs(project)
