"""``notebooks/compare_runs.ipynb`` executes top to bottom on a store made by tiny runs."""

from pathlib import Path

import mlflow
import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "compare_runs.ipynb"


def copy_run(run: mlflow.entities.Run, source_uri: str, target_uri: str) -> None:
    """Copy a run (metric histories, params, tags, status) into another store, same experiment."""
    source, target = mlflow.MlflowClient(source_uri), mlflow.MlflowClient(target_uri)
    name = source.get_experiment(run.info.experiment_id).name
    experiment = target.get_experiment_by_name(name)
    experiment_id = experiment.experiment_id if experiment else target.create_experiment(name)
    copy = target.create_run(experiment_id, run_name=run.info.run_name)
    metrics = [
        m for key in run.data.metrics for m in source.get_metric_history(run.info.run_id, key)
    ]
    params = [mlflow.entities.Param(k, v) for k, v in run.data.params.items()]
    target.log_batch(copy.info.run_id, metrics=metrics, params=params)
    target.set_terminated(copy.info.run_id, status=run.info.status)


@pytest.mark.slow
def test_notebook_executes_on_tiny_runs(tiny_run, tmp_path, monkeypatch):
    store = f"sqlite:///{tmp_path / 'mlflow.db'}"
    for study in ("stacked_mnist", "adda", "mnist_stability", "missing_modes"):
        project, run = tiny_run(study)
        copy_run(run, f"sqlite:///{project / 'mlflow.db'}", store)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", store)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute(cwd=str(NOTEBOOK.parent))
    printed = "".join(
        out.get("text", "") for cell in notebook.cells for out in cell.get("outputs", [])
    )
    assert "not run" not in printed  # every study it compares was found
    assert (
        "experiments with runs: ['adda', 'missing_modes', 'mnist_stability', 'stacked_mnist']"
        in printed
    )
