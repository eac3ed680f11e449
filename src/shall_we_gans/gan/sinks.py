"""Metric sinks: where a training loop reports ``(metrics, step)``.

A sink is any callable ``sink(metrics: dict[str, float], step: int)``; one with a ``flush()``
method is flushed when a training call ends. ``discard_metrics`` sends nothing anywhere (the
trainer keeps its own history); ``MemorySink`` keeps every report, for notebooks and tests; a
pipeline hands in ``tracking.MlflowMetricLogger``, the MLflow run's sink. Training code takes
the sink it is given and never looks for a tracking server itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

MetricSink = Callable[[dict[str, float], int], None]


def discard_metrics(metrics: Mapping[str, float], step: int) -> None:
    """The sink that keeps nothing."""


class MemorySink:
    """Keeps every report: ``records`` holds ``(step, name, value)`` in arrival order."""

    def __init__(self) -> None:
        self.records: list[tuple[int, str, float]] = []

    def __call__(self, metrics: Mapping[str, float], step: int) -> None:
        self.records.extend((step, name, float(value)) for name, value in metrics.items())

    def latest(self) -> dict[str, float]:
        """The last value reported under each name."""
        return {name: value for _, name, value in self.records}

    def history(self, name: str) -> list[tuple[int, float]]:
        """``(step, value)`` of every report of ``name``."""
        return [(step, value) for step, key, value in self.records if key == name]


def flush(sink: MetricSink) -> None:
    """Call ``sink.flush()`` when the sink has one."""
    method = getattr(sink, "flush", None)
    if callable(method):
        method()
