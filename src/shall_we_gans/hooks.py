"""Project hooks: offline MLflow, and parameter validation before anything runs."""

import click
from kedro.framework.hooks import hook_impl

from shall_we_gans.params import ParameterError, validate_parameters


class OfflineHook:
    """Switch MLflow's usage telemetry off before any run starts (it would call the network)."""

    @hook_impl
    def after_context_created(self, context) -> None:
        from mlflow.telemetry.client import set_telemetry_client

        set_telemetry_client()  # re-reads the opt-out variables set in settings.py


class ValidateParametersHook:
    """Check every parameter block (with ``--params`` overrides) before a node or run starts.

    A bad value stops ``kedro run`` with one message naming each key path, before kedro-mlflow
    opens a run and before anything is written under ``data/``.
    """

    @hook_impl
    def after_context_created(self, context) -> None:
        try:
            validate_parameters(context.params)
        except ParameterError as exc:  # the CLI prints a ClickException as one short message
            raise click.ClickException(str(exc)) from None
