"""The project's Kedro session: Ctrl-C ends the MLflow run as KILLED, not RUNNING."""

from __future__ import annotations

from typing import Any

from kedro.framework.session import KedroSession


class StudySession(KedroSession):
    """``KedroSession`` that closes the active MLflow run as KILLED on ``KeyboardInterrupt``.

    kedro-mlflow marks a run FAILED when a node raises an ``Exception``; Ctrl-C raises a
    ``BaseException`` that no hook sees, which would leave the run RUNNING for ever.
    """

    def run(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return super().run(*args, **kwargs)
        except KeyboardInterrupt:
            import mlflow

            while mlflow.active_run() is not None:
                mlflow.end_run(status="KILLED")
            raise
