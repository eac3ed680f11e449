"""Crash rates of one training recipe over seeds (``gan.monitoring`` judges each seed).

One row per seed with ``crashed`` and ``never_learned`` (0/1), ``crash_step`` (NaN when it did
not crash) and ``fd_lenet`` (its final samples' Fréchet distance to real digits):
``crash_rate`` and ``never_learned_rate`` are the fractions of seeds, ``crash_step_median`` the
median step of the crashed seeds (absent when none crashed), and ``learned_fd_median`` the
median FD of the seeds that learned and did not crash (absent when there are none).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

COLUMNS = ("seed", "crashed", "never_learned", "crash_step", "fd_lenet")


def crash_rates(outcomes: pd.DataFrame) -> dict[str, float]:
    """The rates over the seeds of ``outcomes`` (see the module doc)."""
    missing = [c for c in COLUMNS if c not in outcomes]
    if missing or outcomes.empty:
        raise ValueError(f"outcomes need a row per seed with columns {COLUMNS}; missing {missing}")
    if outcomes["seed"].duplicated().any():
        raise ValueError(f"outcomes hold a seed twice: {outcomes['seed'].tolist()}")
    crashed = outcomes["crashed"].astype(bool)
    never = outcomes["never_learned"].astype(bool)
    if (crashed & never).any():
        raise ValueError("a seed cannot be both crashed and never_learned")
    rates = {
        "crash_rate": float(crashed.mean()),
        "never_learned_rate": float(never.mean()),
        "seeds": float(len(outcomes)),
    }
    if crashed.any():
        rates["crash_step_median"] = float(np.median(outcomes.loc[crashed, "crash_step"]))
    stable = outcomes.loc[~crashed & ~never, "fd_lenet"]
    if len(stable) and not stable.isna().all():
        rates["learned_fd_median"] = float(np.nanmedian(stable))
    return {k: v for k, v in rates.items() if not math.isnan(v)}
