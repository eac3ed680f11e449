"""``classifier`` and ``adda`` end to end on tiny budgets, offline (packaged MNIST, optdigits)."""

from __future__ import annotations

import math

import pytest
import torch
from kedro.framework.project import settings

from tests.kedro_project import copy_project, run_pipeline


@pytest.fixture(scope="module")
def adda_run(tiny_run):
    return tiny_run("adda")


def test_adda_logs_source_only_and_adapted_accuracies(adda_run):
    _, run = adda_run
    metrics = run.data.metrics
    for name in (
        "source_only.source_accuracy",
        "source_only.target_accuracy",
        "adda.target_accuracy",
        "adda.class0.target_accuracy",
        "source_only.class9.target_accuracy",
        "scratch.target_accuracy",
        "scratch.class3.target_accuracy",
    ):
        assert 0.0 <= metrics[name] <= 1.0, name
    for name in (
        "adda.d_loss",
        "adda.t_loss",
        "scratch.d_loss",
        "adda.d_acc",
        "source_only.val_acc",
    ):
        assert math.isfinite(metrics[name]), name
    assert run.data.params["adda.target.name"] == "optdigits"


def test_adda_saves_models_and_figures(adda_run, monkeypatch):
    project, _ = adda_run
    monkeypatch.chdir(project)
    for figure in ("confusion_matrices", "features_pca", "features_tsne"):
        assert (project / f"data/08_reporting/adda_{figure}.png").exists()
    with settings.SESSION_CLASS.create(project_path=project) as session:
        catalog = session.load_context().catalog
        encoder = catalog.load("adda_target_encoder")
        classifier = catalog.load("adda_source_classifier")
        held_out = catalog.load("adda_target_eval")
        adapted = catalog.load("adda_target_adapt")
    assert encoder(torch.zeros(2, 1, 28, 28)).shape == (2, 500)
    assert classifier(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    # the evaluation images are held out: adaptation never sees them
    seen = {img.tobytes() for img in adapted.images}
    assert not any(img.tobytes() in seen for img in held_out.images)


def test_classifier_saves_mnist_classifier_module(tiny_run, monkeypatch):
    project, run = tiny_run("classifier")
    assert 0.5 < run.data.metrics["classifier.val_accuracy"] <= 1.0
    monkeypatch.chdir(project)
    with settings.SESSION_CLASS.create(project_path=project) as session:
        model = session.load_context().catalog.load("mnist_classifier")
    assert isinstance(model, torch.nn.Module) and not model.training
    logits = model(torch.zeros(4, 1, 28, 28) - 1.0)
    assert logits.shape == (4, 10)


def test_classifier_trains_an_independent_second_opinion(tiny_run, monkeypatch):
    project, run = tiny_run("classifier")
    metrics = run.data.metrics
    assert 0.0 <= metrics["second_classifier.val_accuracy"] <= 1.0
    assert 0.0 <= metrics["second_classifier.agreement"] <= 1.0
    monkeypatch.chdir(project)
    with settings.SESSION_CLASS.create(project_path=project) as session:
        catalog = session.load_context().catalog
        first, second = catalog.load("mnist_classifier"), catalog.load("mnist_second_classifier")
    assert type(first.encoder).__name__ == "LeNetEncoder"
    assert type(second.encoder).__name__ == "ConvNetEncoder"  # another architecture
    assert second(torch.zeros(4, 1, 28, 28)).shape == (4, 10)


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ({"adda.target.name": "svhn"}, ["adda.target.name", "usps"]),
        ({"adda.target.name": "usps", "adda.target.root": None}, ["adda.target", "root"]),
        ({"adda.source.n": 6000}, ["adda.source", "6000", "5000"]),
        ({"adda.adaptation.lr_d": 0}, ["adda.adaptation.lr_d"]),
    ],
)
def test_bad_domain_specs_stop_before_the_run(tmp_path, monkeypatch, override, words):
    import click

    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    with pytest.raises(click.ClickException) as err:
        run_pipeline(project, "adda", override)
    for word in words:
        assert word in str(err.value.message)


def test_missing_usps_root_names_the_file(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    params = {"adda.target.name": "usps", "adda.target.root": str(tmp_path / "nowhere")}
    with pytest.raises(FileNotFoundError, match="usps.bz2"):
        run_pipeline(project, "adda", params)
