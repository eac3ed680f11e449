"""DaskRunner on a real LocalCluster (2 worker processes), tracking to a real ``mlflow server``:
the same metrics as SequentialRunner, in the server's store."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.runners import model_metrics, run_with


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mlflow_server(tmp_path: Path):
    """``mlflow server`` on 127.0.0.1 with a sqlite backend and proxied artifacts."""
    port = free_port()
    command = [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1"]
    command += ["--backend-store-uri", f"sqlite:///{tmp_path / 'server.db'}"]
    command += ["--artifacts-destination", str(tmp_path / "artifacts")]
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    uri = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{uri}/health", timeout=1)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                time.sleep(0.5)
        yield uri, tmp_path
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.fixture
def scheduler(monkeypatch):
    """A LocalCluster of 2 one-thread worker processes, its address in SWG_DASK_SCHEDULER."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        monkeypatch.setenv("SWG_DASK_SCHEDULER", cluster.scheduler_address)
        yield cluster


@pytest.mark.slow
def test_dask_runner_logs_the_sequential_metrics_to_the_tracking_server(
    sequential, mlflow_server, scheduler, tmp_path_factory
):
    from shall_we_gans.runner import DaskRunner

    uri, server_dir = mlflow_server
    _, seq_run, seq_client = sequential
    root = tmp_path_factory.mktemp("dask") / "project"
    project, run, client = run_with(root, "text_modes", DaskRunner(), tracking_uri=uri)
    assert model_metrics(run) == model_metrics(seq_run)
    ran = scheduler.scheduler.task_prefixes  # the nodes ran as tasks on the cluster
    assert any("train_seed1" in prefix for prefix in ran), sorted(ran)
    key = "bourgain.seed1.d_loss"  # a training history logged inside a worker
    steps = [m.step for m in client.get_metric_history(run.info.run_id, key)]
    assert steps == [m.step for m in seq_client.get_metric_history(seq_run.info.run_id, key)]
    assert run.data.params == seq_run.data.params
    # in the server's own store, not in a file next to the project
    assert (server_dir / "server.db").exists() and not (project / "mlflow.db").exists()
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert "text_modes_bourgain.png" in artifacts
    assert any((server_dir / "artifacts").rglob("text_modes_bourgain.png"))
