"""Read each study's latest finished MLflow run and summarise its metrics; nothing recomputed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import mlflow
import numpy as np
import pandas as pd
from mlflow.entities import Run

from shall_we_gans.params.report import ReportBlock
from shall_we_gans.reporting.provenance import Provenance, provenance

COLUMNS = [
    "study", "metric", "what", "value", "std", "n_seeds", "paper", "source", "ideal",
    "headline", "run_id", "run_name", "finished", "params", "flag", "provenance", "passed_over",
    "skipped",
]  # fmt: skip
PAGE = 200  # finished runs of a study read from the store at a time, newest first


def finished_runs(experiment: str, run_name: str) -> Iterator[Run]:
    """The FINISHED runs called ``run_name`` in ``experiment``, newest first, read page by page
    (a sweep of overridden runs cannot hide an older run at a profile's own parameters)."""
    found = mlflow.get_experiment_by_name(experiment)
    if found is None:
        return
    client, token = mlflow.MlflowClient(), None
    while True:
        page = client.search_runs(
            [found.experiment_id],
            filter_string=f"attributes.status = 'FINISHED' and attributes.run_name = '{run_name}'",
            order_by=["attributes.start_time DESC"],
            max_results=PAGE,
            page_token=token,
        )
        yield from page
        token = page.token
        if not token:
            return


@dataclass(frozen=True)
class Choice:
    """The run a study is reported from (None: not run, or skipped: ``why``), and the newer
    finished runs passed over because their parameters were not a reported profile's own."""

    run: Run | None
    provenance: Provenance | None
    passed_over: list[tuple[str, Provenance]]
    why: str | None = None


def reportable(found: Provenance, report: ReportBlock) -> bool:
    """A run of a reported profile at its own parameters (conf/local recorded, and empty), or
    any run with ``allow_overrides``."""
    own = found.local is not None and not found.changed
    return report.allow_overrides or (found.profile in report.profiles and own)


def choose_run(runs: Iterable[Run], report: ReportBlock) -> Choice:
    """The newest of ``runs`` at a reported profile's own parameters (with
    ``allow_overrides``: the newest, whatever its parameters)."""
    passed: list[tuple[str, Provenance]] = []
    for run in runs:
        found = provenance(run.data.tags)
        if reportable(found, report):
            return Choice(run, found, passed)
        passed.append((run.info.run_id, found))
    if not passed:
        return Choice(None, None, [])
    run_id, newest = passed[0]
    why = (
        f"none of its {len(passed)} finished run(s) is at the own parameters of "
        f"{' or '.join(report.profiles)} (newest `{run_id}`: {newest.describe()}; "
        "`report.allow_overrides: true` reports it)"
    )
    return Choice(None, None, passed, why)


def passed_over_text(passed: list[tuple[str, Provenance]]) -> str:
    """The newer runs a study's report did not use, for a reader."""
    return "; ".join(f"`{run_id}` ({found.describe()})" for run_id, found in passed[:3]) + (
        f"; and {len(passed) - 3} more" if len(passed) > 3 else ""
    )


@dataclass(frozen=True)
class Summary:
    """A metric's value, and the sample std of its per-seed values when it has two or more."""

    value: float | None
    std: float | None
    n_seeds: int


def summarise(metrics: Mapping[str, float], key: str) -> Summary:
    """``key``'s value in ``metrics`` with the spread of ``<head>.seedN.<last>``, if logged."""
    head, _, last = key.rpartition(".")
    prefix = re.escape(f"{head}." if head else "")
    per_seed = re.compile(rf"^{prefix}seed\d+\.{re.escape(last)}$")
    seeds = [v for k, v in metrics.items() if per_seed.match(k)]
    std = float(np.std(seeds, ddof=1)) if len(seeds) >= 2 else None
    return Summary(metrics.get(key), std, len(seeds))


def report_rows(report: ReportBlock) -> pd.DataFrame:
    """One row per (study, metric) of ``report``: the measured value beside the paper's number
    and the ideal; a study without a finished run has empty values and no run id."""
    rows = []
    for study, section in report.studies.items():
        choice = choose_run(finished_runs(f"{report.experiment_prefix}.{study}", study), report)
        run = choice.run
        metrics = run.data.metrics if run else {}
        shown = {k: run.data.params.get(k) for k in section.params} if run else {}
        for row in section.rows:
            summary = summarise(metrics, row.metric)
            ideal = metrics.get(row.ideal_metric) if row.ideal_metric else row.ideal
            gate = metrics.get(row.gate) if row.gate else None
            far, ref = (metrics.get(row.far), metrics.get(row.far_ref)) if row.far else (None, None)
            failed = gate is not None and gate < row.gate_min
            failed |= far is not None and ref is not None and far > row.far_factor * ref
            flag = row.gate_label if failed else None
            rows.append(
                {
                    "study": study,
                    "metric": row.metric,
                    "what": row.what,
                    "value": summary.value,
                    "std": summary.std,
                    "n_seeds": summary.n_seeds,
                    "paper": row.paper,
                    "source": row.source,
                    "ideal": ideal,
                    "headline": row.headline,
                    "run_id": run.info.run_id if run else None,
                    "run_name": study,
                    "finished": _iso(run.info.end_time) if run else None,
                    "params": ", ".join(f"{k}={v}" for k, v in shown.items()),
                    "flag": flag,
                    "provenance": choice.provenance.describe() if run else None,
                    "passed_over": passed_over_text(choice.passed_over) or None,
                    "skipped": choice.why,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def _iso(millis: int | None) -> str | None:
    if millis is None:
        return None
    return pd.Timestamp(millis, unit="ms", tz="UTC").strftime("%Y-%m-%d %H:%M UTC")


def run_figures(run_id: str, names: list[str]) -> dict[str, bytes]:
    """The named artifacts of a run, as bytes (those the run does not hold are left out)."""
    client = mlflow.MlflowClient()
    held = {a.path for a in client.list_artifacts(run_id)}
    figures = {}
    for name in names:
        if name in held:
            local = mlflow.artifacts.download_artifacts(run_id=run_id, artifact_path=name)
            with open(local, "rb") as f:
                figures[name] = f.read()
    return figures
