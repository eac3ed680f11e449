"""Kedro project settings: https://docs.kedro.org/en/stable/kedro_project_setup/settings.html."""

import os

from kedro.config import OmegaConfigLoader

from shall_we_gans.hooks import OfflineHook, ValidateParametersHook
from shall_we_gans.session import StudySession

# No run or test may touch the network: opt out of Kedro's and MLflow's usage telemetry.
for _var in ("KEDRO_DISABLE_TELEMETRY", "DO_NOT_TRACK", "MLFLOW_DISABLE_TELEMETRY"):
    os.environ.setdefault(_var, "true")

DISABLE_HOOKS_FOR_PLUGINS = ("kedro-telemetry",)
HOOKS = (OfflineHook(), ValidateParametersHook())
SESSION_CLASS = StudySession

CONFIG_LOADER_CLASS = OmegaConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    "config_patterns": {
        "parameters": ["parameters*", "parameters*/**", "**/parameters*"],
        "catalog": ["catalog*", "catalog*/**", "**/catalog*"],
        "mlflow": ["mlflow*", "mlflow*/**", "**/mlflow*"],
    },
}
