"""Project hooks."""

from kedro.framework.hooks import hook_impl


class OfflineHook:
    """Switch MLflow's usage telemetry off before any run starts (it would call the network)."""

    @hook_impl
    def after_context_created(self, context) -> None:  # noqa: ARG002 - Kedro hook signature
        from mlflow.telemetry.client import set_telemetry_client

        set_telemetry_client()  # re-reads the opt-out variables set in settings.py
