"""ParallelRunner's worker processes stop with the main process.

- **SIGTERM to the main process** (``kill PID``, ``docker stop``, a scheduler):
  ``session.StudySession`` calls ``forward_to_workers``, which sends it on to the pipeline's
  pool workers. A worker stops its node as a sequential run does (``Terminated`` unwinds it,
  so the metric loggers send what was measured), refuses a node still queued and exits once
  idle; the main process waits for that, then closes the MLflow run as KILLED. A worker still
  alive ``STOP_GRACE_S`` + 5 s later is killed.
- **SIGKILL of the main process**: a worker gets SIGTERM when its parent dies (Linux
  ``PR_SET_PDEATHSIG``) and its watchdog thread also polls ``os.getppid()``; it stops its node
  the same way, stops ParallelRunner's manager process and exits. The run stays RUNNING until
  the next run marks it FAILED (``hooks.fail_orphaned_runs``).

``WorkerRunHook.before_pipeline_run`` publishes ``pool_env()`` for a ParallelRunner pipeline;
a worker is armed (``arm_worker``) when it is forked, or (other start methods) before its
first node (``guard_worker``).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures.process import _process_worker, _sendback_result
from types import FrameType

MAIN_ENV = "SWG_POOL_MAIN"  # the pid of the process that runs a ParallelRunner pipeline
HELPERS_ENV = "SWG_POOL_HELPERS"  # its children before the workers (the runner's manager)
STOP_GRACE_S = 20.0  # a stopping worker exits after this even if its node has not unwound
POLL_S = 0.2
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

_stopping = threading.Event()
_armed: list[int] = []  # the parent's pid, once this worker is armed


class Terminated(KeyboardInterrupt):
    """SIGTERM (``docker stop``, ``timeout``, batch schedulers), handled like Ctrl-C."""


def pool_env() -> dict[str, str]:
    """The variables that mark this process as running a ParallelRunner pipeline, set before
    its workers start: its pid and those of its children so far."""
    helpers = ",".join(str(p.pid) for p in multiprocessing.active_children())
    return {MAIN_ENV: str(os.getpid()), HELPERS_ENV: helpers}


def _helpers() -> set[int]:
    return {int(p) for p in os.environ.get(HELPERS_ENV, "").split(",") if p}


def pool_workers() -> list[multiprocessing.process.BaseProcess]:
    """The workers of the ParallelRunner pipeline this process runs (none when it runs
    none): its children started after ``pool_env()``."""
    if os.environ.get(MAIN_ENV) != str(os.getpid()):
        return []
    return [p for p in multiprocessing.active_children() if p.pid not in _helpers()]


def _send(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)


def forward_to_workers(signum: int) -> list[int]:
    """Send ``signum`` to this process's pool workers and SIGKILL those still alive
    ``STOP_GRACE_S`` + 5 s later; return their pids."""
    workers = pool_workers()
    for worker in workers:
        _send(worker.pid, signum)
    if workers:
        timer = threading.Timer(STOP_GRACE_S + 5, _kill_alive, [workers])
        timer.daemon = True
        timer.start()
    return [w.pid for w in workers]


def _kill_alive(workers: list[multiprocessing.process.BaseProcess]) -> None:
    for worker in workers:
        if worker.exitcode is None:
            logging.getLogger(__name__).warning("worker %s did not stop: killed", worker.pid)
            _send(worker.pid, signal.SIGKILL)


def _activity(frame: FrameType | None) -> str:
    """What a pool worker's main thread does at ``frame``: ``node`` (runs a node),
    ``reporting`` (sends a node's result back) or ``idle`` (waits for work)."""
    from kedro.runner.task import Task

    codes = {Task.__call__.__code__: "node", _sendback_result.__code__: "reporting"}
    while frame is not None:
        if frame.f_code in codes:
            return codes[frame.f_code]
        frame = frame.f_back
    return "idle"


def worker_sigterm(signum: int, frame: FrameType | None) -> None:
    """A worker's SIGTERM: the first stops the node it runs, and the watchdog ends the
    process once idle; later ones are ignored, so that they cannot cut the metric flush short."""
    if _stopping.is_set():
        return
    _stopping.set()
    if _activity(frame) == "node":
        raise Terminated(f"received signal {signum}")


def _die_with_parent(signum: int) -> None:
    """Linux: receive ``signum`` when the parent process dies (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
        logging.getLogger(__name__).warning("prctl: %s", os.strerror(ctypes.get_errno()))


def _watch(parent: int, main_thread: int) -> None:
    """A worker's watchdog: stop when the parent is gone; once stopping, exit as soon as the
    main thread is idle, or after ``STOP_GRACE_S``. An orphan also stops the runner's manager."""
    while not _stopping.wait(POLL_S):
        if os.getppid() != parent:
            signal.pthread_kill(main_thread, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    while _activity(sys._current_frames().get(main_thread)) != "idle":
        if time.monotonic() > deadline:
            break
        time.sleep(POLL_S / 4)
    if os.getppid() != parent:
        for pid in _helpers():
            _send(pid, signal.SIGTERM)
    os._exit(128 + signal.SIGTERM)


def arm_worker(parent: int) -> None:
    """Make this worker process of ``parent`` stop with it (the module doc), once."""
    if _armed or threading.current_thread() is not threading.main_thread():
        return
    _armed.append(parent)
    signal.signal(signal.SIGTERM, worker_sigterm)
    _die_with_parent(signal.SIGTERM)
    args = (parent, threading.main_thread().ident)
    threading.Thread(target=_watch, args=args, name="swg-watchdog", daemon=True).start()


def _arm_forked_worker() -> None:
    """After a fork: arm the child when its parent runs a ParallelRunner pipeline."""
    if os.environ.get(MAIN_ENV) == str(os.getppid()):
        arm_worker(os.getppid())


def in_pool_worker() -> bool:
    """Whether this process is a ``ProcessPoolExecutor`` worker (ParallelRunner's)."""
    return getattr(multiprocessing.current_process(), "_target", None) is _process_worker


def guard_worker() -> None:
    """In a pool worker, before each node: arm it (a worker that was not forked); refuse the
    node once the worker is stopping."""
    if _stopping.is_set():
        raise Terminated("this worker is stopping: node not started")
    parent = multiprocessing.parent_process()
    if parent is not None:
        arm_worker(parent.pid)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_arm_forked_worker)
