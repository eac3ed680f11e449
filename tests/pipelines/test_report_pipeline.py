"""``report`` on a store where two studies ran and the others did not."""

from contextlib import chdir
from pathlib import Path

import mlflow
import pandas as pd
import pytest

from shall_we_gans.reporting import render
from shall_we_gans.reporting.provenance import ENV_TAG, LOCAL_TAG
from tests.kedro_project import copy_project, run_pipeline

README = "# r\n\n<!-- results:start -->\nstale\n<!-- results:end -->\n\nend\n"


def _log_run(uri: str, study: str, metrics: dict, status: str = "FINISHED") -> str:
    client = mlflow.MlflowClient(uri)
    name = f"shall_we_gans.{study}"
    experiment = client.get_experiment_by_name(name)
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(name)
    # what the project's hook records: the profile, and an empty conf/local
    run = client.create_run(experiment_id, run_name=study, tags={ENV_TAG: "base", LOCAL_TAG: "{}"})
    for key, value in metrics.items():
        client.log_metric(run.info.run_id, key, value)
    client.set_terminated(run.info.run_id, status=status)
    return run.info.run_id


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("report") / "project")
    (project / "README.md").write_text(README)
    uri = f"sqlite:///{project / 'mlflow.db'}"
    with chdir(project):  # the store's default artifact folder: inside the project
        _log_run(uri, "gaussian_2d", {"mean_error": 9.0})  # older: superseded
        newest = _log_run(uri, "gaussian_2d", {"mean_error": 0.0421, "cov_error": 0.1})
        _log_run(uri, "gaussian_2d", {"mean_error": 7.0}, status="FAILED")  # not finished
        seeds = {f"grid.{p}.seed{s}.modes_covered": 20.0 + s + (p == "bourgain")
                 for s in range(3) for p in ("gaussian", "bourgain")}  # fmt: skip
        means = {
            f"grid.{p}.modes_covered": 21.0 + (p == "bourgain") for p in ("gaussian", "bourgain")
        }
        grid = _log_run(uri, "missing_modes", seeds | means)
    run_pipeline(project, "report")
    table = pd.read_csv(next((project / "data/08_reporting/report_table.csv").glob("*/*.csv")))
    markdown = next((project / "data/08_reporting/report.md").glob("*/report.md")).read_text()
    return project, table, markdown, {"gaussian_2d": newest, "missing_modes": grid}


def test_every_number_is_the_metric_of_the_latest_finished_run(reported):
    project, table, markdown, run_ids = reported
    client = mlflow.MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    measured = table.dropna(subset=["value"])
    assert set(measured["study"]) == {"gaussian_2d", "missing_modes"}
    for _, row in measured.iterrows():
        assert row["run_id"] == run_ids[row["study"]]
        logged = client.get_run(row["run_id"]).data.metrics[row["metric"]]
        assert row["value"] == logged
        assert f"| {render.measured(row)} |" in markdown
    bourgain = table.set_index("metric").loc["grid.bourgain.modes_covered"]
    assert (bourgain["value"], bourgain["n_seeds"], bourgain["std"]) == (22.0, 3, 1.0)


def test_studies_without_a_finished_run_read_not_run(reported):
    _, table, markdown, _ = reported
    absent = table[~table["study"].isin(["gaussian_2d", "missing_modes"])]
    assert len(absent) and absent["value"].isna().all() and absent["run_id"].isna().all()
    for study in set(absent["study"]):
        assert f"no finished run `{study}`" in markdown
    assert "9" not in table.loc[table["metric"] == "mean_error", "value"].astype(str).iloc[0]


def test_html_report_inlines_the_figures_and_the_run_holds_both_files(reported):
    project, *_ = reported
    html = next((project / "data/08_reporting/report.html").glob("*/report.html")).read_text()
    assert "<table>" in html and "0.0421" in html
    client = mlflow.MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    (run,) = client.search_runs(
        [client.get_experiment_by_name("shall_we_gans.report").experiment_id]
    )
    assert run.info.status == "FINISHED"
    assert {a.path for a in client.list_artifacts(run.info.run_id, "report")} == {
        "report/report.md",
        "report/report.html",
    }


def test_readme_block_is_the_one_rendered_from_the_report_table(reported):
    project, table, _, _ = reported
    text = (project / "README.md").read_text()
    assert text.startswith("# r\n\n<!-- results:start -->\n") and text.endswith("end\n")
    assert render.readme_block(table) in text and "stale" not in text


def test_the_committed_readme_has_the_generated_block():
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "<!-- results:start -->" in text and "<!-- results:end -->" in text
