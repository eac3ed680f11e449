"""The project's Kedro session: Ctrl-C and SIGTERM end the MLflow run as KILLED, not RUNNING."""

from __future__ import annotations

import signal
import threading
from typing import Any

from kedro.framework.session import KedroSession


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

    def run(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
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
