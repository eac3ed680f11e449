"""The project's Kedro session: Ctrl-C and SIGTERM end the MLflow run as KILLED, not RUNNING."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

import click
from kedro.framework.session import KedroSession

from shall_we_gans.runner.signals import Terminated, forward_to_workers

PIPELINES_DIR = Path(__file__).parent / "pipelines"


def _raise_terminated(signum, frame) -> None:
    """SIGTERM: sent on to ParallelRunner's workers (``runner.signals``), then as Ctrl-C."""
    forward_to_workers(signum)
    raise Terminated(f"received signal {signum}")


class StudySession(KedroSession):
    """``KedroSession`` that closes the active MLflow run as KILLED on Ctrl-C and SIGTERM.

    kedro-mlflow marks a run FAILED when a node raises an ``Exception``; Ctrl-C raises a
    ``BaseException`` that no hook sees, which would leave the run RUNNING for ever. SIGTERM is
    turned into the same exception, so the metric loggers flush what was measured (they are
    context managers) before the run is closed; under ParallelRunner it is first sent on to
    the workers, which stop their nodes the same way. After SIGKILL the workers leave
    (``runner.signals``), and the next run marks the run FAILED (``hooks.fail_orphaned_runs``).
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
        """Run the pipelines asked for; ``__default__`` (``kedro run`` alone, no node filter)
        runs every study in ``STUDY_ORDER``, each in a session and MLflow run of its own, so
        that each lands in its study's experiment and ``report`` reads finished runs."""
        names = kwargs.get("pipeline_names") or [kwargs.get("pipeline_name")]
        known = {p.name for p in PIPELINES_DIR.iterdir() if (p / "pipeline.py").is_file()}
        unknown = sorted(n for n in names if n and n not in known | {"__default__"})
        if unknown:
            listed = ", ".join(sorted(known))
            raise click.ClickException(f"unknown pipeline {unknown[0]!r}; known: {listed}")
        if names in ([None], ["__default__"]) and not args and not _filtered(kwargs):
            return self._run_each_study(kwargs)
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
            _restore_worker_env()

    def _run_each_study(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        import mlflow

        from shall_we_gans.pipeline_registry import STUDY_ORDER

        self._run_called = True  # this session's own run is the sequence below
        outputs: dict[str, Any] = {}
        kwargs = kwargs | {"pipeline_name": None}
        for study in STUDY_ORDER:
            with type(self).create(
                self._project_path,
                env=self.store.get("env"),
                runtime_params=self.store.get("runtime_params"),
                conf_source=self._conf_source,
            ) as session:
                outputs |= session.run(**kwargs | {"pipeline_names": [study]})
            while mlflow.active_run() is not None:  # kedro-mlflow re-activates its ended run
                mlflow.end_run()
        return outputs


def _restore_worker_env() -> None:
    """Undo ``WorkerRunHook``'s environment (pool and thread settings) however the run ended:
    a later fork in this process (tests, notebooks) must not arm itself as a worker."""
    from shall_we_gans.runner.workers import WorkerRunHook
    from shall_we_gans.settings import HOOKS

    for hook in HOOKS:
        if isinstance(hook, WorkerRunHook):
            hook.restore()


_NODE_FILTERS = ("tags", "node_names", "from_nodes", "to_nodes", "from_inputs", "to_outputs")


def _filtered(kwargs: dict[str, Any]) -> bool:
    return any(kwargs.get(k) for k in (*_NODE_FILTERS, "namespaces", "only_missing_outputs"))
