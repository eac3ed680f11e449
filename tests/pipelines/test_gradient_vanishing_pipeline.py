"""``kedro run --pipelines gradient_vanishing`` end to end on a tiny budget; identical starts."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from mlflow import MlflowClient

from shall_we_gans.gan import TrainerConfig
from shall_we_gans.params.gaussian_2d import EvaluationSpec, GaussianDataSpec, ModelSpec
from shall_we_gans.params.gradient_vanishing import LossVariant, PretrainSpec
from shall_we_gans.pipelines.gan_nodes import init_generator, sample_gaussian_data
from shall_we_gans.pipelines.gradient_vanishing import create_pipeline, nodes
from tests.kedro_project import load_dataset, mlflow_runs

MODEL = ModelSpec(
    seed=0,
    prior={"name": "gaussian", "dim": 4},
    generator={"width": 8, "depth": 1},
    discriminator={"width": 8, "depth": 1},
)
TRAINER = TrainerConfig(steps=1, batch_size=32, device="cpu", progress=False, lr_d=1e-2)


@pytest.fixture(scope="module")
def project(tiny_run) -> Path:
    return tiny_run("gradient_vanishing")[0]


@pytest.fixture(scope="module")
def data() -> np.ndarray:
    spec = GaussianDataSpec(mean=(2, -2), cov=((0.5, 0), (0, 0.5)), n=256, seed=0)
    return sample_gaussian_data(spec)


def test_run_logs_per_step_norms_and_the_summary(project):
    (run,) = mlflow_runs(project)
    assert run.info.run_name == "gradient_vanishing" and run.info.status == "FINISHED"
    metrics = run.data.metrics
    assert 0.0 < metrics["pretrain.d_fake"] <= metrics["pretrain.max_d_fake"] < 1.0
    assert metrics["pretrain.d_steps"] in (0, 10, 20)
    assert "pretrain.d_loss" in metrics  # the D-only phase's history goes to the run too
    client = MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    for variant in ("minimax", "non_saturating"):
        steps = client.get_metric_history(run.info.run_id, f"{variant}.g_grad_norm")
        assert sorted(m.step for m in steps) == list(range(10))  # log_every 1
        mean = metrics[f"{variant}.mean_g_grad_norm"]
        assert np.mean([m.value for m in steps]) == pytest.approx(mean)
        assert (
            metrics[f"{variant}.min_g_grad_norm"] <= mean <= metrics[f"{variant}.max_g_grad_norm"]
        )
        errors = client.get_metric_history(run.info.run_id, f"{variant}.mean_error")
        assert sorted(m.step for m in errors) == list(range(10))  # the sample mean, every step
    ratio = metrics["non_saturating.mean_g_grad_norm"] / metrics["minimax.mean_g_grad_norm"]
    assert metrics["g_grad_norm_ratio"] == pytest.approx(ratio)
    assert math.isfinite(ratio) and ratio > 0


def test_run_saves_models_histories_and_figure(project, monkeypatch):
    monkeypatch.chdir(project)
    for name in ("pretrained_generator", "minimax_generator", "non_saturating_generator"):
        generator = load_dataset(project, f"gradient_vanishing_{name}")
        assert isinstance(generator, torch.nn.Module)
        assert generator(torch.randn(3, 16)).shape == (3, 2)
    discriminator = load_dataset(project, "gradient_vanishing_pretrained_discriminator")
    assert discriminator(torch.randn(3, 2)).shape == (3,)
    assert (project / "data/08_reporting/gradient_vanishing.png").stat().st_size > 0


def test_variants_start_from_identical_weights_and_draws(project, monkeypatch):
    monkeypatch.chdir(project)
    minimax = load_dataset(project, "gradient_vanishing_minimax_history")
    non_saturating = load_dataset(project, "gradient_vanishing_non_saturating_history")
    # step 0's D update comes before any G update: equal iff same weights, data and draws
    first = ["d_loss", "d_real", "d_fake"]
    assert minimax.loc[0, first].tolist() == non_saturating.loc[0, first].tolist()
    assert minimax.loc[0, "g_grad_norm"] < non_saturating.loc[0, "g_grad_norm"]
    trains = [n for n in create_pipeline().nodes if n.name.endswith("train_from_pretrained")]
    assert len(trains) == 2 and trains[0].inputs[:2] == trains[1].inputs[:2]


def test_training_a_variant_leaves_the_pretrained_pair_untouched(data):
    pretrain = PretrainSpec(max_steps=0, check_every=1, max_d_fake=0.5, probe_n=8, probe_seed=0)
    generator, discriminator, _ = nodes.pretrain_discriminator(data, MODEL, TRAINER, pretrain)
    before = [m.state_dict() for m in (generator, discriminator)]
    before = [{k: v.clone() for k, v in s.items()} for s in before]
    trainer = dataclasses.replace(TRAINER, steps=3)
    evaluation = EvaluationSpec(n=10, seed=1)
    variant = LossVariant(loss="minimax", metric_prefix="a")
    target = GaussianDataSpec(mean=(2, -2), cov=((0.5, 0), (0, 0.5)), n=256, seed=0)
    trained, history, samples = nodes.train_from_pretrained(
        generator, discriminator, data, MODEL, trainer, evaluation, target, variant
    )
    centre = samples.mean(axis=0)  # the last tracked mean is the returned samples' mean
    assert history["mean_x"].iloc[-1] == pytest.approx(centre[0], abs=1e-6)
    assert history["mean_error"].iloc[-1] == pytest.approx(np.hypot(centre[0] - 2, centre[1] + 2))
    for module, state in zip((generator, discriminator), before, strict=True):
        assert all(torch.equal(state[k], v) for k, v in module.state_dict().items())
    assert len(history) == 3
    assert any(not torch.equal(before[0][k], v) for k, v in trained.state_dict().items())


def test_pretraining_stops_at_the_threshold_or_the_step_limit(data):
    pretrain = {"max_steps": 30, "check_every": 10, "probe_n": 64, "probe_seed": 0}
    easy = nodes.pretrain_discriminator(
        data, MODEL, TRAINER, PretrainSpec(**pretrain, max_d_fake=0.999)
    )
    assert easy[2]["pretrain.d_steps"]["value"] == 0  # already below before any D step
    hard = nodes.pretrain_discriminator(
        data, MODEL, TRAINER, PretrainSpec(**pretrain, max_d_fake=1e-12)
    )
    assert hard[2]["pretrain.d_steps"]["value"] == 30
    assert hard[2]["pretrain.d_fake"]["value"] < easy[2]["pretrain.d_fake"]["value"]
    fresh = init_generator(MODEL)  # the D-only phase never changes G
    for key, value in hard[0].state_dict().items():
        assert torch.equal(value, fresh.state_dict()[key])
