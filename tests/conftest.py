"""Test-wide settings: offline, headless, and a throw-away MLflow store."""

import os

for _var in ("KEDRO_DISABLE_TELEMETRY", "DO_NOT_TRACK", "MLFLOW_DISABLE_TELEMETRY"):
    os.environ[_var] = "true"
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch loads: no spinning threads

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _mlflow_store(tmp_path, monkeypatch):
    """Point MLflow at a temporary sqlite file so no test writes the project's mlflow.db."""
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    yield
    import mlflow

    while mlflow.active_run() is not None:
        mlflow.end_run()


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory, request):
    """``tiny_run(pipeline)``: the pipeline run once per test session on its tiny budget
    (``tests.tiny.TINY``) in a fresh project copy; returns ``(project, MLflow run)``. The
    xdist workers share the runs: the first to ask runs it under a file lock, the others read
    its project (treat it as read-only)."""
    import shutil

    from filelock import FileLock

    from tests.kedro_project import finished_run, run_in_fresh_project
    from tests.tiny import BEFORE, TINY

    base = tmp_path_factory.getbasetemp()
    # under xdist, pytest-N/ above each worker's popen-gwK/
    shared = base.parent if hasattr(request.config, "workerinput") else base
    done: dict = {}

    def run(pipeline: str):
        if pipeline not in done:
            root = shared / f"tiny-{pipeline}"
            with FileLock(f"{root}.lock"):
                if (root / "finished").exists():
                    project = root / "project"
                    done[pipeline] = project, finished_run(project, pipeline)
                else:
                    shutil.rmtree(root, ignore_errors=True)  # a run that failed part-way
                    done[pipeline] = run_in_fresh_project(
                        root / "project", pipeline, TINY[pipeline], BEFORE.get(pipeline)
                    )
                    (root / "finished").touch()
        return done[pipeline]

    return run
