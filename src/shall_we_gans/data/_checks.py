"""Argument checks shared by the data modules: one clear ``ValueError`` naming the parameter."""

from __future__ import annotations

import numbers


def positive_int(name: str, value: object) -> int:
    """Return ``value`` as an ``int`` when it is an integer ≥ 1, else raise ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def seed_int(value: object) -> int:
    """Return ``value`` as an ``int`` when it is a non-negative integer seed."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"seed must be a non-negative integer, got {value!r}")
    return int(value)


def positive_float(name: str, value: object) -> float:
    """Return ``value`` as a ``float`` when it is a finite number > 0, else raise ``ValueError``."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not 0 < value < float("inf")
    ):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)
