"""CPU settings chosen where a process starts (``settings.py``, ``__main__``), before torch
loads: OpenMP's wait policy, and torch's intra-op threads per workload.

Measured with ``benchmarks/busy_machine.py`` on the 2-core machine (README "Benchmarks";
median seconds, "quiet" / beside one spinning process; other jobs kept the load near 6):

| workload | 1 thread ACTIVE | 1 PASSIVE | 2 ACTIVE | 2 PASSIVE |
|---|---|---|---|---|
| Bourgain embedding, 2,000 × 784 | 0.47 / 0.51 | 0.21 / 0.22 | 1.22 / 1.62 | 0.23 / 0.24 |
| 50 MLP GAN steps (missing_modes) | 0.91 / 1.62 | 0.77 / 1.71 | 12.5 / 23.5 | 0.60 / 0.53 |

Whole pipelines inside a quiet `kedro run` (seconds, ``SWG_TORCH_THREADS`` 1 / 2, PASSIVE):
``gaussian_2d`` (MLP GAN) 9.5 / 37.5, ``classifier`` (LeNet) 24.4 / 22.6, ``mnist_stability``
(DCGAN) 75.7 / 80.2.

Spinning OpenMP threads (ACTIVE, the usual default) that wait for a descheduled sibling make
two threads 2–40× slower than one, so ``OMP_WAIT_POLICY=PASSIVE`` is set unless the
environment sets it. Even sleeping threads lose on the project's small networks (a step is
too short to split), so the 2-D studies train with one thread; the embedding's large matrix
products use every usable core, and so do the image studies' conv nets (about even either way;
their published numbers were measured so, and a GAN's outcome moves with the summation order:
``mnist_stability``'s seed 0 with one thread crashed with SN on D and not without it).
``SETTINGS`` keeps the choice per workload (threads, 0: all usable cores);
``SWG_TORCH_THREADS`` overrides the count (a runner with several worker processes sets it to
cores // workers), and so does ``OMP_NUM_THREADS``.
"""

from __future__ import annotations

import os

THREADS_ENV = "SWG_TORCH_THREADS"
WAIT_POLICY = "PASSIVE"
# workload -> (torch threads, 0 = all usable cores; OMP_WAIT_POLICY it was measured with)
SETTINGS: dict[str, tuple[int, str]] = {
    "embedding": (0, WAIT_POLICY),
    "training": (1, WAIT_POLICY),  # the 2-D MLP studies
    "image_training": (0, WAIT_POLICY),  # conv nets: the image studies' results were measured so
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


def threads_from_env() -> int | None:
    """``SWG_TORCH_THREADS`` as a count (``None`` when unset or empty); ``ValueError`` naming
    it when it is not a positive whole number: the thread count changes results, so a typo
    is not ignored."""
    value = os.environ.get(THREADS_ENV, "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise ValueError(
            f"{THREADS_ENV}={os.environ[THREADS_ENV]!r}: expected a positive whole number of "
            "torch threads (unset it for the project's choice per workload)"
        )
    return int(value)


def threads_for(workload: str) -> int:
    """Torch threads for ``workload`` (``SETTINGS``), unless ``SWG_TORCH_THREADS`` (checked:
    ``threads_from_env``) or ``OMP_NUM_THREADS`` says."""
    threads = threads_from_env()
    if threads is not None:
        return threads
    if os.environ.get("OMP_NUM_THREADS", "").strip().isdigit():
        return max(1, int(os.environ["OMP_NUM_THREADS"]))
    threads = SETTINGS.get(workload, SETTINGS["training"])[0]
    return min(threads, usable_cores()) if threads else usable_cores()


def use_threads(workload: str) -> int:
    """``torch.set_num_threads`` for ``workload``; the count set."""
    import torch

    threads = threads_for(workload)
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)
    return threads
