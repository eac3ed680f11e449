"""Stacked MNIST mode counter, with a hand-built classifier that reads a digit off its pixels."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from shall_we_gans.data.digits import DigitDomain
from shall_we_gans.data.stacked_mnist import make_stacked_mnist
from shall_we_gans.metrics.stacked_mnist import (
    N_MODES,
    as_stacked_tensor,
    classify_channels,
    coverage_metrics,
    expected_modes_covered,
    mode_counts,
    modes_of,
    sampling_floor_kl,
    stacked_mnist_modes,
)


class BrightColumnClassifier(nn.Module):
    """Digit k = the brightest of ten 2-pixel-wide columns starting at column 2k + 4.

    A fixed linear layer (one column mask per class) on float N×1×28×28 in [-1, 1]: exact, tiny,
    and shaped like the project's classifiers (10 logits).
    """

    def __init__(self) -> None:
        super().__init__()
        masks = torch.zeros(10, 1, 28, 28)
        for k in range(10):
            masks[k, 0, :, 4 + 2 * k : 6 + 2 * k] = 1.0
        self.fc = nn.Linear(28 * 28, 10, bias=False)
        self.fc.weight.data = masks.reshape(10, -1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.fc(images.reshape(len(images), -1))


def _digit_images(labels: np.ndarray) -> np.ndarray:
    """uint8 N×28×28: dark noise plus a bright column pair at the label's position."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 30, size=(len(labels), 28, 28)).astype(np.uint8)
    for i, k in enumerate(labels):
        images[i, :, 4 + 2 * k : 6 + 2 * k] = 255
    return images


@pytest.fixture(scope="module")
def classifier() -> nn.Module:
    return BrightColumnClassifier().eval()


@pytest.fixture(scope="module")
def domain() -> DigitDomain:
    labels = np.repeat(np.arange(10, dtype=np.int64), 20)
    return DigitDomain(images=_digit_images(labels), labels=labels, name="columns")


def test_hand_built_classifier_reads_every_digit(classifier, domain):
    stacked = np.stack([domain.images] * 3, axis=1)
    digits = classify_channels(stacked, classifier)
    assert (digits == domain.labels[:, None]).all()


def test_collapsed_generator_covers_one_mode_with_kl_log_1000(classifier):
    one = np.stack([_digit_images(np.array([d]))[0] for d in (3, 1, 4)])  # 3×28×28
    samples = np.repeat(one[None], 500, axis=0)
    result = stacked_mnist_modes(samples, classifier)
    assert result["modes_covered"] == 1
    assert result["counts"][314] == 500 and result["counts"].sum() == 500
    assert result["kl_to_uniform"] == pytest.approx(math.log(N_MODES))
    assert result["confident_fraction"] == 1.0


def test_confident_fraction_flags_samples_the_classifier_hesitates_on(classifier, domain):
    images, _ = make_stacked_mnist(domain, 100, seed=3)
    blank = images.copy()
    blank[:40, 1] = 0  # an empty middle channel: all ten logits tie, probability 0.1
    assert stacked_mnist_modes(images, classifier)["confident_fraction"] == 1.0
    assert stacked_mnist_modes(blank, classifier)["confident_fraction"] == pytest.approx(0.6)
    with pytest.raises(ValueError, match="min_confidence"):
        stacked_mnist_modes(images, classifier, min_confidence=1.5)


def test_real_stacked_images_cover_nearly_all_modes(classifier, domain):
    images, labels = make_stacked_mnist(domain, 26000, seed=0)
    result = stacked_mnist_modes(images, classifier)
    assert (np.flatnonzero(result["counts"]) == np.unique(labels)).all()
    assert result["modes_covered"] >= 995  # 26,000 uniform draws miss ~0.005 modes on average
    assert result["kl_to_uniform"] < 0.05
    assert result["kl_to_uniform"] == pytest.approx(sampling_floor_kl(26000), rel=0.15)


def test_uint8_and_unit_float_inputs_agree(classifier, domain):
    images, _ = make_stacked_mnist(domain, 300, seed=1)
    unit = images.astype(np.float32) / 127.5 - 1.0
    assert torch.equal(as_stacked_tensor(images), torch.from_numpy(unit))
    from_uint8 = stacked_mnist_modes(images, classifier)
    from_float = stacked_mnist_modes(torch.from_numpy(unit), classifier)
    assert (from_uint8["counts"] == from_float["counts"]).all()


def test_batching_does_not_change_the_result_and_mode_is_restored(classifier, domain):
    images, _ = make_stacked_mnist(domain, 101, seed=2)
    whole = classify_channels(images, classifier, batch_size=4096)
    assert (classify_channels(images, classifier, batch_size=7) == whole).all()
    classifier.train()
    classify_channels(images, classifier)
    assert classifier.training
    classifier.eval()


def test_modes_and_counts():
    assert modes_of(np.array([[3, 1, 4], [0, 0, 0], [9, 9, 9]])).tolist() == [314, 0, 999]
    counts = mode_counts(np.array([314, 314, 0]))
    assert counts.shape == (N_MODES,) and counts[314] == 2 and counts[0] == 1
    metrics = coverage_metrics(counts)
    p = np.array([2 / 3, 1 / 3])
    assert metrics["modes_covered"] == 2
    assert metrics["kl_to_uniform"] == pytest.approx(float(np.sum(p * np.log(p * N_MODES))))


@pytest.mark.parametrize(
    "images",
    [
        np.zeros((5, 28, 28), np.uint8),  # no channel axis
        np.zeros((5, 1, 28, 28), np.uint8),  # one channel
        np.zeros((5, 3, 32, 32), np.uint8),  # wrong size
        np.zeros((0, 3, 28, 28), np.uint8),  # empty
        np.zeros((5, 3, 28, 28), np.int64),  # integers that are not uint8
        np.full((5, 3, 28, 28), 2.0, np.float32),  # float outside [-1, 1]
    ],
)
def test_bad_images_raise(classifier, images):
    with pytest.raises(ValueError, match="stacked images"):
        stacked_mnist_modes(images, classifier)


def test_bad_digits_modes_and_counts_raise():
    with pytest.raises(ValueError, match="N×3"):
        modes_of(np.zeros((4, 2), np.int64))
    with pytest.raises(ValueError, match="0–9"):
        modes_of(np.array([[10, 0, 0]]))
    with pytest.raises(ValueError, match="0–999"):
        mode_counts(np.array([1000]))
    with pytest.raises(ValueError, match="shape"):
        coverage_metrics(np.ones(10))


def test_sampling_floor():
    floor = sampling_floor_kl(26000, n_repeats=50, seed=0)
    assert floor == pytest.approx(999 / (2 * 26000), rel=0.1)  # the large-N approximation
    assert sampling_floor_kl(26000, seed=0) == sampling_floor_kl(26000, seed=0)
    assert sampling_floor_kl(2000) > floor
    assert expected_modes_covered(0) == 0.0
    assert expected_modes_covered(26000) == pytest.approx(1000.0, abs=0.01)
    assert expected_modes_covered(1000) == pytest.approx(1000 * (1 - math.exp(-1)), rel=1e-3)
    with pytest.raises(ValueError):
        sampling_floor_kl(0)
