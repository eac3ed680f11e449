"""CPU settings chosen where a process starts (``settings.py``, ``__main__``), before torch
loads: OpenMP's wait policy, and torch's intra-op threads per workload.

Measured with ``benchmarks/busy_machine.py`` on the 2-core machine (README "Speed"): small
torch workloads slow down several times when another process wants a core and OpenMP threads
spin-wait for a descheduled sibling. ``OMP_WAIT_POLICY=PASSIVE`` (threads sleep while they
wait) removes that and costs nothing measurable on a quiet machine, so it is set unless the
environment sets it already. ``SETTINGS`` holds the thread count (0: all usable cores) and
policy chosen per workload; ``SWG_TORCH_THREADS`` overrides the count (a runner with several
worker processes sets it to cores // workers).
"""

from __future__ import annotations

import os

THREADS_ENV = "SWG_TORCH_THREADS"
WAIT_POLICY = "PASSIVE"
# workload -> (torch threads, 0 = all usable cores; OMP_WAIT_POLICY it was measured with)
SETTINGS: dict[str, tuple[int, str]] = {
    "embedding": (0, WAIT_POLICY),
    "training": (1, WAIT_POLICY),
}


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def set_wait_policy() -> None:
    """``OMP_WAIT_POLICY=PASSIVE`` unless set: call before torch is imported (OpenMP reads it
    once, when it loads)."""
    os.environ.setdefault("OMP_WAIT_POLICY", WAIT_POLICY)


def threads_for(workload: str) -> int:
    """Torch threads for ``workload`` (``SETTINGS``), unless ``SWG_TORCH_THREADS`` says."""
    if os.environ.get(THREADS_ENV):
        return max(1, int(os.environ[THREADS_ENV]))
    threads = SETTINGS.get(workload, SETTINGS["training"])[0]
    return min(threads, usable_cores()) if threads else usable_cores()


def use_threads(workload: str) -> int:
    """``torch.set_num_threads`` for ``workload``; the count set."""
    import torch

    threads = threads_for(workload)
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return threads
