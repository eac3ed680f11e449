import math

import numpy as np
import pytest
import torch
from pydantic import ValidationError

from shall_we_gans.adaptation.config import AdaptationConfig, ClassifierConfig
from shall_we_gans.adaptation.models import DomainDiscriminator, SourceClassifier
from shall_we_gans.adaptation.training import (
    adapt,
    as_image_tensor,
    augment_batch,
    discriminator_loss,
    extract_features,
    predict,
    target_encoder_loss,
    train_classifier,
)
from shall_we_gans.data.digits import DigitDomain
from shall_we_gans.data.preprocess import scale_to_unit

N_PER_CLASS = 6


def _blocks(seed: int, shift: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Class k = a bright 6×6 block at position k of a 28×28 grid, with noise; scaled to [-1, 1]."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), N_PER_CLASS)
    images = rng.integers(0, 40, size=(len(labels), 28, 28)).astype(np.uint8)
    for i, k in enumerate(labels):
        row, col = divmod(int(k), 5)
        images[i, 2 + 12 * row + shift : 8 + 12 * row + shift, 1 + 5 * col : 7 + 5 * col] = 255
    return scale_to_unit(images), labels


class _FixedLogits(torch.nn.Module):
    """A 'discriminator' returning its (1-column) input as logits."""

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return features[:, 0]


def _softplus(x: float) -> float:
    return math.log1p(math.exp(x))


def test_discriminator_and_target_losses_on_known_logits():
    real, fake = torch.tensor([[2.0], [-1.0]]), torch.tensor([[0.0], [3.0]])
    d_loss, d_acc = discriminator_loss(_FixedLogits(), real, fake)
    expected = (_softplus(-2) + _softplus(1)) / 2 + (_softplus(0) + _softplus(3)) / 2
    assert d_loss.item() == pytest.approx(expected, rel=1e-6)
    assert d_acc == 0.25  # only the source logit 2 is on its side (> 0); 0 is not < 0
    t_loss = target_encoder_loss(_FixedLogits(), fake)
    assert t_loss.item() == pytest.approx((_softplus(0) + _softplus(-3)) / 2, rel=1e-6)


def test_discriminator_accuracy_counts_source_positive_target_negative():
    real, fake = torch.tensor([[1.0], [2.0]]), torch.tensor([[-1.0], [-2.0]])
    assert discriminator_loss(_FixedLogits(), real, fake)[1] == 1.0
    assert discriminator_loss(_FixedLogits(), fake, real)[1] == 0.0


def test_both_domains_share_one_pixel_range_after_preprocessing():
    mnist_like = DigitDomain(np.array([[[0, 255], [128, 7]]], np.uint8), np.array([3]), "mnist")
    usps_like = DigitDomain(np.array([[[255, 0], [0, 64]]], np.uint8), np.array([1]), "usps")
    for domain in (mnist_like, usps_like):
        scaled = scale_to_unit(domain.images)
        assert scaled.dtype == np.float32 and scaled.shape == (1, 1, 2, 2)
        assert scaled.min() == -1.0 and scaled.max() == 1.0


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (np.zeros((2, 1, 28, 28), np.uint8), "float"),
        (np.full((2, 1, 28, 28), 255.0, np.float32), r"\[-1, 1\]"),  # the ×255 port bug
        (np.zeros((2, 28, 28), np.float32), "N×1×28×28"),
        (np.zeros((2, 1, 16, 16), np.float32), "N×1×28×28"),
    ],
)
def test_images_outside_the_shared_range_or_shape_are_rejected(images, message):
    with pytest.raises(ValueError, match=message):
        as_image_tensor(images)


def test_train_classifier_learns_and_keeps_the_best_source_validation_epoch():
    images, labels = _blocks(0)
    val_images, val_labels = _blocks(1)
    model, history = train_classifier(
        images,
        labels,
        classifier(epochs=6, batch_size=20, lr=3e-3),
        val_images=val_images,
        val_labels=val_labels,
    )
    assert isinstance(model, SourceClassifier) and not model.training
    assert list(history.columns) == ["epoch", "train_loss", "train_acc", "val_acc"]
    assert history["train_loss"].iloc[-1] < history["train_loss"].iloc[0]
    val_acc = np.mean(predict(model.encoder, model.head, val_images, device="cpu") == val_labels)
    assert val_acc == history["val_acc"].max()
    assert val_acc > 0.5


def test_train_classifier_is_deterministic_and_logs_each_epoch():
    images, labels = _blocks(0)
    logged = []
    cfg = classifier(epochs=2, seed=3)
    _, first = train_classifier(images, labels, cfg, log_metrics=lambda m, s: logged.append((s, m)))
    _, second = train_classifier(images, labels, cfg)
    _, other = train_classifier(images, labels, classifier(epochs=2, seed=4))
    assert first.equals(second)
    assert not first["train_loss"].equals(other["train_loss"])
    assert [s for s, _ in logged] == [1, 2]
    assert set(logged[0][1]) == {"train_loss", "train_acc"}  # no NaN val_acc without a split


def test_augment_batch_is_seeded_and_keeps_shape_and_range():
    images = torch.from_numpy(_blocks(0)[0])

    def draw(seed):
        return augment_batch(images, torch.Generator().manual_seed(seed), 2.0, 10.0)

    first, again, other = draw(0), draw(0), draw(1)
    assert torch.equal(first, again)
    assert not torch.equal(first, other)
    assert first.shape == images.shape and first.dtype == images.dtype
    assert first.min() >= -1.0 and first.max() <= 1.0
    assert (first - images).abs().mean() > 0.05  # the images moved
    still = augment_batch(images, torch.Generator().manual_seed(0), 0.0, 0.0)
    assert torch.allclose(still, images, atol=1e-4)  # no shift, no rotation: the same images
    with pytest.raises(ValueError, match="max_shift"):
        augment_batch(images, torch.Generator(), -1.0, 10.0)


def test_train_classifier_with_augmentation_and_wider_convs_is_reproducible():
    images, labels = _blocks(0)
    kwargs = dict(epochs=2, seed=3, conv_channels=(8, 16), lr_schedule="cosine")
    model, first = train_classifier(images, labels, classifier(augment=True, **kwargs))
    _, second = train_classifier(images, labels, classifier(augment=True, **kwargs))
    _, plain = train_classifier(images, labels, classifier(augment=False, **kwargs))
    assert first.equals(second)
    assert not first["train_loss"].equals(plain["train_loss"])
    assert model.encoder.conv[0].out_channels == 8 and model.encoder.conv[3].out_channels == 16


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"val_images": _blocks(1)[0]}, "val_images and val_labels"),
        ({"labels": np.full(10 * N_PER_CLASS, 10)}, "labels must lie in 0–9"),
    ],
)
def test_train_classifier_rejects_bad_data(overrides, message):
    images, labels = _blocks(0)
    kwargs = {"images": images, "labels": labels, "cfg": classifier(epochs=1), **overrides}
    with pytest.raises(ValueError, match=message):
        train_classifier(**kwargs)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"epochs": 2.5}, "epochs"),
        ({"lr": 0.0}, "lr"),
        ({"dropout": 1.0}, "dropout"),
        ({"conv_channels": (20,)}, "conv_channels"),
        ({"lr_schedule": "linear"}, "lr_schedule"),
        ({"betas": (0.5,)}, "betas"),
    ],
)
def test_bad_settings_are_refused_by_the_config_naming_the_field(overrides, field):
    config = AdaptationConfig if "betas" in overrides else ClassifierConfig
    required = {"epochs": 1, "batch_size": 8, "lr": 1e-3} if config is ClassifierConfig else {}
    required = required or {"steps": 1, "batch_size": 8}
    with pytest.raises(ValidationError, match=field):
        config(seed=0, **{**required, **overrides})


@pytest.fixture(scope="module")
def source_model():
    images, labels = _blocks(0)
    model, _ = train_classifier(images, labels, classifier(epochs=1, batch_size=30))
    return model


def classifier(**settings) -> ClassifierConfig:
    """Small, CPU classifier settings; ``settings`` replace the defaults of this file."""
    return ClassifierConfig(
        **{"epochs": 1, "batch_size": 32, "lr": 1e-3, "seed": 0, "device": "cpu"} | settings
    )


def _adapt(model, seed=0, init="source", log_metrics=None, **overrides):
    source, _ = _blocks(2)
    target, _ = _blocks(3, shift=2)
    settings = dict(steps=4, batch_size=16, d_hidden=[32, 32], seed=seed, device="cpu")
    cfg = AdaptationConfig(**{**settings, **overrides})
    return adapt(model.encoder, model.head, source, target, cfg, init=init, log_metrics=log_metrics)


def test_adapt_keeps_source_frozen_and_returns_a_real_copy(source_model):
    before = {k: v.clone() for k, v in source_model.state_dict().items()}
    flags = [p.requires_grad for p in source_model.parameters()]
    target_encoder, discriminator, history = _adapt(source_model, lr_t=1e-2)
    after = source_model.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)  # encoder and head untouched
    assert [p.requires_grad for p in source_model.parameters()] == flags
    assert target_encoder is not source_model.encoder
    target_state = target_encoder.state_dict()
    assert any(not torch.equal(before[f"encoder.{k}"], v) for k, v in target_state.items())
    with torch.no_grad():
        for parameter in target_encoder.parameters():
            parameter.add_(1.0)
    assert all(torch.equal(before[k], v) for k, v in source_model.state_dict().items())
    assert isinstance(discriminator, DomainDiscriminator)


def test_adapt_history_is_deterministic_and_logged(source_model):
    logged = []
    _, _, first = _adapt(source_model, log_metrics=lambda m, s: logged.append((s, m)), log_every=2)
    _, _, second = _adapt(source_model)
    _, _, other = _adapt(source_model, seed=1)
    assert list(first.columns) == ["step", "d_loss", "t_loss", "d_acc"]
    assert first["step"].tolist() == [1, 2, 3, 4]
    assert first.equals(second)
    assert not first["d_loss"].equals(other["d_loss"])
    assert first["d_acc"].between(0, 1).all()
    assert [s for s, _ in logged] == [2, 4]
    assert logged[0][1] == pytest.approx(first.iloc[1][["d_loss", "t_loss", "d_acc"]].to_dict())


def test_scratch_init_starts_from_fresh_seeded_weights_not_the_source(source_model):
    source = source_model.encoder.state_dict()
    tiny = dict(steps=1, lr_t=1e-12, lr_d=1e-12)  # one step that barely moves the weights
    copied, _, _ = _adapt(source_model, **tiny)
    fresh, _, _ = _adapt(source_model, init="scratch", **tiny)
    again, _, _ = _adapt(source_model, init="scratch", **tiny)
    other, _, _ = _adapt(source_model, init="scratch", seed=1, **tiny)
    close = [torch.allclose(source[k], v, atol=1e-6) for k, v in copied.state_dict().items()]
    assert all(close)
    assert not any(torch.allclose(source[k], v) for k, v in fresh.state_dict().items())
    assert all(torch.equal(v, again.state_dict()[k]) for k, v in fresh.state_dict().items())
    assert not torch.equal(fresh.state_dict()["conv.0.weight"], other.state_dict()["conv.0.weight"])
    with pytest.raises(ValueError, match="init"):
        _adapt(source_model, init="random")


def test_adapt_rejects_bad_arguments(source_model):
    images, _ = _blocks(2)
    cfg = AdaptationConfig(steps=1, batch_size=8, seed=0, device="cpu")
    with pytest.raises(ValueError, match="classifier_head"):
        adapt(source_model.encoder, torch.nn.Linear(7, 10), images, images, cfg)


def test_predict_and_extract_features(source_model):
    images, _ = _blocks(5)
    features = extract_features(source_model.encoder, images, batch_size=7, device="cpu")
    assert features.shape == (len(images), 500) and features.dtype == np.float32
    labels = predict(source_model.encoder, source_model.head, images, batch_size=7, device="cpu")
    with torch.no_grad():
        expected = source_model(torch.from_numpy(images)).argmax(dim=1).numpy()
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(labels, expected)
