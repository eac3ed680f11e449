"""The project's Kedro session: Ctrl-C and SIGTERM end the MLflow run as KILLED, not RUNNING."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

import click
from kedro.framework.session import KedroSession

PIPELINES_DIR = Path(__file__).parent / "pipelines"


class Terminated(KeyboardInterrupt):
    """SIGTERM (``docker stop``, ``timeout``, batch schedulers), handled like Ctrl-C."""


def _raise_terminated(signum, frame) -> None:
    raise Terminated(f"received signal {signum}")


class StudySession(KedroSession):
    """``KedroSession`` that closes the active MLflow run as KILLED on Ctrl-C and SIGTERM.

    kedro-mlflow marks a run FAILED when a node raises an ``Exception``; Ctrl-C raises a
    ``BaseException`` that no hook sees, which would leave the run RUNNING for ever. SIGTERM is
    turned into the same exception, so the metric loggers flush what was measured (they are
    context managers) before the run is closed. After SIGKILL nothing can run: the next run
    marks such orphans FAILED (``hooks.fail_orphaned_runs``).
    """

    @classmethod
    def create(cls, project_path=None, *args: Any, env: str | None = None, **kwargs: Any):
        """A session; an environment with no folder under ``conf/`` is an error naming the
        known ones (instead of a confusing error from a plugin later)."""
        env = env or os.getenv("KEDRO_ENV")
        conf = Path(project_path or Path.cwd()) / (kwargs.get("conf_source") or "conf")
        if env and conf.is_dir() and not (conf / env).is_dir():
            known = sorted(p.name for p in conf.iterdir() if p.is_dir())
            raise click.ClickException(f"unknown environment {env!r}; known: {', '.join(known)}")
        return super().create(project_path, *args, env=env, **kwargs)

    def run(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        names = kwargs.get("pipeline_names") or [kwargs.get("pipeline_name")]
        known = {p.name for p in PIPELINES_DIR.iterdir() if (p / "pipeline.py").is_file()}
        unknown = sorted(n for n in names if n and n not in known | {"__default__"})
        if unknown:
            listed = ", ".join(sorted(known))
            raise click.ClickException(f"unknown pipeline {unknown[0]!r}; known: {listed}")
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _raise_terminated) if main else None
        try:
            return super().run(*args, **kwargs)
        except KeyboardInterrupt:
            import mlflow

            while mlflow.active_run() is not None:
                mlflow.end_run(status="KILLED")
            raise
        finally:
            if main:
                signal.signal(signal.SIGTERM, previous)
