"""Same seed and parameters => identical metrics on CPU, for every pipeline (tiny budgets).

The first run is the one the pipeline's own tests use (``tiny_run``); this test runs it again,
and compares both with ``tiny_metrics_recorded.json`` (``scripts/record_tiny_metrics.py``),
first recorded before the training recipe moved into ``gan.run``. A change that should leave
every study's numbers alone is checked against them; one that adds metrics or means to change
numbers records the file anew, and its commit says which values changed (none, so far: the
Stacked MNIST judges and the second classifier only added keys)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from tests.kedro_project import run_in_fresh_project
from tests.tiny import BEFORE, TINY

RECORDED = json.loads((Path(__file__).with_name("tiny_metrics_recorded.json")).read_text())


def test_every_pipeline_is_covered():
    from kedro.framework.project import configure_project, pipelines

    configure_project("shall_we_gans")
    # report logs no metrics of its own: tests/pipelines/test_report_pipeline.py runs it
    assert set(TINY) == set(pipelines) - {"__default__", "report"}
    assert set(RECORDED) == set(TINY)


def comparable(run) -> dict[str, float]:
    return {k: v for k, v in run.data.metrics.items() if "samples_per_s" not in k}


def differences(measured: dict[str, float], recorded: dict[str, float]) -> list[str]:
    """Names missing on either side, or whose values differ beyond float rounding."""
    out = sorted(set(measured) ^ set(recorded))
    for name in sorted(set(measured) & set(recorded)):
        a, b = measured[name], recorded[name]
        same = (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
        if not same:
            out.append(f"{name}: {a!r} != recorded {b!r}")
    return out


def test_differences_catch_a_changed_or_missing_metric():
    recorded = {"a": 1.0, "b": float("nan"), "c": 2.0}
    assert differences(dict(recorded), recorded) == []
    assert differences({"a": 1.0 + 1e-6, "b": float("nan"), "c": 2.0}, recorded) == [
        "a: 1.000001 != recorded 1.0"
    ]
    assert differences({"a": 1.0, "b": float("nan")}, recorded) == ["c"]


@pytest.mark.slow
@pytest.mark.parametrize("pipeline", sorted(TINY))
def test_same_seed_gives_identical_metrics(tmp_path, pipeline, tiny_run):
    _, first = tiny_run(pipeline)
    _, second = run_in_fresh_project(
        tmp_path / "again", pipeline, TINY[pipeline], BEFORE.get(pipeline)
    )
    assert comparable(first) and comparable(first) == comparable(second)
    assert differences(comparable(first), RECORDED[pipeline]) == []
