"""Same seed and parameters => identical metrics on CPU, for every pipeline (tiny budgets)."""

from __future__ import annotations

import pytest
from test_adda_pipelines import TINY_ADDA
from test_gaussian_2d_pipeline import TINY as TINY_GAUSSIAN
from test_gradient_vanishing_pipeline import TINY as TINY_VANISHING
from test_prior_comparison_pipelines import TINY_MODES, TINY_TEXT
from test_text_lattice_pipeline import TINY as TINY_LATTICE

from tests.kedro_project import run_in_fresh_project

TINY = {
    "data_preparation": {"stacked_mnist.n": 50},
    "gaussian_2d": TINY_GAUSSIAN,
    "text_lattice": TINY_LATTICE,
    "gradient_vanishing": TINY_VANISHING,
    "missing_modes": {**TINY_MODES, "missing_modes.seeds": [0]},
    "text_modes": {**TINY_TEXT, "text_modes.seeds": [0]},
    "classifier": {"classifier.epochs": 1, "classifier.device": "cpu"},
    "adda": TINY_ADDA,
}


def test_every_pipeline_is_covered():
    from kedro.framework.project import configure_project, pipelines

    configure_project("shall_we_gans")
    assert set(TINY) == set(pipelines) - {"__default__"}


@pytest.mark.parametrize("pipeline", sorted(TINY))
def test_same_seed_gives_identical_metrics(tmp_path, pipeline):
    metrics = []
    for name in ("first", "second"):
        _, run = run_in_fresh_project(tmp_path / name, pipeline, TINY[pipeline])
        metrics.append({k: v for k, v in run.data.metrics.items() if "samples_per_s" not in k})
    assert metrics[0] and metrics[0] == metrics[1]
