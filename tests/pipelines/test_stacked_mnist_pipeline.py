"""``kedro run --pipelines stacked_mnist`` on a tiny budget (after a tiny ``classifier``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from mlflow import MlflowClient

from shall_we_gans.params import ParameterError, validate_parameters
from shall_we_gans.params.stacked_mnist import D_SIZES, PRIORS
from tests.kedro_project import load_dataset
from tests.parameters import base_parameters, with_value


@pytest.fixture(scope="module")
def stacked(tiny_run):
    return tiny_run("stacked_mnist")


def test_every_variant_logs_its_table_cell_and_the_real_ceiling(stacked):
    project, run = stacked
    metrics = run.data.metrics
    for prior in PRIORS:
        for d_size in D_SIZES:
            key = f"{prior}.{d_size}"
            assert 1 <= metrics[f"{key}.modes_covered"] <= 100  # at most the 100 samples
            assert 0.0 <= metrics[f"{key}.kl_to_uniform"] <= math.log(1000) + 1e-9
            assert metrics[f"{key}.modes_covered"] == metrics[f"{key}.seed0.modes_covered"]
            assert 0.0 <= metrics[f"{key}.confident_fraction"] <= 1.0
            for share in ("channel_confident", "channel_agreement"):
                assert 0.0 <= metrics[f"{key}.{share}"] <= 1.0
                assert metrics[f"{key}.{share}"] == metrics[f"{key}.seed0.{share}"]
            assert 1 <= metrics[f"{key}.recount_modes"] <= 100
            assert metrics[f"{key}.fd"] >= 0.0
            running = MlflowClient(f"sqlite:///{project / 'mlflow.db'}").get_metric_history(
                run.info.run_id, f"{key}.seed0.running_modes"
            )
            assert sorted(m.step for m in running) == [2, 4]  # every 2 of 4 steps
            agreement = MlflowClient(f"sqlite:///{project / 'mlflow.db'}").get_metric_history(
                run.info.run_id, f"{key}.seed0.running_agreement"
            )
            assert all(0.0 <= m.value <= 1.0 for m in agreement) and len(agreement) == 2
    assert 1 <= metrics["real.modes_covered"] <= 200
    for share in ("channel_confident", "channel_agreement", "confident_fraction"):
        assert 0.0 <= metrics[f"real.{share}"] <= 1.0
    assert metrics["real.fd"] >= 0.0 and 1 <= metrics["real.recount_modes"] <= 200
    assert 0.0 < metrics["ideal.kl_to_uniform"] < metrics["real.kl_to_uniform"] + 1.0
    assert "bourgan.d025.seed0.g_extra" in metrics  # BourGAN's distance term is trained
    # the Bourgain latent's checks: modes among the 50 embedded images, the components apart
    # (sigma of the spacing), and beta rescaled to the data's distances (target: data)
    sigma = base_parameters()["stacked_mnist"]["bourgain"]["sigma"]
    assert 1 <= metrics["bourgain.embedded_modes"] <= 50
    assert metrics["bourgain.sigma_over_spacing"] == pytest.approx(sigma, rel=0.05)  # drawn
    assert metrics["bourgain.target_over_data"] == pytest.approx(1.0, rel=0.1)  # other pairs
    assert metrics["bourgain.noncontracting_over_data"] > 1.0
    for figure in ("table", "coverage", "dcgan_d025", "bourgan_d100"):
        assert (project / f"data/08_reporting/stacked_mnist_{figure}.png").stat().st_size > 0


def test_samples_are_saved_for_recounting_and_d_follows_the_ladder(stacked, monkeypatch):
    project, _ = stacked
    monkeypatch.chdir(project)
    samples = load_dataset(project, "stacked_mnist_dcgan_d025_samples")
    assert samples[0].dtype == np.uint8 and samples[0].shape == (100, 3, 28, 28)
    generator = load_dataset(project, "stacked_mnist_bourgan_d100_generator")
    import torch

    assert generator(torch.randn(2, generator.latent_dim)).shape == (2, 3, 28, 28)


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("stacked_mnist.dcgan.d025.d_size", 0, ["stacked_mnist.dcgan.d025.d_size"]),
        ("stacked_mnist.bourgain.n_points", 30000, ["bourgain.n_points", "data.n"]),
        ("stacked_mnist.evaluation.n", 0, ["stacked_mnist.evaluation.n"]),
        ("stacked_mnist.real.n", 0, ["stacked_mnist.real.n"]),
        ("stacked_mnist.bourgain.space", "logits", ["stacked_mnist.bourgain.space"]),
        ("stacked_mnist.trainer.metric_prefix", "x", ["trainer.metric_prefix", "per variant"]),
    ],
)
def test_bad_stacked_parameters_name_their_key_path(key, value, words):
    with pytest.raises(ParameterError) as err:
        validate_parameters(with_value(base_parameters(), key, value))
    for word in words:
        assert word in str(err.value)
