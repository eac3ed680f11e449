"""``kedro run --pipelines text_lattice`` end to end on a tiny budget, and its font error."""

from __future__ import annotations

import math
from pathlib import Path

import click
import matplotlib
import numpy as np
import pandas as pd
import pytest
import torch

from shall_we_gans.gan import GANTrainer, TrainerConfig
from shall_we_gans.gan.models import MLPDiscriminator, MLPGenerator
from shall_we_gans.gan.priors import build_prior
from shall_we_gans.gan.sinks import MemorySink
from shall_we_gans.metrics.support import support_metrics
from shall_we_gans.params.gaussian_2d import EvaluationSpec, ModelSpec
from shall_we_gans.params.text_lattice import CurveSpec, LatticeSpec, TextVariant
from shall_we_gans.pipelines.gan_nodes import variant_trainer
from shall_we_gans.pipelines.text_lattice import create_pipeline, nodes
from tests.kedro_project import copy_project, load_dataset, mlflow_runs, run_pipeline
from tests.tiny import TINY

VARIANTS = ("heisei", "reiwa_warm", "reiwa_cold")
LATIN_ONLY_FONT = Path(matplotlib.get_data_path()) / "fonts/ttf/DejaVuSans.ttf"


@pytest.fixture(scope="module")
def project(tiny_run) -> Path:
    return tiny_run("text_lattice")[0]


def test_run_logs_support_metrics_per_variant(project):
    (run,) = mlflow_runs(project)
    assert run.info.run_name == "text_lattice" and run.info.status == "FINISHED"
    for variant in VARIANTS:
        for metric in ("on_support", "support_coverage"):
            value = run.data.metrics[f"{variant}.{metric}"]
            assert math.isfinite(value) and 0.0 <= value <= 1.0, (variant, metric)
            assert value <= run.data.metrics[f"ideal.{variant}.{metric}"]
        assert run.data.metrics[f"ideal.{variant}.on_support"] == 1.0
        assert math.isfinite(run.data.metrics[f"{variant}.g_grad_norm"])  # the trainer's prefix
        assert 0.0 <= run.data.metrics[f"{variant}.on_support_curve"] <= 1.0
        curve = load_dataset(project, f"text_lattice_{variant}_curve")
        reached = (curve["on_support"] >= 0.7).any()
        assert (f"{variant}.steps_to_0.7" in run.data.metrics) == reached
    assert run.data.params["text_lattice.reiwa_warm.text"] == "令和"


def test_run_saves_generators_histories_and_figures(project, monkeypatch):
    monkeypatch.chdir(project)
    for variant in VARIANTS:
        generator = load_dataset(project, f"text_lattice_{variant}_generator")
        assert isinstance(generator, torch.nn.Module)
        assert generator(torch.randn(3, 64)).shape == (3, 2)
        assert load_dataset(project, f"text_lattice_{variant}_history")["step"].tolist() == [0, 10]
        figure = project / f"data/08_reporting/text_lattice_{variant}_samples.png"
        assert figure.stat().st_size > 0
        curve = load_dataset(project, f"text_lattice_{variant}_curve")
        assert curve["step"].tolist() == [10, 20]
        assert curve["on_support"].between(0, 1).all()
    assert (project / "data/08_reporting/text_lattice_warm_start.png").stat().st_size > 0


def test_warm_variant_starts_from_the_saved_heisei_generator():
    (train,) = [
        n for n in create_pipeline().nodes if n.name.endswith("reiwa_warm.train_on_lattice")
    ]
    assert train.inputs[0] == "text_lattice_heisei_generator"  # a catalog dataset, not memory
    cold = [n.name for n in create_pipeline().nodes if n.name.startswith("text_lattice.reiwa_cold")]
    assert "text_lattice.reiwa_cold.init" in cold


def test_training_copies_a_frozen_generator_and_leaves_the_input_alone():
    variant = TextVariant(text="平成", metric_prefix="warm")
    lattice = nodes.build_lattice(variant, LatticeSpec(pixel_height=16))
    model = ModelSpec(
        seed=0,
        prior={"name": "gaussian", "dim": 4},
        generator={"width": 8, "depth": 1},
        discriminator={"width": 8, "depth": 1},
    )
    frozen = MLPGenerator(4, 2, width=8, depth=1).requires_grad_(False)  # as a saved EMA is
    before = {k: v.clone() for k, v in frozen.state_dict().items()}
    trainer = TrainerConfig(steps=3, batch_size=16, device="cpu", progress=False, ema_decay=0.9)
    trained, history, samples, curve = nodes.train_on_lattice(
        frozen, lattice, model, trainer, EvaluationSpec(n=50, seed=1), CURVE, variant
    )
    assert all(torch.equal(before[k], v) for k, v in frozen.state_dict().items())
    assert any(not torch.equal(before[k], v) for k, v in trained.state_dict().items())
    assert samples.shape == (50, 2) and np.isfinite(samples).all()
    assert len(history) == 3
    assert curve["step"].tolist() == [2, 3]  # every 2 steps, and the budget's last step


CURVE = CurveSpec(every=2, n=40, seed=5, threshold=0.5)


def test_glyph_curve_judges_the_samples_of_each_chunk_and_logs_them():
    """The schedule's points are ``support_metrics`` of ``curve.n`` samples drawn with
    ``curve.seed`` after each chunk, logged under the variant's prefix at that step."""
    variant = TextVariant(text="平成", metric_prefix="heisei")
    lattice = nodes.build_lattice(variant, LatticeSpec(pixel_height=16))
    trainer = TrainerConfig(steps=4, batch_size=16, device="cpu", progress=False)
    gan = GANTrainer(
        MLPGenerator(4, 2, width=8, depth=1),
        MLPDiscriminator(2, width=8, depth=1),
        build_prior("gaussian", 4),
        lattice.support,
        variant_trainer(trainer, "heisei"),
        log_metrics=(sink := MemorySink()),
    )
    frame = nodes.glyph_curve(lattice, CURVE)(gan)
    assert frame["step"].tolist() == [2, 4]
    last = support_metrics(gan.sample(40, seed=5).numpy(), lattice.support, lattice.step)
    assert frame.iloc[-1]["on_support"] == last["on_support"]
    logged = {(name, step): value for step, name, value in sink.records}
    assert logged[("heisei.on_support_curve", 4)] == last["on_support"]
    assert logged[("heisei.coverage_curve", 2)] == frame.iloc[0]["support_coverage"]


@pytest.mark.parametrize(
    ("on_support", "expected"), [([0.2, 0.7, 0.9], 20), ([0.2, 0.69], None), ([0.8], 10)]
)
def test_steps_to_is_the_first_judged_step_at_the_threshold(on_support, expected):
    steps = [10 * (i + 1) for i in range(len(on_support))]
    curve = pd.DataFrame({"step": steps, "on_support": on_support})
    assert nodes.steps_to(curve, 0.7) == expected


def test_latin_only_font_fails_naming_font_path(tmp_path, monkeypatch):
    """Found when parameters are validated, before any node runs, naming each text's key."""
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    with pytest.raises(click.ClickException, match="text_lattice.heisei.text") as err:
        run_pipeline(
            project,
            "text_lattice",
            {**TINY["text_lattice"], "text_lattice.lattice.font_path": str(LATIN_ONLY_FONT)},
        )
    assert "DejaVuSans.ttf" in str(err.value) and "平成" in str(err.value)
    assert not [p for p in (project / "data").rglob("*") if p.is_file()]


def test_evaluation_logs_the_ideal_sampler_with_the_same_count_and_seed():
    variant = TextVariant(text="平成", metric_prefix="heisei")
    lattice = nodes.build_lattice(variant, LatticeSpec(pixel_height=16))
    samples = lattice.support[:50] + 10.0  # all off the glyphs
    curve = pd.DataFrame({"step": [5, 10], "on_support": [0.1, 0.3]})  # never at 0.5
    metrics = nodes.evaluate_on_lattice(
        samples, lattice, curve, EvaluationSpec(n=50, seed=3), CURVE, variant
    )
    assert not [k for k in metrics if "steps_to" in k]  # not reached: nothing logged
    curve = pd.DataFrame({"step": [5, 10], "on_support": [0.1, 0.5]})
    metrics = nodes.evaluate_on_lattice(
        samples, lattice, curve, EvaluationSpec(n=50, seed=3), CURVE, variant
    )
    assert metrics["heisei.steps_to_0.5"]["value"] == 10
    drawn = np.random.default_rng(3).integers(0, len(lattice.support), size=50)
    assert metrics["heisei.on_support"]["value"] == metrics["heisei.support_coverage"]["value"] == 0
    assert metrics["ideal.heisei.on_support"]["value"] == 1.0
    coverage = metrics["ideal.heisei.support_coverage"]["value"]
    assert coverage == pytest.approx(len(np.unique(drawn)) / len(lattice.support))
