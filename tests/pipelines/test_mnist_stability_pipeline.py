"""``kedro run --pipelines mnist_stability`` on a tiny budget (after a tiny ``classifier``)."""

from __future__ import annotations

import math

import pytest
from mlflow import MlflowClient

from shall_we_gans.params import ParameterError, validate_parameters
from shall_we_gans.params.mnist_stability import VARIANTS
from tests.parameters import base_parameters, with_value

QUALITY = ("digit_coverage", "class_kl", "fd_lenet")
PEAKS = ("peak_max_grad_d_over_d", "peak_max_grad_d_over_d_real")


@pytest.fixture(scope="module")
def stability(tiny_run):
    return tiny_run("mnist_stability")


def test_every_variant_logs_crash_quality_and_the_ratio_per_step(stability):
    project, run = stability
    metrics = run.data.metrics
    client = MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    for variant in VARIANTS:
        assert metrics[f"{variant}.crashed"] in (0.0, 1.0)
        assert (f"{variant}.crash_step" in metrics) == (metrics[f"{variant}.crashed"] == 1.0)
        assert 1 <= metrics[f"{variant}.digit_coverage"] <= 10
        assert 0.0 <= metrics[f"{variant}.class_kl"] <= math.log(10) + 1e-9
        assert metrics[f"{variant}.fd_lenet"] >= 0.0
        for name in PEAKS:
            assert metrics[f"{variant}.{name}"] > 0.0
        ratios = client.get_metric_history(run.info.run_id, f"{variant}.max_grad_d_over_d")
        assert sorted(m.step for m in ratios) == [0, 2, 4]  # log_every 2 over 6 steps
        assert f"{variant}.max_grad_d_over_d_real" in metrics
        assert f"{variant}.d_real" in metrics and f"{variant}.d_fake" in metrics
    assert metrics["real.fd_lenet"] >= 0.0 and metrics["real.digit_coverage"] >= 8
    for figure in ("grad_ratio", "samples"):
        assert (project / f"data/08_reporting/mnist_stability_{figure}.png").stat().st_size > 0


def test_saved_generators_are_plain_modules_that_draw_digits(stability, monkeypatch):
    import torch

    from tests.kedro_project import load_dataset

    project, _ = stability
    monkeypatch.chdir(project)
    for variant in VARIANTS:  # sn_dg's generator comes back spectrally normalised
        generator = load_dataset(project, f"mnist_stability_{variant}_generator")
        has_sn = any("parametrizations" in name for name, _ in generator.named_parameters())
        assert has_sn == (variant == "sn_dg")
        assert generator(torch.randn(2, 8)).shape == (2, 1, 28, 28)


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("mnist_stability.model.width", 0, ["mnist_stability.model.width"]),
        ("mnist_stability.monitoring.min_classes", 10, ["mnist_stability.monitoring.min_classes"]),
        ("mnist_stability.monitoring.max_fd", float("inf"), ["mnist_stability.monitoring.max_fd"]),
        ("mnist_stability.sn_d.loss", "nope", ["mnist_stability.sn_d.loss"]),
        ("mnist_stability.naive.metric_prefix", "sn_d", ["metric_prefix values must differ"]),
        ("mnist_stability.trainer.loss", "hinge", ["mnist_stability.trainer.loss", "per variant"]),
    ],
)
def test_bad_stability_parameters_name_their_key_path(key, value, words):
    with pytest.raises(ParameterError) as err:
        validate_parameters(with_value(base_parameters(), key, value))
    for word in words:
        assert word in str(err.value)
