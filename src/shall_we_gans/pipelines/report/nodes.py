"""Nodes of ``report``: read the finished runs, copy their figures, write the report out."""

from __future__ import annotations

import logging

import pandas as pd

from shall_we_gans.params.report import ReportBlock
from shall_we_gans.reporting import render, runs

# Figures sit beside the versioned report file: data/08_reporting/report.md/<version>/report.md
FIGURE_DIR = "../../report_figures"

log = logging.getLogger(__name__)


def collect_report_table(report: ReportBlock) -> pd.DataFrame:
    """One row per (study, metric): measured value (± std over seeds), paper, ideal, run id;
    says which run each study is reported from, and every study skipped and why."""
    table = runs.report_rows(report)
    for study, rows in table.groupby("study", sort=False):
        level = logging.WARNING if pd.isna(rows.iloc[0]["run_id"]) else logging.INFO
        log.log(level, "report: %s", study_line(str(study), rows.iloc[0]))
    return table


def study_line(study: str, first: pd.Series) -> str:
    """``gaussian_2d: run <id> (profile `base`, its own parameters)`` or why it was skipped."""
    if pd.isna(first["run_id"]):
        why = first["skipped"] if pd.notna(first["skipped"]) else "no finished run"
        return f"{study}: skipped: {why}"
    line = f"{study}: run {first['run_id']} ({first['provenance']})"
    if pd.notna(first["passed_over"]):
        line += f"; newer runs passed over: {first['passed_over']}"
    return line


def fetch_report_figures(table: pd.DataFrame, report: ReportBlock) -> dict[str, bytes]:
    """Each reported run's figures, keyed ``<study>/<file name>``."""
    figures = {}
    for study, section in report.studies.items():
        run_ids = table.loc[table["study"] == study, "run_id"].dropna()
        if len(run_ids) and section.figures:
            for name, data in runs.run_figures(run_ids.iloc[0], section.figures).items():
                figures[f"{study}/{name}"] = data
    return figures


def write_markdown_report(table: pd.DataFrame, report: ReportBlock) -> str:
    """``report.md``: a section per study, its table and figures."""
    return render.markdown_report(table, report, FIGURE_DIR)


def write_html_report(markdown_text: str, figures: dict[str, bytes]) -> str:
    """``report.html``: the same, one self-contained page."""
    return render.html_report(markdown_text, figures, FIGURE_DIR)


def write_readme_results(table: pd.DataFrame, report: ReportBlock, previous: str) -> str:
    """The README's generated results block (the headline rows); the ``previous`` block, as
    it is, when no study has a run the report may show."""
    if table["run_id"].isna().all():
        at = "" if report.allow_overrides else " at a profile's own parameters"
        log.warning(
            "report: README results block left as it was: no study has a finished run%s "
            "(profiles: %s)",
            at,
            ", ".join(report.profiles),
        )
        return previous
    return render.readme_block(table, previous, report.profiles, report.allow_overrides)
