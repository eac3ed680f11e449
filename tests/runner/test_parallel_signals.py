"""Signals to a real ``kedro run --runner ParallelRunner`` (issue 28, defects 1 and 2): SIGTERM
to the main process stops the workers within seconds and ends the run KILLED with their
histories; after a SIGKILL of the main process the workers leave instead of training on."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import mlflow
import pytest

from tests.kedro_project import copy_project, mlflow_runs

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]
STEPS = 30000  # far more than a test waits for: the workers are stopped mid-training
PARAMS = {
    "text_lattice.trainer.steps": STEPS,
    "text_lattice.trainer.log_every": 5,
    "text_lattice.trainer.checkpoint_every": 10,  # a checkpoint: that worker is training
    "text_lattice.trainer.batch_size": 64,
    "text_lattice.trainer.device": "cpu",
    "text_lattice.lattice.pixel_height": 24,
    "text_lattice.evaluation.n": 200,
}
TRAINED_AT_ONCE = ("heisei", "reiwa_cold")  # reiwa_warm waits for heisei's generator


def start_parallel_run(tmp_path: Path) -> tuple[Path, subprocess.Popen, Path]:
    """``kedro run --runner ParallelRunner --pipelines text_lattice`` in a project copy, in a
    session of its own (so that the test can clean up every process it left)."""
    project = copy_project(tmp_path / "project")
    kedro = Path(sys.executable).with_name("kedro")
    params = ",".join(f"{k}={v}" for k, v in PARAMS.items())
    command = [str(kedro), "run", "--runner", "ParallelRunner", "--pipelines", "text_lattice"]
    log = tmp_path / "kedro.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, "--params", params],
            cwd=project,
            env={**os.environ, "SWG_WORKERS": "2"},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return project, process, log


def wait_for_training(project: Path, process: subprocess.Popen, log: Path) -> None:
    """Until both first trainings, one per worker, have saved a checkpoint (10 steps)."""
    folder = project / "data/06_models/checkpoints/text_lattice"
    deadline = time.monotonic() + 120
    while not all(any((folder / v).glob("*/latest.pt")) for v in TRAINED_AT_ONCE):
        assert process.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, "the run never reached training"
        time.sleep(0.1)


def children(pid: int) -> set[int]:
    """The child processes of ``pid`` (Linux ``/proc``)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def running(pid: int) -> bool:
    """``pid`` exists and is not a zombie (a finished process its parent has not reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def seconds_until_gone(pids: set[int], timeout: float) -> float:
    """Seconds until none of ``pids`` runs; fails after ``timeout``."""
    start = time.monotonic()
    while any(running(p) for p in pids):
        assert time.monotonic() - start < timeout, f"still running: {sorted(pids)}"
        time.sleep(0.05)
    return time.monotonic() - start


def stop_group(process: subprocess.Popen) -> None:
    """SIGKILL whatever the run left (its session's process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def last_steps(project: Path, run) -> dict[str, int]:
    """The last step of each trained variant's discriminator loss in the run's history."""
    client = mlflow.MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    steps = {}
    for variant in TRAINED_AT_ONCE:
        history = client.get_metric_history(run.info.run_id, f"{variant}.d_loss")
        steps[variant] = max((m.step for m in history), default=-1)
    return steps


def test_sigterm_to_the_main_process_stops_the_workers_and_kills_the_run(tmp_path):
    project, process, log = start_parallel_run(tmp_path)
    try:
        wait_for_training(project, process, log)
        workers = children(process.pid)
        signalled = time.time()
        process.send_signal(signal.SIGTERM)
        workers_gone = seconds_until_gone(workers, timeout=10)
        process.wait(timeout=30)
    finally:
        stop_group(process)
    (run,) = mlflow_runs(project)
    killed = run.info.end_time / 1000 - signalled
    print(f"SIGTERM: workers gone after {workers_gone:.2f} s, run KILLED after {killed:.2f} s")
    assert run.info.status == "KILLED", log.read_text()[-3000:]
    assert killed < 10
    steps = last_steps(project, run)  # both workers' histories were sent before KILLED
    assert all(5 <= step < STEPS - 1 for step in steps.values()), steps


def test_workers_leave_when_the_main_process_is_killed(tmp_path):
    project, process, log = start_parallel_run(tmp_path)
    try:
        wait_for_training(project, process, log)
        workers = children(process.pid)
        process.kill()
        process.wait(timeout=10)
        workers_gone = seconds_until_gone(workers, timeout=10)
    finally:
        stop_group(process)
    print(f"SIGKILL: workers gone {workers_gone:.2f} s after the main process")
    (run,) = mlflow_runs(project)
    assert run.info.status == "RUNNING"  # nothing could close it ...
    steps = last_steps(project, run)
    assert all(5 <= step < STEPS - 1 for step in steps.values()), steps
    from mlflow.tracking._tracking_service.utils import _use_tracking_uri

    from shall_we_gans.hooks import fail_orphaned_runs

    with _use_tracking_uri(f"sqlite:///{project / 'mlflow.db'}"):  # ... until the next run
        assert fail_orphaned_runs(run.info.experiment_id) == [run.info.run_id]


def test_a_signal_mid_run_leaves_no_pool_environment_behind(monkeypatch):
    """``Terminated`` skips Kedro's ``on_pipeline_error``: ``StudySession.run`` still puts back
    what ``WorkerRunHook`` set, so a later fork in this process is not armed as a worker."""
    from kedro.framework.session import KedroSession

    from shall_we_gans.runner.signals import MAIN_ENV, Terminated
    from shall_we_gans.runner.workers import WorkerRunHook
    from shall_we_gans.session import StudySession

    monkeypatch.delenv(MAIN_ENV, raising=False)
    from shall_we_gans.settings import HOOKS

    (hook,) = [h for h in HOOKS if isinstance(h, WorkerRunHook)]

    def interrupted_run(self, *args, **kwargs):
        hook._set_env(MAIN_ENV, str(os.getpid()))  # as before_pipeline_run does
        raise Terminated

    monkeypatch.setattr(KedroSession, "run", interrupted_run)
    with pytest.raises(Terminated):
        StudySession.__new__(StudySession).run(pipeline_names=["gaussian_2d"])
    assert MAIN_ENV not in os.environ
