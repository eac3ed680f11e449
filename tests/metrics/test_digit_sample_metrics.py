"""Digit coverage and KL of the predicted-class histogram to uniform."""

import numpy as np
import pytest

from shall_we_gans.metrics.digit_samples import (
    class_counts,
    class_kl,
    digit_coverage,
    digit_sample_metrics,
)


def test_balanced_labels_cover_every_digit_with_zero_kl():
    labels = np.tile(np.arange(10), 7)
    assert digit_coverage(labels) == 10
    assert class_kl(labels) == pytest.approx(0.0, abs=1e-12)


def test_one_digit_is_the_largest_kl():
    labels = np.full(50, 3)
    assert digit_sample_metrics(labels) == {
        "digit_coverage": 1,
        "class_kl": pytest.approx(np.log(10)),
    }


def test_kl_matches_the_formula_on_a_skewed_histogram():
    labels = np.array([0] * 6 + [1] * 3 + [2])
    p = np.array([0.6, 0.3, 0.1])
    assert digit_coverage(labels) == 3
    assert class_kl(labels) == pytest.approx(np.sum(p * np.log(p * 10)))
    assert class_counts(labels).tolist() == [6, 3, 1, 0, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize(
    "labels", [np.array([], dtype=np.int64), np.array([0.0, 1.0]), np.array([[1, 2]]), [10], [-1]]
)
def test_bad_labels_raise(labels):
    with pytest.raises(ValueError, match="labels"):
        digit_coverage(labels)
