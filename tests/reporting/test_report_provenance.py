"""The report reads each study's newest run at a profile's own parameters, says which run it
used and what differed from the profile, prints every study it skipped and why, and never
blanks the README block (issue 28, defect 3)."""

import json
import logging
import shutil
from collections.abc import Iterator
from contextlib import chdir, contextmanager
from itertools import count
from pathlib import Path

import mlflow
import pandas as pd
import pytest

from shall_we_gans.reporting import render
from shall_we_gans.reporting.provenance import (
    ENV_TAG,
    LOCAL_TAG,
    OVERRIDES_TAG,
    provenance,
    run_tags,
)
from shall_we_gans.reporting.runs import COLUMNS
from tests.kedro_project import copy_project, nested, run_pipeline

OLD_ROW = "| `text_lattice` | 平成 samples on the glyphs | 0.544 |  | 1 |"
PREVIOUS = f"an earlier note\n\n| study | metric |\n|---|---|\n{OLD_ROW}\n"
README = f"# r\n\n<!-- results:start -->\n{PREVIOUS}<!-- results:end -->\n\nend\n"
LONG_TEXT = "平成" * 1500
_clock = count(1_700_000_000_000, 60_000)  # start times one minute apart: a clear order


def _tags(env=None, params=None, local=None) -> dict[str, str]:
    return run_tags(env, nested(params or {}), nested(local or {}))


def _log_run(project: Path, study: str, metrics: dict, tags: dict) -> str:
    with chdir(project):  # the store's default artifact folder: inside the project
        return _create_run(project, study, metrics, tags)


def _create_run(project: Path, study: str, metrics: dict, tags: dict) -> str:
    client = mlflow.MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    name = f"shall_we_gans.{study}"
    found = client.get_experiment_by_name(name)
    experiment_id = found.experiment_id if found else client.create_experiment(name)
    run = client.create_run(experiment_id, start_time=next(_clock), tags=tags, run_name=study)
    for key, value in metrics.items():
        client.log_metric(run.info.run_id, key, value)
    client.set_terminated(run.info.run_id, status="FINISHED")
    return run.info.run_id


@contextmanager
def _report_log() -> Iterator[list[str]]:
    """The report nodes' log lines while the block runs."""
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger = logging.getLogger("shall_we_gans.pipelines.report.nodes")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _report(project: Path, **kwargs) -> tuple[pd.DataFrame, str, str, list[str]]:
    """Run ``report``; its newest table and report.md, the README and the log lines."""
    with _report_log() as lines:
        run_pipeline(project, "report", **kwargs)
    reporting = project / "data/08_reporting"
    table = pd.read_csv(sorted((reporting / "report_table.csv").glob("*/*.csv"))[-1])
    markdown = sorted((reporting / "report.md").glob("*/report.md"))[-1].read_text()
    return table, markdown, (project / "README.md").read_text(), lines


def _report_run_tags(project: Path) -> dict[str, str]:
    client = mlflow.MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    experiment = client.get_experiment_by_name("shall_we_gans.report")
    (newest, *_) = client.search_runs(
        [experiment.experiment_id], order_by=["attributes.start_time DESC"]
    )
    return newest.data.tags


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A project whose studies ran at their profile, overridden, or both; run ids by name."""
    project = copy_project(tmp_path_factory.mktemp("provenance") / "project")
    (project / "README.md").write_text(README)
    (project / "conf/local/parameters.yml").write_text("report: {profiles: [base, cpu]}\n")
    ids = {
        "clean": _log_run(project, "gaussian_2d", {"mean_error": 0.0421}, _tags()),
        "steps": _log_run(
            project, "gaussian_2d", {"mean_error": 9.0}, _tags(params={"gaussian_2d.steps": 20})
        ),  # kedro-mlflow's own tags only (a run from before the project tagged runs):
        "legacy": _log_run(
            project,
            "gaussian_2d",
            {"mean_error": 8.0},
            {"runtime_params": "{'gaussian_2d': {'seed': 3}}"},
        ),
        "text": _log_run(
            project,
            "text_lattice",
            {"heisei.on_support": 0.0024},
            _tags(params={"text_lattice.heisei.text": LONG_TEXT}),
        ),
        "cpu": _log_run(project, "gradient_vanishing", {"g_grad_norm_ratio": 70.9}, _tags("cpu")),
        "paper": _log_run(project, "missing_modes", {}, _tags("paper")),
        "local": _log_run(project, "classifier", {}, _tags(local={"classifier.epochs": 1})),
    }
    return project, ids, _report(project)


def test_each_study_is_read_from_its_newest_run_at_a_profiles_own_parameters(store):
    _, ids, (table, markdown, _, lines) = store
    used = table.groupby("study", sort=False)["run_id"].first()
    assert used["gaussian_2d"] == ids["clean"] and used["gradient_vanishing"] == ids["cpu"]
    assert used[["text_lattice", "missing_modes", "classifier"]].isna().all()
    assert f"Run `{ids['clean']}` (profile `base`, its own parameters)" in markdown
    assert f"Run `{ids['cpu']}` (profile `cpu`, its own parameters)" in markdown
    passed = table.set_index("metric").loc["mean_error", "passed_over"]
    assert f"`{ids['legacy']}` (profile `base`, `--params` gaussian_2d.seed=3" in passed
    assert f"`{ids['steps']}` (profile `base`, `--params` gaussian_2d.steps=20)" in passed
    assert any(line.startswith(f"report: gaussian_2d: run {ids['clean']}") for line in lines)


def test_every_skipped_study_is_printed_with_its_reason(store):
    _, ids, (_, markdown, _, lines) = store
    reasons = {
        "text_lattice": f"`{ids['text']}`: profile `base`, `--params` text_lattice.heisei.text=",
        "missing_modes": "profile `paper`",
        "classifier": "conf/local classifier.epochs=1",
        "adda": "no finished run",
    }
    for study, reason in reasons.items():
        (line,) = [line for line in lines if line.startswith(f"report: {study}: skipped")]
        assert reason in line
    assert "3000 characters" in markdown and LONG_TEXT not in markdown
    assert markdown.count("**Skipped**") == 3


def test_the_readme_block_shows_no_overridden_run_and_keeps_a_skipped_studys_rows(store):
    _, _, (_, _, readme, _) = store
    block = readme.split("<!-- results:start -->\n")[1].split("<!-- results:end -->")[0]
    assert "| `gaussian_2d` | distance of the sample mean to p_data's | 0.0421 |" in block
    assert "| 70.9 |" in block and OLD_ROW in block and "0.0024" not in block
    assert "| 9 |" not in block and "| 8 |" not in block
    assert "Kept from the previous block, for want of such a run: `text_lattice`." in block
    assert "at the own parameters of profile `base` or `cpu`" in block


def test_allow_overrides_reports_the_newest_run_and_says_what_differed(store):
    project, ids, _ = store
    table, markdown, readme, _ = _report(project, params={"report.allow_overrides": True})
    used = table.groupby("study", sort=False)["run_id"].first()
    assert used["gaussian_2d"] == ids["legacy"] and used["text_lattice"] == ids["text"]
    assert "`--params` gaussian_2d.seed=3, conf/local not recorded" in markdown
    assert "| 8 |" in readme and "0.0024" in readme and "whatever its parameters" in readme
    tags = _report_run_tags(project)  # the hook tagged the report's own run
    assert tags[ENV_TAG] == "base"
    assert json.loads(tags[OVERRIDES_TAG]) == {"report.allow_overrides": "True"}
    assert json.loads(tags[LOCAL_TAG]) == {"report.profiles": "['base', 'cpu']"}


def test_with_no_run_to_show_the_readme_block_is_left_as_it_is(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "README.md").write_text(README)
    (project / "conf/local/parameters.yml").write_text("report: {profiles: [base]}\n")
    shutil.copy(project / "conf/local/mlflow.yml", project / "conf/cpu/mlflow.yml")
    _log_run(project, "text_lattice", {"heisei.on_support": 0.0024}, _tags(params={"a.b": 1}))
    _, markdown, readme, lines = _report(project, env="cpu")
    assert readme == README
    assert any("README results block left as it was" in line for line in lines)
    assert "**Skipped**" in markdown and "0.0024" not in markdown
    tags = _report_run_tags(project)  # --env cpu: conf/local is not read
    assert (tags[ENV_TAG], tags[OVERRIDES_TAG], tags[LOCAL_TAG]) == ("cpu", "{}", "{}")


def test_provenance_reads_back_the_tags_and_kedro_mlflows_older_ones():
    local = provenance(_tags("local", local={"missing_modes.seeds": [5, 6]}))
    assert (local.profile, local.overrides, local.local) == (
        "base", {}, {"missing_modes.seeds": "[5, 6]"}
    )  # fmt: skip
    assert provenance(_tags("cpu")).changed == {}
    assert (
        provenance({}).describe() == "profile `base`, its own parameters, conf/local not recorded"
    )
    assert provenance({"env": "paper"}).profile == "paper"
    long = run_tags(None, {"t": {"text": LONG_TEXT}}, {})[OVERRIDES_TAG]
    assert len(long) < 200 and "(3000 characters)" in long
    many = run_tags(None, {f"k{i}": LONG_TEXT for i in range(200)}, {})[OVERRIDES_TAG]
    assert len(many) <= 5000 and provenance({ENV_TAG: "base", OVERRIDES_TAG: many}).changed


def test_readme_block_keeps_only_the_rows_of_studies_without_a_run():
    rows = [dict.fromkeys(COLUMNS) | {"study": s, "metric": "m", "what": "w", "headline": True,
            "n_seeds": 0} for s in ("gaussian_2d", "text_lattice")]  # fmt: skip
    rows[0] |= {"run_id": "r", "value": 0.5}
    block = render.readme_block(pd.DataFrame(rows, columns=COLUMNS), PREVIOUS)
    assert "| `gaussian_2d` | w | 0.5 |" in block and OLD_ROW in block
    assert "an earlier note" not in block
