"""Wiring of one variant's seeds as nodes: ``train_seed0`` … ``train_seed{n-1}`` and
``gather_seeds``.

A Kedro pipeline is built before any parameter is read, so the graph cannot hold one node per
*value* of ``seeds``. It holds one node per seed *slot* instead: a study fixes its slot count
(``SEED_SLOTS`` in its ``params`` module; its parameter model refuses more seeds), slot ``i``
trains ``seeds[i]`` and returns ``{}`` when there are fewer seeds, and the gather node puts the
seeds back together in slot order. Every runner (ParallelRunner, Dask) can then spread the
seeds, and Kedro-Viz shows the fan-out.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from kedro.pipeline import Node


class SeedSlot:
    """``train(*inputs, slot=slot)`` as a node function. Unlike ``functools.partial`` it keeps
    ``train``'s name, signature and type hints (``__wrapped__``), from which Kedro builds the
    typed parameter objects, and it pickles (ParallelRunner, Dask)."""

    def __init__(self, train: Callable, slot: int) -> None:
        update_wrapper(self, train)
        self.slot = slot

    def __call__(self, *inputs: Any) -> Any:
        return self.__wrapped__(*inputs, slot=self.slot)

    def __repr__(self) -> str:
        return f"SeedSlot({self.__wrapped__.__qualname__}, slot={self.slot})"


def slot_dataset(slot: int) -> str:
    """The (namespace-local) dataset holding seed slot ``slot``'s result."""
    return f"seed_slot{slot}"


def seed_fan_out(
    train: Callable, inputs: list[str], gather: Callable, outputs: list[str], slots: int
) -> list[Node]:
    """``slots`` nodes ``train_seed{i}`` running ``train(*inputs, slot=i)`` and one node
    ``gather_seeds`` running ``gather(*slot results)`` into ``outputs``."""
    trained = [
        Node(SeedSlot(train, i), inputs, slot_dataset(i), name=f"train_seed{i}")
        for i in range(slots)
    ]
    merged = Node(gather, [slot_dataset(i) for i in range(slots)], outputs, name="gather_seeds")
    return [*trained, merged]


def slot_outputs(prefix: str, slots: int) -> dict[str, str]:
    """Namespace output mapping of the slot datasets to unique names ``{prefix}_seed_slot{i}``."""
    return {slot_dataset(i): f"{prefix}_seed_slot{i}" for i in range(slots)}
