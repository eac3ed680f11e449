"""``kedro run --pipelines mnist_stability`` on a tiny budget (after a tiny ``classifier``)."""

from __future__ import annotations

import math

import pytest
from mlflow import MlflowClient

from shall_we_gans.params import ParameterError, validate_parameters
from shall_we_gans.params.mnist_stability import VARIANTS
from tests.parameters import base_parameters, with_value

QUALITY = ("digit_coverage", "class_kl", "fd_lenet")
PEAKS = (
    "peak_max_grad_d_over_d",
    "peak_max_grad_d_over_d_real",
    "peak_max_grad_logit",
    "peak_max_grad_logit_real",
)
SEEDS = (0, 1)  # tests/tiny.py


@pytest.fixture(scope="module")
def stability(tiny_run):
    return tiny_run("mnist_stability")


def test_every_variant_logs_rates_and_each_seed_its_crash_quality_and_diagnostics(stability):
    project, run = stability
    metrics = run.data.metrics
    client = MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    for variant in VARIANTS:
        crashed = [metrics[f"{variant}.seed{s}.crashed"] for s in SEEDS]
        never = [metrics[f"{variant}.seed{s}.never_learned"] for s in SEEDS]
        assert set(crashed) | set(never) <= {0.0, 1.0}
        assert metrics[f"{variant}.crash_rate"] == sum(crashed) / len(SEEDS)
        assert metrics[f"{variant}.never_learned_rate"] == sum(never) / len(SEEDS)
        assert metrics[f"{variant}.seeds"] == len(SEEDS)
        assert (f"{variant}.crash_step_median" in metrics) == any(crashed)
        for seed in SEEDS:
            prefix = f"{variant}.seed{seed}"
            assert (f"{prefix}.crash_step" in metrics) == (metrics[f"{prefix}.crashed"] == 1.0)
            assert 1 <= metrics[f"{prefix}.digit_coverage"] <= 10
            assert 0.0 <= metrics[f"{prefix}.class_kl"] <= math.log(10) + 1e-9
            assert metrics[f"{prefix}.fd_lenet"] >= 0.0
            for name in PEAKS:
                assert metrics[f"{prefix}.{name}"] > 0.0
            ratios = client.get_metric_history(run.info.run_id, f"{prefix}.max_grad_d_over_d")
            assert sorted(m.step for m in ratios) == [0, 2, 4]  # log_every 2 over 6 steps
            for name in ("max_grad_logit", "max_grad_logit_real", "d_real", "d_fake"):
                assert f"{prefix}.{name}" in metrics
    assert metrics["real.fd_lenet"] >= 0.0 and metrics["real.digit_coverage"] >= 8
    for figure in ("grad_ratio", "samples"):
        assert (project / f"data/08_reporting/mnist_stability_{figure}.png").stat().st_size > 0


def test_outcomes_hold_a_row_per_seed(stability, monkeypatch):
    from tests.kedro_project import load_dataset

    project, _ = stability
    monkeypatch.chdir(project)
    for variant in VARIANTS:
        outcomes = load_dataset(project, f"mnist_stability_{variant}_outcomes")
        assert outcomes["seed"].tolist() == list(SEEDS)
        assert {"crashed", "never_learned", "crash_step", "fd_lenet", *PEAKS} <= set(outcomes)


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
        ("mnist_stability.trainer.seed", 3, ["mnist_stability.trainer.seed", "seeds"]),
        ("mnist_stability.seeds", [1, 1], ["mnist_stability.seeds"]),
        ("mnist_stability.ttur.lr_g_factor", 0.0, ["mnist_stability.ttur.lr_g_factor"]),
        (
            "mnist_stability.monitoring.learned_classes",
            2,
            ["mnist_stability.monitoring", "learned_classes"],
        ),
    ],
)
def test_bad_stability_parameters_name_their_key_path(key, value, words):
    with pytest.raises(ParameterError) as err:
        validate_parameters(with_value(base_parameters(), key, value))
    for word in words:
        assert word in str(err.value)
