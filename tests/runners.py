"""A tiny pipeline run in a fresh project copy with a given runner (tests of ``runner/``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import mlflow
from kedro.framework.project import settings
from kedro.framework.startup import bootstrap_project

from tests.kedro_project import copy_project, nested
from tests.tiny import TINY

IGNORED = ("samples_per_s",)  # throughput: a measurement of the machine, not of the model


def run_with(root: Path, pipeline: str, runner: Any = None, tracking_uri: str | None = None):
    """Copy the project to ``root`` and run ``pipeline`` on its tiny budget with ``runner``
    (``None``: SequentialRunner); return the project and its one MLflow run of the pipeline.
    ``tracking_uri`` replaces the project's sqlite file (an ``mlflow server``)."""
    project = copy_project(root)
    if tracking_uri is not None:
        mlflow_yml = project / "conf/local/mlflow.yml"
        text = mlflow_yml.read_text().replace(f"sqlite:///{project / 'mlflow.db'}", tracking_uri)
        mlflow_yml.write_text(text)
    cwd = Path.cwd()
    os.chdir(project)
    try:
        bootstrap_project(project)
        runtime = nested(TINY[pipeline])
        with settings.SESSION_CLASS.create(project_path=project, runtime_params=runtime) as s:
            s.run(pipeline_names=[pipeline], runner=runner)
    finally:
        while mlflow.active_run() is not None:
            mlflow.end_run()
        os.chdir(cwd)
    client = mlflow.MlflowClient(tracking_uri or f"sqlite:///{project / 'mlflow.db'}")
    runs = [r for e in client.search_experiments() for r in client.search_runs([e.experiment_id])]
    (run,) = runs  # nothing else: no stray run opened by a worker
    assert run.info.status == "FINISHED"
    return project, run, client


def model_metrics(run) -> dict[str, float]:
    """The run's final metric values, throughput left out."""
    return {k: v for k, v in run.data.metrics.items() if not k.endswith(IGNORED)}
