"""Same seed and parameters => identical metrics on CPU, for every pipeline (tiny budgets).

The first run is the one the pipeline's own tests use (``tiny_run``); this test runs it again.
"""

from __future__ import annotations

import pytest

from tests.kedro_project import run_in_fresh_project
from tests.tiny import BEFORE, TINY


def test_every_pipeline_is_covered():
    from kedro.framework.project import configure_project, pipelines

    configure_project("shall_we_gans")
    # report logs no metrics of its own: tests/pipelines/test_report_pipeline.py runs it
    assert set(TINY) == set(pipelines) - {"__default__", "report"}


def comparable(run) -> dict[str, float]:
    return {k: v for k, v in run.data.metrics.items() if "samples_per_s" not in k}


@pytest.mark.slow
@pytest.mark.parametrize("pipeline", sorted(TINY))
def test_same_seed_gives_identical_metrics(tmp_path, pipeline, tiny_run):
    _, first = tiny_run(pipeline)
    _, second = run_in_fresh_project(
        tmp_path / "again", pipeline, TINY[pipeline], BEFORE.get(pipeline)
    )
    assert comparable(first) and comparable(first) == comparable(second)
