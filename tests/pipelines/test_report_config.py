"""The report's configuration names metrics the studies really log (a renamed metric would
otherwise read "not logged" for ever)."""

import pytest
import yaml

from shall_we_gans.params.report import ReportBlock
from shall_we_gans.pipeline_registry import STUDY_ORDER
from tests.kedro_project import PROJECT_ROOT

REPORT = ReportBlock.model_validate(
    yaml.safe_load((PROJECT_ROOT / "conf/base/parameters_report.yml").read_text())["report"]
)


def test_the_report_covers_every_study():
    assert list(REPORT.studies) == [s for s in STUDY_ORDER if s != "report"]


@pytest.mark.slow
@pytest.mark.parametrize("study", list(REPORT.studies))
def test_every_reported_metric_and_figure_is_logged_by_a_tiny_run(tiny_run, study):
    from mlflow import MlflowClient

    project, run = tiny_run(study)
    section = REPORT.studies[study]
    names = [r.metric for r in section.rows] + [r.ideal_metric for r in section.rows]
    missing = [n for n in names if n and n not in run.data.metrics]
    assert not missing, f"{study} does not log {missing}"
    client = MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert set(section.figures) <= artifacts
    assert all(k in run.data.params for k in section.params)
