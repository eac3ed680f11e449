"""Running the pipelines beyond one process: the hook that carries the MLflow run and the
torch thread budget into worker processes (``workers``) and a Dask runner (``dask_runner``).

- one machine: ``kedro run --runner ParallelRunner --pipelines NAME``
- many machines: ``kedro run --runner shall_we_gans.runner.DaskRunner --pipelines NAME``
  (scheduler from ``SWG_DASK_SCHEDULER``, else a ``LocalCluster``)
"""

from shall_we_gans.runner.dask_runner import DaskRunner
from shall_we_gans.runner.workers import RUN_ID_ENV, THREADS_ENV, WorkerRunHook

__all__ = ["RUN_ID_ENV", "THREADS_ENV", "DaskRunner", "WorkerRunHook"]
