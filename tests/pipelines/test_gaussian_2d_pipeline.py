"""``kedro run --pipelines gaussian_2d`` end to end on a tiny budget."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from mlflow import MlflowClient

from shall_we_gans.gan import TrainerConfig
from shall_we_gans.params.gaussian_2d import GaussianDataSpec
from shall_we_gans.pipelines import gan_nodes
from shall_we_gans.pipelines.gaussian_2d import nodes
from tests.kedro_project import load_dataset, mlflow_runs


@pytest.fixture(scope="module")
def project(tiny_run) -> Path:
    return tiny_run("gaussian_2d")[0]


def test_run_logs_the_moment_errors_and_training_history(project):
    (run,) = mlflow_runs(project)
    assert run.info.run_name == "gaussian_2d" and run.info.status == "FINISHED"
    metrics = run.data.metrics
    for name in ("mean_error", "cov_error"):
        assert math.isfinite(metrics[name]) and metrics[name] >= 0
    history = MlflowClient(f"sqlite:///{project / 'mlflow.db'}").get_metric_history(
        run.info.run_id, "train.g_grad_norm"
    )
    assert sorted(m.step for m in history) == [0, 5, 10, 15]
    assert all(math.isfinite(m.value) and m.value > 0 for m in history)
    assert run.data.params["gaussian_2d.trainer.loss"] == "minimax"
    assert run.data.params["gaussian_2d.trainer.steps"] == "20"


def test_run_saves_generator_history_and_scatter(project, monkeypatch):
    monkeypatch.chdir(project)
    generator = load_dataset(project, "gaussian_2d_generator")
    assert isinstance(generator, torch.nn.Module) and not generator.training
    assert generator(torch.rand(4, 256)).shape == (4, 2)
    history = load_dataset(project, "gaussian_2d_history")
    assert isinstance(history, pd.DataFrame)
    assert history["step"].tolist() == [0, 5, 10, 15]
    assert (project / "data/08_reporting/gaussian_2d_scatter.png").stat().st_size > 0


def spec(**moments) -> GaussianDataSpec:
    return GaussianDataSpec(n=10, seed=0, **moments)


def test_evaluate_gaussian_matches_hand_computed_errors():
    corners = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]])  # mean (1, 1), cov 4/3·I
    exact = nodes.evaluate_gaussian(corners, spec(mean=(1.0, 1.0), cov=((4 / 3, 0), (0, 4 / 3))))
    assert exact["mean_error"]["value"] == pytest.approx(0.0, abs=1e-12)
    assert exact["cov_error"]["value"] == pytest.approx(0.0, abs=1e-12)
    off = nodes.evaluate_gaussian(corners, spec(mean=(0.0, 0.0), cov=((0.5, 0), (0, 0.5))))
    assert off["mean_error"]["value"] == pytest.approx(math.sqrt(2))
    assert off["cov_error"]["value"] == pytest.approx(math.sqrt(2) * (4 / 3 - 0.5))


def test_variant_trainer_gives_each_variant_its_own_checkpoint_folder():
    shared = TrainerConfig(steps=5, batch_size=4, checkpoint_dir="data/ckpt", loss="minimax")
    merged = gan_nodes.variant_trainer(shared, "reiwa_warm", loss="hinge")
    assert merged.checkpoint_dir == str(Path("data/ckpt/reiwa_warm"))
    assert (merged.loss, merged.metric_prefix, shared.loss) == ("hinge", "reiwa_warm", "minimax")
    nested = gan_nodes.variant_trainer(shared, "grid.bourgain.seed0")
    assert nested.checkpoint_dir == str(Path("data/ckpt/grid/bourgain/seed0"))
    no_folder = TrainerConfig(steps=5, batch_size=4)
    assert gan_nodes.variant_trainer(no_folder, "a").checkpoint_dir is None
