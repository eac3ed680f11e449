"""Two independent classifiers agree on the channels of real stacked digits, and not on noise;
the count's second opinion and per-channel confidence come out of ``judged_by_two``."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from shall_we_gans.adaptation.config import ClassifierConfig
from shall_we_gans.adaptation.training import train_classifier
from shall_we_gans.metrics.stacked_mnist import (
    ChannelFeatures,
    judged_by_two,
    per_channel,
    per_channel_head,
)


def block_digits(seed: int, per_class: int) -> tuple[np.ndarray, np.ndarray]:
    """Class k = a bright 6×6 block at position k of a 28×28 grid, on faint noise, in [-1, 1]."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), per_class)
    images = rng.uniform(-1.0, -0.7, size=(len(labels), 1, 28, 28)).astype(np.float32)
    for i, k in enumerate(labels):
        row, col = divmod(int(k), 5)
        images[i, 0, 2 + 12 * row : 8 + 12 * row, 1 + 5 * col : 7 + 5 * col] = 1.0
    return images, labels


@pytest.fixture(scope="module")
def two_classifiers():
    images, labels = block_digits(0, 12)
    models = []
    for architecture, seed in (("lenet", 0), ("convnet", 1)):
        cfg = ClassifierConfig(
            epochs=4, batch_size=20, lr=3e-3, seed=seed, device="cpu", architecture=architecture
        )
        models.append(train_classifier(images, labels, cfg)[0])
    return models


def stacked(images: np.ndarray, n: int, seed: int) -> np.ndarray:
    """``n`` stacked images: three random ``images`` as the channels."""
    rng = np.random.default_rng(seed)
    return np.concatenate([images[rng.integers(len(images), size=n)] for _ in range(3)], axis=1)


def test_two_classifiers_agree_on_real_digits_and_not_on_noise(two_classifiers):
    first, second = two_classifiers
    held_out, _ = block_digits(1, 10)
    real = judged_by_two(stacked(held_out, 200, 0), first, second)
    noise = np.random.default_rng(2).uniform(-1, 1, size=(200, 3, 28, 28)).astype(np.float32)
    judged_noise = judged_by_two(noise, first, second)
    assert real["channel_agreement"] > 0.95
    assert judged_noise["channel_agreement"] < 0.6
    assert real["channel_confident"] > judged_noise["channel_confident"]


def test_recount_and_per_channel_shares_match_a_hand_count(two_classifiers):
    first, second = two_classifiers
    images = stacked(block_digits(3, 5)[0], 50, 1)
    judged = judged_by_two(images, first, second, min_confidence=0.5)
    logits_a, logits_b = per_channel(images, first), per_channel(images, second)
    digits_a, digits_b = logits_a.argmax(1).reshape(-1, 3), logits_b.argmax(1).reshape(-1, 3)
    assert judged["channel_agreement"] == pytest.approx(
        float((digits_a == digits_b).float().mean())
    )
    modes_b = {tuple(row) for row in digits_b.tolist()}
    assert judged["recount_modes"] == len(modes_b)
    confident = torch.softmax(logits_a, 1).max(1).values >= 0.5
    assert judged["channel_confident"] == pytest.approx(float(confident.float().mean()))
    assert judged["modes_covered"] == len({tuple(row) for row in digits_a.tolist()})


def test_the_head_on_shared_features_gives_the_classifiers_own_logits(two_classifiers):
    first, _ = two_classifiers
    images = stacked(block_digits(4, 3)[0], 40, 2)
    features = per_channel(images, first.encoder, batch_size=16)
    shared = per_channel_head(features, first.head, batch_size=16)
    assert torch.equal(shared, per_channel(images, first, batch_size=16))


def test_channel_features_are_the_per_channel_features_concatenated(two_classifiers):
    first, _ = two_classifiers
    images = torch.as_tensor(stacked(block_digits(5, 2)[0], 6, 3))
    features = ChannelFeatures(first.encoder)
    features.train()  # stays in eval mode: the metric may not depend on the batch
    expected = per_channel(images, first.encoder).reshape(6, -1)
    assert torch.allclose(features(images), expected, atol=1e-6)
    x = images.clone().requires_grad_(True)
    features(x).sum().backward()
    assert x.grad.abs().sum() > 0  # G's samples get a gradient through it ...
    assert not any(p.requires_grad for p in features.parameters())  # ... the judge does not
    assert all(p.requires_grad for p in first.parameters())  # the caller's copy untouched
