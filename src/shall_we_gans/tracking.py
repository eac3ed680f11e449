"""MLflow helpers shared by the pipelines' nodes and the trainers.

MLflow is imported only where a run can be active (importing it costs seconds), so the
science modules stay quick to import from a notebook.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TypeVar

from shall_we_gans.gan.sinks import MetricSink, discard_metrics

MetricsDict = dict[str, dict[str, float | int]]
MAX_BATCH = 1000  # MLflow's limit of metrics per log_batch call
RUN_ID_ENV = "SWG_MLFLOW_RUN_ID"  # the pipeline's run, for worker processes (runner.workers)
T = TypeVar("T")


def pipeline_run_id() -> str | None:
    """The run metrics go to: the active MLflow run, else the pipeline's run published in
    ``SWG_MLFLOW_RUN_ID`` (a ParallelRunner or Dask worker has no active run)."""
    import mlflow

    run = mlflow.active_run()
    return run.info.run_id if run is not None else os.environ.get(RUN_ID_ENV) or None


def current_run_id() -> str | None:
    """``pipeline_run_id()``, or ``None`` when MLflow or its store cannot say (a node called
    outside a pipeline run)."""
    try:
        return pipeline_run_id()
    except Exception:  # no usable tracking store: the caller works without a run
        return None


@contextmanager
def run_sink(prefix: str = "") -> Iterator[MetricSink]:
    """The metric sink of a node: the pipeline's MLflow run (``MlflowMetricLogger``, flushed
    on exit) when there is one, else ``gan.sinks.discard_metrics`` (a node called from a
    notebook or a test: its outputs hold what it measured)."""
    run_id = current_run_id()
    if run_id is None:
        logging.getLogger(__name__).debug("no MLflow run: training metrics are not sent")
        yield discard_metrics
        return
    with MlflowMetricLogger(prefix=prefix, run_id=run_id) as sink:
        yield sink


def retry_locked(call: Callable[[], T], attempts: int = 8, delay: float = 0.1) -> T:
    """``call()``, retried with doubling waits while the store answers "database is locked"
    (a sqlite tracking store written by several processes at once)."""
    for attempt in range(attempts):
        try:
            return call()
        except Exception as exc:
            if "locked" not in str(exc).lower() or attempt == attempts - 1:
                raise
            logging.getLogger(__name__).info("tracking store locked; retrying (%s)", exc)
            time.sleep(delay * 2**attempt)
    raise AssertionError("unreachable")


def metrics_for_mlflow(metrics: Mapping[str, float], step: int = 0) -> MetricsDict:
    """Format ``{name: value}`` for kedro-mlflow's ``MlflowMetricsHistoryDataset``."""
    return {name: {"value": float(value), "step": step} for name, value in metrics.items()}


class MlflowMetricLogger:
    """``log(metrics, step)`` for training loops: buffers metric values for one MLflow run and
    sends them in batches (one round trip per ``batch`` values), at least every
    ``flush_seconds`` and on ``flush()``, so a killed process loses only seconds of history.

    The run is ``run_id``, or the run active when the logger is made (a pipeline's node: the
    kedro-mlflow run), or in a worker process the pipeline's run (``SWG_MLFLOW_RUN_ID``); with
    none, ``ValueError``. A write that meets a locked sqlite store is retried. As a context
    manager it flushes on exit, also when the loop raises.
    """

    def __init__(
        self,
        prefix: str = "",
        run_id: str | None = None,
        batch: int = MAX_BATCH,
        flush_seconds: float = 5.0,
    ) -> None:
        if run_id is None:
            run_id = pipeline_run_id()
            if run_id is None:
                raise ValueError("MlflowMetricLogger needs run_id or an active MLflow run")
        self.prefix = prefix
        self.run_id = run_id
        self.batch = min(batch, MAX_BATCH)
        self.flush_seconds = flush_seconds
        self._buffer: list = []
        self._last_flush = time.monotonic()

    def __call__(self, metrics: Mapping[str, float], step: int) -> None:
        from mlflow.entities import Metric

        stamp = int(time.time() * 1000)
        self._buffer.extend(
            Metric(f"{self.prefix}{k}", float(v), stamp, step) for k, v in metrics.items()
        )
        overdue = time.monotonic() - self._last_flush >= self.flush_seconds
        if len(self._buffer) >= self.batch or overdue:
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
        """Send what is buffered to the logger's run."""
        buffer, self._buffer = self._buffer, []
        self._last_flush = time.monotonic()
        if not buffer:
            return
        from mlflow import MlflowClient

        client = MlflowClient()
        for start in range(0, len(buffer), MAX_BATCH):
            chunk = buffer[start : start + MAX_BATCH]
            retry_locked(lambda chunk=chunk: client.log_batch(self.run_id, metrics=chunk))
