"""Source classifier pretraining, ADDA adaptation and inference helpers.

Images are float arrays ``N×1×28×28`` in ``[-1, 1]`` (``data.preprocess.scale_to_unit``, the same
scaling for every domain); labels are int64 class indices. Nothing here looks at target labels:
the classifier's checkpoint is chosen on a *source* validation split, ADDA selects nothing.
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Iterator
from typing import Literal

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

from shall_we_gans.adaptation.config import AdaptationConfig, ClassifierConfig
from shall_we_gans.adaptation.models import (
    IMAGE_SIZE,
    N_CLASSES,
    ClassifierHead,
    ConvNetEncoder,
    DomainDiscriminator,
    LeNetEncoder,
    SourceClassifier,
)
from shall_we_gans.gan.losses import GANLoss, get_loss
from shall_we_gans.gan.sinks import MetricSink
from shall_we_gans.runtime import resolve_device, seed_everything

_RANGE_TOLERANCE = 1e-4


def as_image_tensor(images: np.ndarray | torch.Tensor, name: str = "images") -> torch.Tensor:
    """Check ``images`` are float ``N×1×28×28`` in ``[-1, 1]`` and return a float32 tensor."""
    tensor = torch.as_tensor(images)
    expected = (1, IMAGE_SIZE, IMAGE_SIZE)
    if tensor.ndim != 4 or tuple(tensor.shape[1:]) != expected or tensor.shape[0] == 0:
        raise ValueError(f"{name} must have shape N×1×28×28 with N > 0, got {tuple(tensor.shape)}")
    if not tensor.is_floating_point():
        raise ValueError(
            f"{name} must be float images in [-1, 1] (scale_to_unit), got dtype {tensor.dtype}"
        )
    low, high = float(tensor.min()), float(tensor.max())
    if low < -1 - _RANGE_TOLERANCE or high > 1 + _RANGE_TOLERANCE:
        raise ValueError(f"{name} must lie in [-1, 1] (scale_to_unit), got [{low:g}, {high:g}]")
    return tensor.float()


def _as_label_tensor(labels: np.ndarray | torch.Tensor, n_images: int, name: str) -> torch.Tensor:
    tensor = torch.as_tensor(labels)
    if tensor.ndim != 1 or tensor.shape[0] != n_images or tensor.is_floating_point():
        raise ValueError(f"{name} must be {n_images} integer labels, got {tuple(tensor.shape)}")
    if tensor.min() < 0 or tensor.max() >= N_CLASSES:
        raise ValueError(f"{name} must lie in 0–{N_CLASSES - 1}")
    return tensor.long()


def _check_positive_int(**values: int) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _index_batches(n: int, batch_size: int, generator: torch.Generator) -> Iterator[torch.Tensor]:
    """Endless stream of batch indices, one fresh permutation per pass (last batch may be short)."""
    while True:
        yield from torch.randperm(n, generator=generator).split(batch_size)


def _check_head_fits(head: nn.Module, feature_dim: int) -> None:
    """ADDA reuses the source head unchanged on target features: it must accept them."""
    try:
        _frozen_copy(head, torch.device("cpu"))(torch.zeros(1, feature_dim))
    except RuntimeError as error:
        raise ValueError(
            f"classifier_head does not accept the encoder's {feature_dim}-d features: {error}"
        ) from error


def _frozen_copy(module: nn.Module, device: torch.device) -> nn.Module:
    return copy.deepcopy(module).to(device).eval().requires_grad_(False)


@torch.no_grad()
def _eval_outputs(module: nn.Module, images, batch_size: int, device: str) -> torch.Tensor:
    """``module(images)`` on the CPU, from a frozen eval-mode copy, ``batch_size`` at a time."""
    _check_positive_int(batch_size=batch_size)
    torch_device = resolve_device(device)
    model = _frozen_copy(module, torch_device)
    chunks = as_image_tensor(images).split(batch_size)
    return torch.cat([model(chunk.to(torch_device)).cpu() for chunk in chunks])


def extract_features(
    encoder: nn.Module,
    images: np.ndarray | torch.Tensor,
    batch_size: int = 512,
    device: str = "auto",
) -> np.ndarray:
    """Encoder features ``N×feature_dim`` (float32) of ``images``, computed in eval mode."""
    return _eval_outputs(encoder, images, batch_size, device).numpy()


def predict(
    encoder: nn.Module,
    head: nn.Module,
    images: np.ndarray | torch.Tensor,
    batch_size: int = 512,
    device: str = "auto",
) -> np.ndarray:
    """Predicted class labels (int64, length N) of ``head(encoder(images))`` in eval mode."""
    logits = _eval_outputs(nn.Sequential(encoder, head), images, batch_size, device)
    return logits.argmax(dim=1).numpy().astype(np.int64)


def augment_batch(
    images: torch.Tensor,
    generator: torch.Generator,
    max_shift: float = 2.0,
    max_rotation: float = 10.0,
) -> torch.Tensor:
    """Random small rotation and shift of every image of a ``N×C×H×W`` batch in ``[-1, 1]``.

    Per image: angle ~ U(±``max_rotation``) degrees, shift ~ U(±``max_shift``) pixels on each
    axis, drawn from ``generator`` (a CPU generator: same seed, same batch). One bilinear
    ``grid_sample`` for the whole batch; the background (−1) fills what moves in, so the result
    stays in ``[-1, 1]`` with the same shape.
    """
    if not (max_shift >= 0 and max_rotation >= 0):
        raise ValueError(f"max_shift and max_rotation must be ≥ 0, got {max_shift}, {max_rotation}")
    n, _, height, width = images.shape
    draws = torch.rand(n, 3, generator=generator).to(images.device) * 2 - 1
    angle = torch.deg2rad(draws[:, 0] * max_rotation)
    cos, sin = torch.cos(angle), torch.sin(angle)
    # affine_grid works in [-1, 1] coordinates: one pixel is 2 / size
    shift_x, shift_y = draws[:, 1] * max_shift * 2 / width, draws[:, 2] * max_shift * 2 / height
    theta = torch.stack(
        [torch.stack([cos, -sin, shift_x], 1), torch.stack([sin, cos, shift_y], 1)], 1
    ).to(images.dtype)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    moved = F.grid_sample(images + 1, grid, mode="bilinear", align_corners=False) - 1
    return moved.clamp(-1.0, 1.0)


def train_classifier(
    images: np.ndarray | torch.Tensor,
    labels: np.ndarray | torch.Tensor,
    cfg: ClassifierConfig,
    *,
    val_images: np.ndarray | torch.Tensor | None = None,
    val_labels: np.ndarray | torch.Tensor | None = None,
    log_metrics: MetricSink | None = None,
) -> tuple[SourceClassifier, pd.DataFrame]:
    """Train a LeNet ``SourceClassifier`` with Adam and cross-entropy on the logits, as
    ``cfg`` says (``ClassifierConfig``: augmentation, widths, schedule, seed, device).

    With a (source) validation split and ``cfg.select_best``, the returned weights are those of
    the epoch with the best validation accuracy (first one on ties); otherwise the last epoch's.
    History columns: ``epoch, train_loss, train_acc, val_acc`` (``val_acc`` NaN without a split).
    The model comes back on the CPU in eval mode.
    """
    if (val_images is None) != (val_labels is None):
        raise ValueError("val_images and val_labels must be given together")
    epochs, batch_size, lr, seed = cfg.epochs, cfg.batch_size, cfg.lr, cfg.seed
    torch_device = resolve_device(cfg.device)
    x = as_image_tensor(images, "images").to(torch_device)
    y = _as_label_tensor(labels, len(x), "labels").to(torch_device)
    has_val = val_images is not None
    if has_val:
        x_val = as_image_tensor(val_images, "val_images")
        y_val = _as_label_tensor(val_labels, len(x_val), "val_labels").numpy()

    generator = seed_everything(seed)
    augment_generator = torch.Generator().manual_seed(seed + 1)
    if cfg.architecture == "convnet":
        encoder = ConvNetEncoder()
    else:
        encoder = LeNetEncoder(channels=cfg.conv_channels)
    head = ClassifierHead(encoder.feature_dim, dropout=cfg.dropout)
    model = SourceClassifier(encoder, head).to(torch_device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=cfg.weight_decay)
    rows, best_acc, best_state = [], -1.0, None
    for epoch in range(1, epochs + 1):
        if cfg.lr_schedule == "cosine":
            for group in optimizer.param_groups:
                group["lr"] = 0.5 * lr * (1 + math.cos(math.pi * (epoch - 1) / epochs))
        model.train()
        loss_sum, correct = 0.0, 0
        for index in torch.randperm(len(x), generator=generator).split(batch_size):
            batch = x[index]
            if cfg.augment:
                batch = augment_batch(batch, augment_generator, cfg.max_shift, cfg.max_rotation)
            logits = model(batch)
            loss = F.cross_entropy(logits, y[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(index)
            correct += int((logits.argmax(dim=1) == y[index]).sum())
        row = {"epoch": epoch, "train_loss": loss_sum / len(x), "train_acc": correct / len(x)}
        row["val_acc"] = float("nan")
        if has_val:
            val_pred = predict(model.encoder, model.head, x_val, device=str(torch_device))
            row["val_acc"] = float(np.mean(val_pred == y_val))
            if cfg.select_best and row["val_acc"] > best_acc:
                best_acc, best_state = row["val_acc"], copy.deepcopy(model.state_dict())
        rows.append(row)
        if log_metrics is not None:
            names = (
                ("train_loss", "train_acc", "val_acc") if has_val else ("train_loss", "train_acc")
            )
            log_metrics({name: row[name] for name in names}, epoch)
    if best_state is not None:
        model.load_state_dict(best_state)
    return model.cpu().eval(), pd.DataFrame(rows)


def discriminator_loss(
    discriminator: nn.Module,
    source_features: torch.Tensor,
    target_features: torch.Tensor,
    loss: GANLoss | None = None,
) -> tuple[torch.Tensor, float]:
    """ADDA discriminator objective (source = "real", target = "fake") and its batch accuracy."""
    loss = get_loss("non_saturating") if loss is None else loss
    real_logits, fake_logits = discriminator(source_features), discriminator(target_features)
    hits = (real_logits > 0).sum() + (fake_logits < 0).sum()
    accuracy = float(hits) / (real_logits.numel() + fake_logits.numel())
    return loss.d_loss(real_logits, fake_logits), accuracy


def target_encoder_loss(
    discriminator: nn.Module, target_features: torch.Tensor, loss: GANLoss | None = None
) -> torch.Tensor:
    """ADDA's inverted-label objective ``-E log D(M_t(x_t))``: the non-saturating ``g_loss``."""
    loss = get_loss("non_saturating") if loss is None else loss
    return loss.g_loss(discriminator(target_features))


def _reinitialise(module: nn.Module) -> None:
    """Fresh default initialisation of every layer (drawn from torch's seeded generator)."""
    for layer in module.modules():
        if layer is not module and hasattr(layer, "reset_parameters"):
            layer.reset_parameters()


def adapt(
    source_encoder: nn.Module,
    classifier_head: nn.Module,
    source_images: np.ndarray | torch.Tensor,
    target_images: np.ndarray | torch.Tensor,
    cfg: AdaptationConfig,
    *,
    init: Literal["source", "scratch"] = "source",
    log_metrics: MetricSink | None = None,
) -> tuple[nn.Module, DomainDiscriminator, pd.DataFrame]:
    """ADDA: train a target encoder, initialised from the source one, to fool a discriminator
    (``cfg``: ``AdaptationConfig``).

    ``init="scratch"`` starts the target encoder from fresh random weights instead (same
    architecture, seeded): the naive approach the ADDA paper contrasts with, whose features
    need not match what the frozen classifier head expects.

    The source encoder and classifier head stay frozen (used as eval-mode copies; the caller's
    modules are never touched). Each step: one discriminator update on a source batch ("real")
    against a target batch ("fake"), then one target-encoder update with the inverted-label loss,
    which is the non-saturating generator loss of ``gan.losses``. Target labels are never used.
    History columns: ``step, d_loss, t_loss, d_acc`` (discriminator accuracy on its batch);
    ``log_metrics(dict, step)`` receives them every ``cfg.log_every`` steps.
    Returns the target encoder and discriminator on the CPU in eval mode, and the history.
    """
    if init not in ("source", "scratch"):
        raise ValueError(f"init must be 'source' or 'scratch', got {init!r}")
    torch_device = resolve_device(cfg.device)
    x_source = as_image_tensor(source_images, "source_images").to(torch_device)
    x_target = as_image_tensor(target_images, "target_images").to(torch_device)

    generator = seed_everything(cfg.seed)
    frozen_source = _frozen_copy(source_encoder, torch_device)
    target_encoder = copy.deepcopy(source_encoder).to(torch_device).train().requires_grad_(True)
    if init == "scratch":
        _reinitialise(target_encoder)
    feature_dim = frozen_source(x_source[:1]).shape[1]
    _check_head_fits(classifier_head, feature_dim)
    discriminator = DomainDiscriminator(feature_dim, cfg.d_hidden).to(torch_device).train()
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=cfg.lr_d, betas=cfg.betas)
    opt_t = torch.optim.Adam(target_encoder.parameters(), lr=cfg.lr_t, betas=cfg.betas)
    loss = get_loss("non_saturating")

    source_batches = _index_batches(len(x_source), cfg.batch_size, generator)
    target_batches = _index_batches(len(x_target), cfg.batch_size, generator)
    rows = []
    for step in range(1, cfg.steps + 1):
        target_index = next(target_batches)
        with torch.no_grad():
            source_features = frozen_source(x_source[next(source_batches)])
        # one target forward serves both updates: the encoder does not change in between
        target_features = target_encoder(x_target[target_index])
        d_loss, d_acc = discriminator_loss(
            discriminator, source_features, target_features.detach(), loss
        )
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()

        t_loss = target_encoder_loss(discriminator, target_features, loss)
        opt_t.zero_grad(set_to_none=True)
        t_loss.backward()
        opt_t.step()

        row = {"step": step, "d_loss": d_loss.item(), "t_loss": t_loss.item(), "d_acc": d_acc}
        rows.append(row)
        if log_metrics is not None and step % cfg.log_every == 0:
            log_metrics({k: v for k, v in row.items() if k != "step"}, step)
    return target_encoder.cpu().eval(), discriminator.cpu().eval(), pd.DataFrame(rows)
