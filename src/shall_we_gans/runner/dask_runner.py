"""``DaskRunner``: Kedro's documented pattern ("Distributed deployment with Dask") for this
project. Each node is a ``distributed`` task that depends on the tasks of the nodes it reads
from; datasets the catalog does not name travel through the scheduler (``_DaskDataset``).

``kedro run --runner shall_we_gans.runner.DaskRunner --pipelines NAME`` connects to the
scheduler at ``SWG_DASK_SCHEDULER`` (``tcp://host:8786``); without it, it starts a
``LocalCluster`` of ``SWG_WORKERS`` (default: the usable cores) one-thread worker processes
for the run. Workers must import this package, read the same ``conf/`` and reach the same
``data/`` (a shared folder, or fsspec URLs in the catalog) and the tracking server at
``MLFLOW_TRACKING_URI``; see README "Running on a cluster".

MLflow in the workers: parameters are logged by the driver (kedro-mlflow's hook, node by node,
before the node is submitted); each task carries the run id and the tracking URI, and the
worker's ``WorkerRunHook`` binds the node's metric and artifact datasets to that run, as
``MlflowMetricLogger`` does for training histories.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from itertools import chain
from typing import Any

from kedro.io import AbstractDataset, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.pipeline.node import Node
from kedro.runner import AbstractRunner, Task

from shall_we_gans.runner.workers import THREADS_ENV, WORKERS_ENV, usable_cores
from shall_we_gans.tracking import RUN_ID_ENV

SCHEDULER_ENV = "SWG_DASK_SCHEDULER"
PACKAGE = "shall_we_gans"


class _DaskDataset(AbstractDataset):
    """A dataset the catalog does not name, published to / read from the Dask scheduler."""

    def __init__(self, name: str) -> None:
        self._name = name

    def load(self) -> Any:
        from distributed import Client, worker_client

        try:
            with worker_client() as client:
                return client.get_dataset(self._name)
        except ValueError:  # the driver loading a free output after the run
            return Client.current().get_dataset(self._name)

    def save(self, data: Any) -> None:
        from distributed import worker_client

        with worker_client() as client:
            client.publish_dataset(data, name=self._name, override=True)

    def _exists(self) -> bool:
        from distributed import Client

        return self._name in Client.current().list_datasets()

    def _release(self) -> None:
        from distributed import Client

        Client.current().unpublish_dataset(self._name)

    def _describe(self) -> dict[str, Any]:
        return {"name": self._name}


def _run_node(
    node: Node, catalog: Any, is_async: bool, run_id: str | None, env: dict, *dependencies: Any
) -> Node:
    """Run ``node`` on a worker. ``dependencies`` are the futures of the nodes it reads from
    (Dask waits for them; their values are unused); ``env`` carries the MLflow run, the
    tracking URI and the torch thread budget. The project's hooks run here, except
    kedro-mlflow's (the driver logged the node's parameters already)."""
    import kedro.framework.project as kedro_project
    from kedro.framework.hooks.manager import _create_hook_manager, _register_hooks
    from kedro_mlflow.framework.hooks import MlflowHook

    for name, value in env.items():
        if name == THREADS_ENV:
            os.environ.setdefault(name, value)  # a worker started with its own budget keeps it
        else:
            os.environ[name] = value
    if kedro_project.PACKAGE_NAME != PACKAGE:  # a fresh worker process
        kedro_project.configure_project(PACKAGE)
    hook_manager = _create_hook_manager()
    hooks = [h for h in kedro_project.settings.HOOKS if not isinstance(h, MlflowHook)]
    _register_hooks(hook_manager, hooks)
    return Task(
        node=node, catalog=catalog, is_async=is_async, hook_manager=hook_manager, run_id=run_id
    ).execute()


class DaskRunner(AbstractRunner):
    """Runs a pipeline's nodes as tasks on a Dask cluster (see the module doc)."""

    def __init__(self, client_args: dict[str, Any] | None = None, is_async: bool = False):
        """``client_args``: keyword arguments of ``distributed.Client`` (``address``: the
        scheduler; default ``SWG_DASK_SCHEDULER``, else a LocalCluster is started per run)."""
        super().__init__(is_async=is_async)
        self._client_args = dict(client_args or {})

    def _connect(self) -> tuple[Any, Any]:
        from distributed import Client, LocalCluster

        args = dict(self._client_args)
        address = args.pop("address", None) or os.environ.get(SCHEDULER_ENV)
        if address:
            return Client(address, **args), None
        workers = int(os.environ.get(WORKERS_ENV) or usable_cores())
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        return Client(cluster, **args), cluster

    def run(
        self,
        pipeline: Pipeline,
        catalog: Any,
        hook_manager: Any = None,
        run_id: str | None = None,
        only_missing_outputs: bool = False,
    ) -> dict[str, Any]:
        client, cluster = self._connect()
        self._client = client
        try:
            for name in pipeline.datasets():
                if name not in catalog:
                    catalog[name] = _DaskDataset(name)
            outputs = super().run(pipeline, catalog, hook_manager, run_id, only_missing_outputs)
            for name, dataset in outputs.items():  # free outputs: off the scheduler
                if isinstance(dataset, _DaskDataset):
                    outputs[name] = MemoryDataset(dataset.load())
                    dataset.release()
            return outputs
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def _get_executor(self, max_workers: int) -> None:
        return None  # Dask schedules; AbstractRunner's executors are not used

    def _log_node_params(self, node: Node, catalog: Any, hook_manager: Any) -> None:
        """kedro-mlflow's parameter logging for ``node``, done here in the driver."""
        from kedro_mlflow.framework.hooks import MlflowHook

        params = {k: catalog.load(k) for k in node.inputs if k.startswith("params:")}
        if not params:
            return
        for hook in hook_manager.get_plugins():
            if isinstance(hook, MlflowHook):
                hook.before_node_run(node=node, catalog=catalog, inputs=params, is_async=False)

    def _run(self, pipeline: Pipeline, catalog: Any, hook_manager: Any = None, run_id=None):
        from distributed import as_completed

        nodes = pipeline.nodes
        load_counts = Counter(chain.from_iterable(n.inputs for n in nodes))
        node_dependencies = pipeline.node_dependencies
        env = {
            k: os.environ[k]
            for k in (RUN_ID_ENV, "MLFLOW_TRACKING_URI", THREADS_ENV)
            if os.environ.get(k)
        }
        futures = {}
        for node in nodes:  # pipeline.nodes is in topological order
            if hook_manager is not None:
                self._log_node_params(node, catalog, hook_manager)
            dependencies = [futures[d] for d in node_dependencies[node]]
            futures[node] = self._client.submit(
                _run_node,
                node,
                catalog,
                self._is_async,
                run_id,
                env,
                *dependencies,
                key=f"{node.name}-{uuid.uuid4().hex}",
                pure=False,
            )
        for i, (_, node) in enumerate(as_completed(futures.values(), with_results=True)):
            self._logger.info("Completed node: %s", node.name)
            self._logger.info("Completed %d out of %d tasks", i + 1, len(nodes))
            self._release_datasets(node, catalog, load_counts, pipeline)
