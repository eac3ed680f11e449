"""The Kedro project as a user meets it: registry, a real session run, MLflow, Kedro-Viz."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kedro.framework.project import configure_project, pipelines

from tests.kedro_project import PROJECT_ROOT, copy_project, run_pipeline


@pytest.fixture(scope="module")
def registered() -> dict:
    configure_project("shall_we_gans")
    return dict(pipelines)


def test_every_pipeline_is_registered_and_default_runs_them_all(registered):
    folders = {
        p.name
        for p in (PROJECT_ROOT / "src/shall_we_gans/pipelines").iterdir()
        if (p / "pipeline.py").exists()
    }
    assert "data_preparation" in folders
    assert folders <= set(registered)
    default_nodes = set(registered["__default__"].nodes)
    for name in folders:
        assert set(registered[name].nodes) <= default_nodes, name


def test_telemetry_is_off_in_the_project():
    assert (PROJECT_ROOT / ".telemetry").read_text().strip() == "consent: false"
    settings = (PROJECT_ROOT / "src/shall_we_gans/settings.py").read_text()
    assert '"kedro-telemetry"' in settings


def test_data_preparation_session_logs_an_mlflow_run(tiny_run):
    project, run = tiny_run("data_preparation")  # checked FINISHED and named after the pipeline
    assert run.data.metrics["mnist.n_train"] + run.data.metrics["mnist.n_val"] == 5000
    assert run.data.metrics["optdigits.n"] == 1797
    assert run.data.params["stacked_mnist.data.n"] == "4000"  # parameters are flattened
    assert (project / "data/08_reporting/digits_preview.png").exists()
    versions = list((project / "data/01_raw/mnist.pkl").iterdir())
    assert len(versions) == 1  # versioned dataset: one timestamped folder per run


@pytest.mark.slow
def test_kedro_viz_build_lists_every_pipeline(tmp_path, registered):
    project = copy_project(tmp_path / "project")
    env = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"}
    kedro = Path(sys.executable).with_name("kedro")
    result = subprocess.run(
        [str(kedro), "viz", "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    main = json.loads((project / "build/api/main").read_text())
    listed = {p["id"] for p in main["pipelines"]}
    assert set(registered) <= listed


@pytest.mark.parametrize(
    ("pipeline", "env", "words"),
    [
        ("nosuchpipe", None, ["unknown pipeline 'nosuchpipe'", "gaussian_2d", "stacked_mnist"]),
        ("gaussian_2d", "nosuchenv", ["unknown environment 'nosuchenv'", "base", "paper"]),
    ],
)
def test_unknown_names_list_the_valid_ones(tmp_path, monkeypatch, pipeline, env, words):
    import click

    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    with pytest.raises(click.ClickException) as err:
        run_pipeline(project, pipeline, env=env)
    for word in words:
        assert word in str(err.value.message)
    assert not [p for p in (project / "data").rglob("*") if p.is_file()]
