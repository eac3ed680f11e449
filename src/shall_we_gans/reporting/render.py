"""Write the report table out: Markdown, one self-contained HTML page, the README's block."""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence

import pandas as pd

from shall_we_gans.params.report import ReportBlock

NOT_RUN = "not run"
HEADER = ("metric", "what", "measured", "paper / anchor", "ideal")


def _present(value: object) -> bool:
    """Not None, NaN (an empty CSV cell) or an empty string."""
    return not (value is None or value == "" or (isinstance(value, float) and math.isnan(value)))


def fmt(value: object) -> str:
    """A number as a reader wants it: integers plain, others to 3 significant digits."""
    if not _present(value):
        return ""
    value = float(value)
    if value.is_integer() and abs(value) < 1e6:
        return str(int(value))
    return f"{value:.3g}"


def measured(row: Mapping) -> str:
    """``mean ± std (n seeds)``, the value alone, or "not run"."""
    if not _present(row["run_id"]):
        return NOT_RUN
    if not _present(row["value"]):
        return "not logged"
    text = fmt(row["value"])
    if _present(row["std"]):
        text += f" ± {fmt(row['std'])} ({int(row['n_seeds'])} seeds)"
    if _present(row.get("flag")):
        text += f", {row['flag']}"
    return text


def paper(row: Mapping) -> str:
    """The paper's number and source; "not compared" when the row's quality gate failed."""
    if not _present(row["paper"]):
        return ""
    shown = f"{fmt(row['paper'])} ({row['source']})"
    return f"not compared: {shown}" if _present(row.get("flag")) else shown


def _cells(row: Mapping) -> tuple[str, ...]:
    return (f"`{row['metric']}`", row["what"], measured(row), paper(row), fmt(row["ideal"]))


def _md_table(lines: list[tuple[str, ...]], header: tuple[str, ...]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |" for cells in lines]


def _run_line(study: str, rows: pd.DataFrame, prefix: str) -> str:
    first = rows.iloc[0]
    if not _present(first["run_id"]):
        if _present(first.get("skipped")):
            return f"**Skipped**: {first['skipped']}."
        return (
            f"**Not run**: no finished run `{study}` in experiment `{prefix}.{study}` "
            f"(`kedro run --pipelines {study}`)."
        )
    line = f"Run `{first['run_id']}` ({first['provenance']}), finished {first['finished']}."
    if _present(first.get("passed_over")):
        line += f" Newer runs passed over: {first['passed_over']}."
    if _present(first["params"]):
        line += f" Parameters: `{first['params']}`."
    return line


def source_text(profiles: Sequence[str], allow_overrides: bool) -> str:
    """Which run of each study the report reads."""
    if allow_overrides:
        return (
            "each study's newest finished MLflow run, whatever its parameters "
            "(`report.allow_overrides: true`)"
        )
    names = " or ".join(f"`{p}`" for p in profiles)
    return (
        f"each study's newest finished MLflow run at the own parameters of profile {names} "
        "(no `--params`, no conf/local keys)"
    )


def markdown_report(table: pd.DataFrame, report: ReportBlock, figure_dir: str) -> str:
    """The whole report in Markdown; figures are linked under ``figure_dir/<study>/``."""
    out = [
        "# Shall We GANs: results",
        "",
        f"Every value is read from {source_text(report.profiles, report.allow_overrides)}; "
        "nothing is recomputed. Values with seeds are mean ± sample std over the evaluation seeds. "
        "`ideal` is the best value possible (for a ceiling measured on real data, that "
        "measurement).",
    ]
    for study, section in report.studies.items():
        rows = table[table["study"] == study]
        out += ["", f"## `{study}`: {section.title}", ""]
        if section.note:
            out += [section.note, ""]
        out += [_run_line(study, rows, report.experiment_prefix), ""]
        out += _md_table([_cells(r) for _, r in rows.iterrows()], HEADER)
        if _present(rows.iloc[0]["run_id"]):
            out += [""] + [f"![{name}]({figure_dir}/{study}/{name})" for name in section.figures]
    return "\n".join(out) + "\n"


def html_report(markdown_text: str, figures: Mapping[str, bytes], figure_dir: str) -> str:
    """The Markdown report as one HTML page with its figures inlined (it opens anywhere)."""
    import markdown

    body = markdown.markdown(markdown_text, extensions=["tables"])
    for key, data in figures.items():
        encoded = base64.b64encode(data).decode("ascii")
        body = body.replace(f'src="{figure_dir}/{key}"', f'src="data:image/png;base64,{encoded}"')
    style = (
        "body{font-family:sans-serif;max-width:70em;margin:2em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}"
        "img{max-width:100%}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Shall We GANs: results"
        f"</title><style>{style}</style></head><body>{body}</body></html>\n"
    )


def previous_rows(previous: str, study: str) -> list[str]:
    """The rows of ``study`` in an earlier README block."""
    return [line for line in previous.splitlines() if line.startswith(f"| `{study}` |")]


README_HEADER = ("study", "metric", "measured", "paper / anchor", "ideal")


def _readme_rows(study: str, rows: pd.DataFrame) -> list[str]:
    cells = [
        (f"`{study}`", r["what"], measured(r), paper(r), fmt(r["ideal"]))
        for _, r in rows.iterrows()
    ]
    return _md_table(cells, README_HEADER)[2:]


def readme_block(
    table: pd.DataFrame,
    previous: str = "",
    profiles: Sequence[str] = ("base", "cpu"),
    allow_overrides: bool = False,
) -> str:
    """The README's results table: the headline rows of every study; a study without a
    reported run keeps its rows of the ``previous`` block (else it reads "not run")."""
    lines, kept = _md_table([], README_HEADER), []
    for study, rows in table[table["headline"].astype(bool)].groupby("study", sort=False):
        old = previous_rows(previous, str(study))
        if old and not _present(rows.iloc[0]["run_id"]):
            lines, kept = lines + old, [*kept, f"`{study}`"]
        else:
            lines += _readme_rows(str(study), rows)
    note = (
        f"Generated by `kedro run --pipelines report` from {source_text(profiles, allow_overrides)}"
        "; `data/08_reporting/report.md` has every metric, the run ids and the figures."
    )
    if kept:
        note += f" Kept from the previous block, for want of such a run: {', '.join(kept)}."
    return "\n".join([note, "", *lines]) + "\n"
