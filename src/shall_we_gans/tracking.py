"""MLflow helpers shared by the pipelines' nodes and the trainers."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import mlflow

MetricsDict = dict[str, dict[str, float | int]]


def metrics_for_mlflow(metrics: Mapping[str, float], step: int = 0) -> MetricsDict:
    """Format ``{name: value}`` for kedro-mlflow's ``MlflowMetricsHistoryDataset``."""
    return {name: {"value": float(value), "step": step} for name, value in metrics.items()}


def mlflow_logger(prefix: str = "") -> Callable[[Mapping[str, float], int], None]:
    """Return ``log(metrics, step)`` logging to the active MLflow run (a no-op without one)."""

    def log(metrics: Mapping[str, float], step: int) -> None:
        if mlflow.active_run() is None:
            return
        mlflow.log_metrics({f"{prefix}{k}": float(v) for k, v in metrics.items()}, step=step)

    return log
