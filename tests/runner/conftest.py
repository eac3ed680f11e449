"""The sequential run the other runners are compared with."""

import pytest

from tests.runners import run_with


@pytest.fixture(scope="session")
def sequential(tmp_path_factory):
    """``text_modes`` on its tiny budget with SequentialRunner: (project, run, client)."""
    return run_with(tmp_path_factory.mktemp("seq") / "project", "text_modes")
