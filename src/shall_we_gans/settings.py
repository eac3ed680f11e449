"""Kedro project settings: https://docs.kedro.org/en/stable/kedro_project_setup/settings.html."""

import os

from shall_we_gans.cpu import set_wait_policy

set_wait_policy()  # OMP_WAIT_POLICY=PASSIVE before torch loads (shall_we_gans.cpu)

from kedro.config import OmegaConfigLoader  # noqa: E402

from shall_we_gans.hooks import (  # noqa: E402
    OfflineHook,
    TypedParamsMlflowHook,
    ValidateParametersHook,
)
from shall_we_gans.preflight import PreflightHook  # noqa: E402
from shall_we_gans.runner.workers import WorkerRunHook  # noqa: E402
from shall_we_gans.session import StudySession  # noqa: E402

# No run or test may touch the network: opt out of Kedro's and MLflow's usage telemetry.
for _var in ("KEDRO_DISABLE_TELEMETRY", "DO_NOT_TRACK", "MLFLOW_DISABLE_TELEMETRY"):
    os.environ.setdefault(_var, "true")

# kedro-mlflow's hook is registered below, as a subclass that logs typed parameters flattened.
DISABLE_HOOKS_FOR_PLUGINS = ("kedro-telemetry", "kedro-mlflow", "kedro_mlflow")
# WorkerRunHook: the MLflow run and torch threads of ParallelRunner / Dask workers.
HOOKS = (OfflineHook(), ValidateParametersHook(), TypedParamsMlflowHook(), WorkerRunHook())
HOOKS += (PreflightHook(),)  # shall_we_gans.preflight: refusals before a run opens
SESSION_CLASS = StudySession

CONFIG_LOADER_CLASS = OmegaConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    # `conf/paper` and `conf/local` override single keys; the rest of a block stays as in base.
    "merge_strategy": {"parameters": "soft"},
    "config_patterns": {
        "parameters": ["parameters*", "parameters*/**", "**/parameters*"],
        "catalog": ["catalog*", "catalog*/**", "**/catalog*"],
        "mlflow": ["mlflow*", "mlflow*/**", "**/mlflow*"],
    },
}
