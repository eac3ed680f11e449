"""Nodes of ``report``: read the finished runs, copy their figures, write the report out."""

from __future__ import annotations

import pandas as pd

from shall_we_gans.params.report import ReportBlock
from shall_we_gans.reporting import render, runs

# Figures sit beside the versioned report file: data/08_reporting/report.md/<version>/report.md
FIGURE_DIR = "../../report_figures"


def collect_report_table(report: ReportBlock) -> pd.DataFrame:
    """One row per (study, metric): measured value (± std over seeds), paper, ideal, run id."""
    return runs.report_rows(report)


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


def write_readme_results(table: pd.DataFrame) -> str:
    """The README's generated results block (the headline rows)."""
    return render.readme_block(table)
