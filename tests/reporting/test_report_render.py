"""The report's pieces: per-seed summaries, number formatting, "not run", the README block."""

import math

import pandas as pd
import pytest

from shall_we_gans.io.text_files import MarkedBlockDataset
from shall_we_gans.params.report import ReportBlock
from shall_we_gans.reporting import render
from shall_we_gans.reporting.runs import COLUMNS, summarise


def test_summary_takes_the_logged_mean_and_the_spread_of_the_seed_metrics():
    metrics = {
        "grid.bourgain.modes_covered": 24.0,
        "grid.bourgain.seed0.modes_covered": 25.0,
        "grid.bourgain.seed1.modes_covered": 23.0,
        "grid.gaussian.seed0.modes_covered": 1.0,  # another variant: not mixed in
        "grid.bourgain.seed0.hq_fraction": 0.5,  # another metric: not mixed in
    }
    summary = summarise(metrics, "grid.bourgain.modes_covered")
    assert summary.value == 24.0 and summary.n_seeds == 2
    assert summary.std == pytest.approx(math.sqrt(2.0))  # sample std of 25 and 23
    alone = summarise({"mean_error": 0.1}, "mean_error")
    assert (alone.value, alone.std, alone.n_seeds) == (0.1, None, 0)
    assert summarise({}, "absent").value is None


@pytest.mark.parametrize(
    ("value", "text"), [(25.0, "25"), (0.91912, "0.919"), (None, ""), (float("nan"), "")]
)
def test_numbers_are_printed_plainly(value, text):
    assert render.fmt(value) == text


def _table(**overrides) -> pd.DataFrame:
    row = dict.fromkeys(COLUMNS)
    row |= {"study": "s", "metric": "m", "what": "w", "headline": True, "n_seeds": 0}
    return pd.DataFrame([row | overrides], columns=COLUMNS)


def test_a_study_without_a_run_reads_not_run_never_a_number():
    report = ReportBlock.model_validate(
        {"experiment_prefix": "p", "studies": {"s": {"title": "t", "rows": [{"metric": "m",
         "what": "w", "paper": 1.5, "source": "a paper"}], "figures": ["f.png"]}}}
    )  # fmt: skip
    text = render.markdown_report(_table(paper=1.5, source="a paper"), report, "figs")
    assert "**Not run**" in text and "| not run | 1.5 (a paper) |" in text
    assert "f.png" not in text  # no figure of a run that does not exist
    ran = _table(run_id="abc", value=2.0, std=0.5, n_seeds=3, finished="today")
    assert "2 ± 0.5 (3 seeds)" in render.markdown_report(ran, report, "figs")


def test_readme_block_holds_only_headline_rows(tmp_path):
    table = pd.concat([_table(metric="a", run_id="r", value=1.0), _table(metric="b")])
    table["headline"] = [True, False]
    block = render.readme_block(table)
    assert block.count("\n| `s` |") == 1 and "| 1 |" in block


def test_marked_block_replaces_only_its_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("head\n<!-- r:start -->\nold\n<!-- r:end -->\ntail\n")
    block = MarkedBlockDataset(str(readme), marker="r")
    block.save("new\nlines")
    assert readme.read_text() == "head\n<!-- r:start -->\nnew\nlines\n<!-- r:end -->\ntail\n"
    assert block.load() == "new\nlines\n"
    readme.write_text("no markers\n")
    with pytest.raises(Exception, match="README.md has no block between <!-- r:start -->"):
        block.save("x")
    assert readme.read_text() == "no markers\n"


def test_a_row_below_its_quality_gate_is_marked_and_not_compared():
    row = _table(run_id="r", value=811.0, paper=715.2, source="BourGAN", flag="not digits")
    [cells] = row.to_dict("records")
    assert render.measured(cells) == "811, not digits"
    assert render.paper(cells) == "not compared: 715 (BourGAN)"
    clean = _table(run_id="r", value=811.0, paper=715.2, source="BourGAN").to_dict("records")[0]
    assert render.paper(clean) == "715 (BourGAN)"


def test_report_rows_flag_a_cell_below_agreement_or_far_from_real():
    import mlflow

    from shall_we_gans.reporting.runs import report_rows

    mlflow.set_experiment("p.s")
    with mlflow.start_run(run_name="s"):
        mlflow.log_metrics({"a.modes": 16, "a.agree": 0.99, "a.fd": 1250, "real.fd": 15})
        mlflow.log_metrics({"b.modes": 800, "b.agree": 0.6, "b.fd": 90})
        mlflow.log_metrics({"c.modes": 900, "c.agree": 0.9, "c.fd": 60})
    gated = {"gate_min": 0.8, "far_ref": "real.fd", "gate_label": "not digits"}
    rows = [
        {"metric": f"{k}.modes", "what": k, "gate": f"{k}.agree", "far": f"{k}.fd", **gated}
        for k in "abc"
    ]
    report = ReportBlock.model_validate(
        {
            "experiment_prefix": "p",
            "allow_overrides": True,
            "studies": {"s": {"title": "t", "rows": rows}},
        }
    )  # this untagged run has no recorded profile: allow_overrides lets it be read
    flags = report_rows(report).set_index("metric")["flag"]
    assert flags[["a.modes", "b.modes"]].tolist() == ["not digits", "not digits"]
    assert flags.isna()["c.modes"]
