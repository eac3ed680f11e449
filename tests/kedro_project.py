"""Run the real Kedro project in a temporary copy, so tests never touch the checkout's data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import mlflow
import yaml
from kedro.framework.project import settings
from kedro.framework.startup import bootstrap_project

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def copy_project(dest: Path) -> Path:
    """Copy what ``kedro run`` needs (pyproject, conf, an empty src) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / "pyproject.toml", dest)
    shutil.copy(PROJECT_ROOT / ".telemetry", dest)
    shutil.copytree(PROJECT_ROOT / "conf", dest / "conf", ignore=shutil.ignore_patterns("local"))
    (dest / "conf" / "local").mkdir(exist_ok=True)
    # An absolute tracking URI: mlflow caches one store per URI string, so a relative
    # ``sqlite:///mlflow.db`` would keep writing to the first project a test process ran.
    mlflow_yml = yaml.safe_load((PROJECT_ROOT / "conf/base/mlflow.yml").read_text())
    mlflow_yml["server"]["mlflow_tracking_uri"] = f"sqlite:///{dest / 'mlflow.db'}"
    (dest / "conf/local/mlflow.yml").write_text(yaml.safe_dump(mlflow_yml))
    (dest / "data").mkdir(exist_ok=True)
    (dest / "src").mkdir(exist_ok=True)  # the package itself is installed (editable)
    return dest


def nested(dotted: dict[str, Any]) -> dict[str, Any]:
    """``{"a.b": 1}`` -> ``{"a": {"b": 1}}``, as ``kedro run --params "a.b=1"`` does."""
    out: dict[str, Any] = {}
    for key, value in dotted.items():
        *parents, last = key.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


def run_pipeline(
    project: Path, pipeline: str, params: dict[str, Any] | None = None, env: str | None = None
) -> dict[str, Any]:
    """Run ``pipeline`` in ``project`` like ``kedro run --pipelines P --params "a.b=v"``.

    ``params`` takes the CLI's dotted keys; returns the run's free outputs.
    """
    bootstrap_project(project)
    runtime = nested(params or {})
    session_class = settings.SESSION_CLASS  # the project's own session, as `kedro run` uses
    try:
        with session_class.create(project_path=project, runtime_params=runtime, env=env) as s:
            return s.run(pipeline_names=[pipeline])
    finally:
        # kedro-mlflow leaves its (already ended) run re-activated in this process; a second
        # session in the same process would otherwise log into it instead of a run of its own.
        while mlflow.active_run() is not None:
            mlflow.end_run()


def mlflow_runs(project: Path) -> list[mlflow.entities.Run]:
    """All MLflow runs recorded in ``project``'s ``mlflow.db``."""
    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{project / 'mlflow.db'}")
    return [
        run
        for exp in client.search_experiments()
        for run in client.search_runs([exp.experiment_id])
    ]


def run_in_fresh_project(
    root: Path, pipeline: str, params: dict[str, Any], before: dict[str, dict] | None = None
) -> tuple[Path, Any]:
    """Copy the project to ``root``, run the pipelines of ``before`` (name -> params) and then
    ``pipeline`` there (cwd = the copy); return the copy and the pipeline's MLflow run, checked
    to be the only one named after it and FINISHED."""
    project = copy_project(root)
    cwd = Path.cwd()
    os.chdir(project)
    try:
        for name, their_params in (before or {}).items():
            run_pipeline(project, name, their_params)
        run_pipeline(project, pipeline, params)
    finally:
        os.chdir(cwd)
    return project, finished_run(project, pipeline)


def finished_run(project: Path, pipeline: str) -> Any:
    """``pipeline``'s MLflow run in ``project``, checked to be the only one named after it and
    FINISHED."""
    (run,) = [r for r in mlflow_runs(project) if r.info.run_name == pipeline]
    assert run.info.status == "FINISHED"
    return run


def load_dataset(project: Path, name: str) -> Any:
    """Load dataset ``name`` through ``project``'s catalog (latest version)."""
    with settings.SESSION_CLASS.create(project_path=project) as session:
        return session.load_context().catalog.load(name)
