"""Crash rates over seeds: fractions, the median crash step, the FD of the runs that learned."""

import math

import pandas as pd
import pytest

from shall_we_gans.metrics.crash_rates import crash_rates

NAN = math.nan


def outcomes(*rows):
    columns = ["seed", "crashed", "never_learned", "crash_step", "fd_lenet"]
    return pd.DataFrame(rows, columns=columns)


def test_rates_count_crashed_and_never_learned_seeds_apart():
    rates = crash_rates(
        outcomes(
            (0, 1, 0, 300.0, 250.0),
            (1, 1, 0, 500.0, NAN),  # diverged: no FD
            (2, 1, 0, 200.0, 300.0),
            (3, 0, 1, NAN, 400.0),  # never made digits: neither crash nor stable
            (4, 0, 0, NAN, 30.0),
            (5, 0, 0, NAN, 50.0),
            (6, 0, 0, NAN, 40.0),
            (7, 0, 0, NAN, 20.0),
        )
    )
    assert rates == {
        "crash_rate": 3 / 8,
        "never_learned_rate": 1 / 8,
        "seeds": 8.0,
        "crash_step_median": 300.0,
        "learned_fd_median": 35.0,
    }


def test_no_crash_leaves_out_the_crash_step_and_no_stable_run_leaves_out_the_fd():
    assert "crash_step_median" not in crash_rates(outcomes((0, 0, 0, NAN, 20.0)))
    rates = crash_rates(outcomes((0, 1, 0, 10.0, NAN), (1, 0, 1, NAN, 400.0)))
    assert rates == {
        "crash_rate": 0.5,
        "never_learned_rate": 0.5,
        "seeds": 2.0,
        "crash_step_median": 10.0,
    }


@pytest.mark.parametrize(
    ("frame", "match"),
    [
        (outcomes(), "one row per seed|a row per seed"),
        (outcomes((0, 0, 0, NAN, 1.0)).drop(columns="fd_lenet"), "fd_lenet"),
        (outcomes((0, 0, 0, NAN, 1.0), (0, 1, 0, 5.0, 1.0)), "seed twice"),
        (outcomes((0, 1, 1, 5.0, 1.0)), "both crashed and never_learned"),
    ],
)
def test_malformed_outcomes_raise(frame, match):
    with pytest.raises(ValueError, match=match):
        crash_rates(frame)
