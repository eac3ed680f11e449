"""MLflow helpers shared by the pipelines' nodes and the trainers.

MLflow is imported only where a run can be active (importing it costs seconds), so the
science modules stay quick to import from a notebook.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping

MetricsDict = dict[str, dict[str, float | int]]
MAX_BATCH = 1000  # MLflow's limit of metrics per log_batch call


def metrics_for_mlflow(metrics: Mapping[str, float], step: int = 0) -> MetricsDict:
    """Format ``{name: value}`` for kedro-mlflow's ``MlflowMetricsHistoryDataset``."""
    return {name: {"value": float(value), "step": step} for name, value in metrics.items()}


class MlflowMetricLogger:
    """``log(metrics, step)`` for training loops: buffers metric values for the active MLflow run
    and sends them in batches (one sqlite round trip per ``batch`` values) and on ``flush()``.

    Does nothing when no run is active (or MLflow was never imported: then none can be). As a
    context manager it flushes on exit, also when the loop raises.
    """

    def __init__(self, prefix: str = "", batch: int = MAX_BATCH) -> None:
        self.prefix = prefix
        self.batch = min(batch, MAX_BATCH)
        self._buffer: list = []
        self._run_id: str | None = None

    def __call__(self, metrics: Mapping[str, float], step: int) -> None:
        mlflow = sys.modules.get("mlflow")
        run = mlflow.active_run() if mlflow is not None else None
        if run is None:
            return
        if run.info.run_id != self._run_id:
            self.flush()
            self._run_id = run.info.run_id
        from mlflow.entities import Metric

        stamp = int(time.time() * 1000)
        self._buffer.extend(
            Metric(f"{self.prefix}{k}", float(v), stamp, step) for k, v in metrics.items()
        )
        if len(self._buffer) >= self.batch:
            self.flush()

    def __enter__(self) -> MlflowMetricLogger:
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc is None:
            self.flush()
            return
        try:  # the training error matters more than a failed flush: keep it
            self.flush()
        except Exception as flush_error:  # noqa: BLE001
            logging.getLogger(__name__).warning("could not send buffered metrics: %s", flush_error)

    def flush(self) -> None:
        """Send what is buffered to the run it was logged for."""
        buffer, self._buffer = self._buffer, []
        if not buffer or self._run_id is None:
            return
        from mlflow import MlflowClient

        client = MlflowClient()
        for start in range(0, len(buffer), MAX_BATCH):
            client.log_batch(self._run_id, metrics=buffer[start : start + MAX_BATCH])
