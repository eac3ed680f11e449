"""What a worker process needs from the process that started the pipeline.

A worker of ``ParallelRunner`` or Dask has no active MLflow run and its own torch threads:

- ``WorkerRunHook.before_pipeline_run`` (in the main process, after kedro-mlflow opened the
  run) publishes the run id in ``SWG_MLFLOW_RUN_ID`` and the tracking URI in
  ``MLFLOW_TRACKING_URI`` before any worker starts, and makes kedro-mlflow's artifact datasets
  picklable (their class is made inside a function);
- ``before_node_run`` (every process) sets torch's threads for the node's workload
  (``cpu.threads_for``: ``SWG_TORCH_THREADS`` when set) and, in a worker, binds the node's
  MLflow datasets to the pipeline's run;
- ``tracking.MlflowMetricLogger`` falls back to ``SWG_MLFLOW_RUN_ID`` when no run is active;
- a pool worker stops with the main process (SIGTERM forwarded, or SIGKILL): ``signals``.

``SWG_TORCH_THREADS`` (torch intra-op threads per process): a runner other than
``SequentialRunner`` sets it to ``cores // workers`` (at least 1) unless it is set already, so
``workers × threads ≤ cores``. ParallelRunner starts one worker per core by default, so 1.
"""

from __future__ import annotations

import os
from typing import Any

from kedro.framework.hooks import hook_impl

from shall_we_gans.cpu import THREADS_ENV, usable_cores, use_threads
from shall_we_gans.runner.signals import guard_worker, in_pool_worker, pool_env
from shall_we_gans.tracking import RUN_ID_ENV

WORKERS_ENV = "SWG_WORKERS"  # worker processes per machine, when a runner knows it


def threads_per_worker(workers: int, cores: int | None = None) -> int:
    """Torch threads for each of ``workers`` processes so that workers × threads ≤ cores."""
    return max(1, (cores or usable_cores()) // max(1, workers))


IMAGE_STUDIES = {"data_preparation", "classifier", "mnist_stability", "stacked_mnist", "adda"}


def workload(node: Any) -> str:
    """The ``cpu.SETTINGS`` workload of a node: ``embedding`` for the Bourgain embeddings,
    ``image_training`` in the image studies' namespaces, else ``training``."""
    if "embed" in node.name.rsplit(".", 1)[-1]:
        return "embedding"
    return "image_training" if node.name.split(".", 1)[0] in IMAGE_STUDIES else "training"


def _reduce_artifact_dataset(dataset: Any, protocol: int = 2) -> tuple:
    return _rebuild_artifact_dataset, (type(dataset).__mro__[1], dict(dataset.__dict__))


def _rebuild_artifact_dataset(base: type, state: dict) -> Any:
    """A kedro-mlflow artifact dataset around ``base`` with the attributes of the pickled one."""
    from kedro_mlflow.io.artifacts import MlflowArtifactDataset

    dataset = MlflowArtifactDataset(dataset={"type": base, "filepath": "unused"})
    dataset.__dict__.update(state)
    type(dataset).__reduce_ex__ = _reduce_artifact_dataset
    return dataset


def is_artifact_dataset(dataset: Any) -> bool:
    """A kedro-mlflow ``MlflowArtifactDataset`` (an instance of a class made per dataset)."""
    from kedro_mlflow.io.artifacts import MlflowArtifactDataset

    made_by_it = type(dataset).__module__ == MlflowArtifactDataset.__module__
    return made_by_it and hasattr(dataset, "artifact_path")


def make_picklable(catalog: Any, names: Any = ()) -> None:
    """Let every kedro-mlflow artifact dataset of ``catalog`` be pickled (by its wrapped
    dataset class and attributes), as ParallelRunner and Dask pickle the catalog; ``names``
    (a pipeline's datasets) are made first, those of dataset factories included."""
    for name in names:
        catalog.get(name)
    for _, dataset in catalog.items():
        if is_artifact_dataset(dataset):
            type(dataset).__reduce_ex__ = _reduce_artifact_dataset


def bind_to_run(catalog: Any, names: Any, run_id: str) -> None:
    """Send the MLflow datasets among ``names`` that name no run of their own to ``run_id``."""
    from kedro_mlflow.io.metrics import (
        MlflowMetricDataset,
        MlflowMetricHistoryDataset,
        MlflowMetricsHistoryDataset,
    )

    metric_types = (MlflowMetricDataset, MlflowMetricHistoryDataset, MlflowMetricsHistoryDataset)
    for name in names:
        if name.startswith("params:") or name == "parameters":
            continue
        dataset = catalog.get(name)
        if (
            isinstance(dataset, metric_types)
            and dataset._run_id is None
            or is_artifact_dataset(dataset)
            and not dataset.run_id
        ):
            dataset.run_id = run_id


class WorkerRunHook:
    """Carries the pipeline's MLflow run and the torch thread budget into worker processes
    (see the module doc). Registered after kedro-mlflow's hook in ``settings.HOOKS``."""

    def __init__(self) -> None:
        self._saved: dict[str, str | None] = {}

    def _set_env(self, name: str, value: str) -> None:
        self._saved.setdefault(name, os.environ.get(name))
        os.environ[name] = value

    @hook_impl(trylast=True)  # after kedro-mlflow's hook has started the run
    def before_pipeline_run(self, run_params: dict[str, Any], pipeline, catalog) -> None:
        import mlflow

        runner = str(run_params.get("runner") or "SequentialRunner")
        if "SequentialRunner" not in runner:
            workers = int(os.environ.get(WORKERS_ENV) or usable_cores())
            if not os.environ.get(THREADS_ENV):
                self._set_env(THREADS_ENV, str(threads_per_worker(workers)))
            if os.name == "posix" and not os.environ.get("KEDRO_MP_CONTEXT"):
                # fork: workers inherit kedro-mlflow's hook state, which reopens the run
                self._set_env("KEDRO_MP_CONTEXT", "fork")
        if "ParallelRunner" in runner:  # its workers stop with this process (runner.signals)
            for name, value in pool_env().items():
                self._set_env(name, value)
        make_picklable(catalog, pipeline.datasets())
        run = mlflow.active_run()
        if run is not None:
            self._set_env(RUN_ID_ENV, run.info.run_id)
            self._set_env("MLFLOW_TRACKING_URI", mlflow.get_tracking_uri())

    @hook_impl(tryfirst=True)
    def before_node_run(self, node, catalog, inputs: dict[str, Any], is_async: bool) -> None:
        if in_pool_worker():
            guard_worker()
        use_threads(workload(node))
        run_id = os.environ.get(RUN_ID_ENV)
        if run_id:
            import mlflow

            if mlflow.active_run() is None:  # a worker: no run of its own
                bind_to_run(catalog, node.outputs, run_id)

    def restore(self) -> None:
        """Put back the environment ``before_pipeline_run`` changed (also after a signal,
        which skips ``on_pipeline_error``: ``StudySession.run`` calls it)."""
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved = {}

    @hook_impl
    def after_pipeline_run(self, run_params, run_result, pipeline, catalog) -> None:
        self.restore()

    @hook_impl
    def on_pipeline_error(self, error, run_params, pipeline, catalog) -> None:
        self.restore()
