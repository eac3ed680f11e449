"""Record every pipeline's metrics at its tiny budget (``tests/tiny.py``) as JSON.

``python scripts/record_tiny_metrics.py OUT.json`` runs each pipeline in a fresh project copy,
as the test suite does, and writes ``{pipeline: {metric: value}}`` (throughputs left out).
``tests/pipelines/test_pipeline_reproducibility.py`` compares the suite's own tiny runs with the
file it holds, so a refactor that should change no number is checked against the numbers
recorded before it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.kedro_project import run_in_fresh_project  # noqa: E402
from tests.tiny import BEFORE, TINY  # noqa: E402


def comparable(run) -> dict[str, float]:
    """A run's metrics without the throughputs, which depend on the machine's load."""
    return {k: v for k, v in sorted(run.data.metrics.items()) if "samples_per_s" not in k}


def main(out: str) -> None:
    recorded = {}
    with tempfile.TemporaryDirectory() as tmp:
        for pipeline in sorted(TINY):
            root = Path(tmp) / pipeline / "project"
            _, run = run_in_fresh_project(root, pipeline, TINY[pipeline], BEFORE.get(pipeline))
            recorded[pipeline] = comparable(run)
            print(pipeline, len(recorded[pipeline]), "metrics", flush=True)
    Path(out).write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
