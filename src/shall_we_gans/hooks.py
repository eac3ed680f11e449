"""Project hooks: offline MLflow, the parameter checks Kedro does not make, typed params logged.

Who checks what:

- **Kedro** (``kedro.validation``) builds each node's typed parameter object from its type hint
  (the pydantic models of ``shall_we_gans.params``) when the catalog is made, so nodes read
  attributes. It skips a key missing from the config and sees one node input at a time.
- **``ValidateParametersHook``** checks, first and all at once, what Kedro cannot: a required
  block or key that is missing, rules across sub-blocks (a batch larger than the data, more
  embedded points than samples), and top-level keys no pipeline reads (a misspelled block in
  ``--params``). One message lists every bad key path.
- **``TypedParamsMlflowHook``** is kedro-mlflow's hook, handed the typed objects as plain
  dicts, so it still logs flattened parameters (``missing_modes.trainer.lr_g``).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
from typing import Any
from urllib.parse import urlparse

import click
from kedro.framework.hooks import hook_impl
from kedro_mlflow.framework.hooks.mlflow_hook import MlflowHook
from pydantic import BaseModel

from shall_we_gans.io import TorchModuleDataset
from shall_we_gans.params import ParameterError, validate_parameters
from shall_we_gans.reporting.provenance import local_overrides, run_tags


class OfflineHook:
    """Switch MLflow's usage telemetry off before any run starts (it would call the network)."""

    @hook_impl
    def after_context_created(self, context) -> None:
        from mlflow.telemetry.client import set_telemetry_client

        set_telemetry_client()  # re-reads the opt-out variables set in settings.py


class ValidateParametersHook:
    """Validate every parameter block whole (with ``--params`` overrides) before anything runs.

    Runs before Kedro's own per-node validation (it reads the raw configuration), before
    kedro-mlflow opens a run and before anything is written under ``data/``.
    """

    @hook_impl
    def after_context_created(self, context) -> None:
        try:
            validate_parameters(context.config_loader["parameters"])
        except ParameterError as exc:  # the CLI prints a ClickException as one short message
            raise click.ClickException(str(exc)) from None


def study_experiment(prefix: str, study: str) -> str:
    """The MLflow experiment of one study: ``shall_we_gans.missing_modes``."""
    return f"{prefix}.{study}"


HOST_TAG, PID_TAG = "shall_we_gans.host", "shall_we_gans.pid"


def fail_orphaned_runs(experiment_id: str) -> list[str]:
    """Mark FAILED the RUNNING runs of ``experiment_id`` started on this host by a process
    that no longer exists; return their ids."""
    from mlflow import MlflowClient

    client = MlflowClient()
    host = socket.gethostname().replace("'", "")
    running = client.search_runs(
        [experiment_id], f"attributes.status = 'RUNNING' and tags.`{HOST_TAG}` = '{host}'"
    )
    orphans = [r.info.run_id for r in running if not _alive(int(r.data.tags.get(PID_TAG, 0)))]
    for run_id in orphans:
        client.set_terminated(run_id, status="FAILED")
        logging.getLogger(__name__).warning("MLflow run %s: its process is gone; FAILED", run_id)
    return orphans


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def as_plain(value: Any) -> Any:
    """A typed parameter object as the dict it was built from (other values unchanged)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: as_plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, tuple):
        return list(value)
    return value


class TypedParamsMlflowHook(MlflowHook):
    """kedro-mlflow's hook (registered here instead of by its plugin entry point), logging a
    typed parameter object's fields flattened, as it logs a dict.

    Each run is tagged with the host and process that run it, and with its profile and the
    parameters that overrode it (``reporting.provenance``: the report shows only runs at a
    profile's own parameters); before a run starts, RUNNING runs of this host whose process is
    gone (killed with SIGKILL, a machine that lost power) are marked FAILED, so no run stays
    RUNNING for ever.
    """

    @hook_impl
    def after_context_created(self, context) -> None:
        super().after_context_created(context)
        self._local_params = local_overrides(context.config_loader)

    @hook_impl
    def before_pipeline_run(self, run_params, pipeline, catalog) -> None:
        import mlflow

        self._catalog = catalog
        if self._is_mlflow_enabled and not self._already_active_mlflow:
            self._use_study_experiment(run_params)
            fail_orphaned_runs(self.mlflow_config.tracking.experiment._experiment.experiment_id)
        super().before_pipeline_run(run_params, pipeline, catalog)
        if self._is_mlflow_enabled and mlflow.active_run() is not None:
            local = getattr(self, "_local_params", {})
            provenance = run_tags(run_params.get("env"), run_params.get("runtime_params"), local)
            mlflow.set_tags(
                {HOST_TAG: socket.gethostname(), PID_TAG: str(os.getpid()), **provenance}
            )

    def _use_study_experiment(self, run_params: dict[str, Any]) -> None:
        """One experiment per study: ``<mlflow.yml's experiment name>.<pipeline>``."""
        names = run_params.get("pipeline_names") or [run_params.get("pipeline_name")]
        pipeline = "+".join(n for n in names if n) or "__default__"
        experiment = self.mlflow_config.tracking.experiment
        if not experiment.name.endswith(f".{pipeline}"):
            experiment.name = study_experiment(experiment.name, pipeline)
        uri = self.mlflow_config.server.mlflow_tracking_uri or ""
        if urlparse(uri).scheme in ("http", "https", "databricks"):
            # a tracking server keeps artifacts where it is told to, not in the project
            experiment.create_experiment_kwargs.artifact_location = None
        self.mlflow_config._set_experiment()

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, data: Any, node) -> None:
        """Attach saved files to the run: every trained model (``TorchModuleDataset``) under
        ``models/``, and any file whose catalog entry says ``metadata: {mlflow:
        {artifact_path: FOLDER}}``. Versioned files are attached as the version just saved."""
        import mlflow

        if not self._is_mlflow_enabled or mlflow.active_run() is None:
            return
        dataset = self._catalog.get(dataset_name) if hasattr(self, "_catalog") else None
        if dataset is None:
            return
        folder = ((getattr(dataset, "metadata", None) or {}).get("mlflow") or {}).get(
            "artifact_path"
        )
        if folder is None and isinstance(dataset, TorchModuleDataset):
            folder = "models"
        if folder:
            mlflow.log_artifact(str(saved_path(dataset)), artifact_path=folder)

    @hook_impl
    def before_node_run(self, node, catalog, inputs: dict[str, Any], is_async: bool) -> None:
        plain = {k: as_plain(v) if k.startswith("params:") else v for k, v in inputs.items()}
        super().before_node_run(node, catalog, plain, is_async)


def saved_path(dataset) -> str:
    """The file a file-backed Kedro dataset just wrote (the save version's, when versioned)."""
    if getattr(dataset, "_version", None) is not None:
        return str(dataset._get_versioned_path(dataset.resolve_save_version()))
    return str(dataset._filepath)
