"""Divergence and interruption of real pipeline runs (tiny budgets)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.kedro_project import copy_project, mlflow_runs, run_pipeline
from tests.tiny import TINY

TINY_GAUSSIAN = TINY["gaussian_2d"]


def fresh_project(tmp_path: Path, monkeypatch, name: str = "project") -> Path:
    project = copy_project(tmp_path / name)
    monkeypatch.chdir(project)
    return project


def test_divergence_fails_the_run_and_keeps_earlier_versions(tmp_path, monkeypatch):
    project = fresh_project(tmp_path, monkeypatch)
    run_pipeline(project, "gaussian_2d", TINY_GAUSSIAN)
    saved = sorted((project / "data/06_models/gaussian_2d_generator.pt").iterdir())
    before = {p.name: (p / "gaussian_2d_generator.pt").read_bytes() for p in saved}

    diverging = {
        **TINY_GAUSSIAN,
        "gaussian_2d.trainer.lr_d": 1e12,
        "gaussian_2d.trainer.lr_g": 1e12,
    }
    with pytest.raises(Exception, match=r"diverged at step \d+"):
        run_pipeline(project, "gaussian_2d", diverging)

    statuses = sorted(r.info.status for r in mlflow_runs(project))
    assert statuses == ["FAILED", "FINISHED"]
    after = sorted((project / "data/06_models/gaussian_2d_generator.pt").iterdir())
    assert [p.name for p in after] == list(before)  # no new version, the old one untouched
    assert all((p / "gaussian_2d_generator.pt").read_bytes() == before[p.name] for p in after)


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_and_sigterm_end_the_mlflow_run_as_killed_with_history_flushed(tmp_path, stop):
    project = copy_project(tmp_path / "project")
    kedro = Path(sys.executable).with_name("kedro")
    log = tmp_path / "kedro.log"
    params = "gaussian_2d.trainer.steps=100000,gaussian_2d.trainer.log_every=10"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(kedro), "run", "--pipelines", "gaussian_2d", "--params", params],
            cwd=project,
            env={**os.environ, "KEDRO_DISABLE_TELEMETRY": "true", "DO_NOT_TRACK": "true"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 180
        while "train_gaussian_gan(" not in log.read_text():  # the training node started
            assert process.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, "the run never reached training"
            time.sleep(0.5)
        time.sleep(3)  # mid-training
        process.send_signal(stop)
        process.wait(timeout=60)
    finally:
        process.kill()
    (run,) = mlflow_runs(project)
    assert run.info.status == "KILLED"
    assert run.data.metrics["train.d_loss"] == run.data.metrics["train.d_loss"]  # measured, sent


def test_a_run_whose_process_is_gone_is_marked_failed_by_the_next_run(tmp_path, monkeypatch):
    import mlflow

    from shall_we_gans.hooks import HOST_TAG, PID_TAG

    project = fresh_project(tmp_path, monkeypatch)
    run_pipeline(project, "gaussian_2d", TINY_GAUSSIAN)
    client = mlflow.MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    (finished,) = mlflow_runs(project)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no longer runs: a SIGKILLed kedro run
    orphan = client.create_run(finished.info.experiment_id, run_name="gaussian_2d")
    client.set_tag(orphan.info.run_id, HOST_TAG, socket.gethostname())
    client.set_tag(orphan.info.run_id, PID_TAG, str(dead.pid))
    run_pipeline(project, "gaussian_2d", TINY_GAUSSIAN)
    assert client.get_run(orphan.info.run_id).info.status == "FAILED"
    assert client.get_run(finished.info.run_id).info.status == "FINISHED"
