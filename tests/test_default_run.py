"""``kedro run`` alone runs the studies one by one, each in its own MLflow run and experiment,
with the models attached, and ends with the report of those runs."""

import mlflow
import pytest

from tests.kedro_project import copy_project, run_pipeline
from tests.tiny import TINY


@pytest.mark.slow
def test_default_runs_each_study_in_its_experiment_then_the_report(tmp_path, monkeypatch):
    monkeypatch.setattr("shall_we_gans.pipeline_registry.STUDY_ORDER", ("gaussian_2d", "report"))
    project = copy_project(tmp_path / "project")
    (project / "README.md").write_text("<!-- results:start -->\n<!-- results:end -->\n")
    # the tiny budget overrides the profile: the report shows such runs only when allowed
    run_pipeline(project, "__default__", TINY["gaussian_2d"] | {"report.allow_overrides": True})
    client = mlflow.MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    runs = {
        exp.name: client.search_runs([exp.experiment_id])
        for exp in client.search_experiments()
        if exp.name.startswith("shall_we_gans.")
    }
    assert set(runs) == {"shall_we_gans.gaussian_2d", "shall_we_gans.report"}
    (gaussian,) = runs["shall_we_gans.gaussian_2d"]
    assert gaussian.info.run_name == "gaussian_2d" and gaussian.info.status == "FINISHED"
    models = [a.path for a in client.list_artifacts(gaussian.info.run_id, "models")]
    assert models == ["models/gaussian_2d_generator.pt"]
    report = next((project / "data/08_reporting/report.md").glob("*/report.md")).read_text()
    assert f"Run `{gaussian.info.run_id}`" in report
    assert f"| {gaussian.data.metrics['mean_error']:.3g} |" in report
