"""Stacked MNIST mode coverage (VEEGAN / PacGAN / BourGAN protocol).

Each of an image's three channels is classified by a pretrained MNIST classifier (float
``N×1×28×28`` in ``[-1, 1]`` → 10 logits, e.g. the ``classifier`` pipeline's
``mnist_classifier``); the mode is the digit triple ``100·d1 + 10·d2 + d3`` (0–999). The score
is the number of modes with at least one sample and KL(mode histogram ‖ uniform over 1000) =
``Σ_{p>0} p·log(p/0.001)``, natural log (``metrics.modes.kl_to_uniform``).
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn

from shall_we_gans.metrics.modes import kl_to_uniform

N_MODES = 1000
IMAGE_SHAPE = (3, 28, 28)
_RANGE_TOLERANCE = 1e-4


def as_stacked_tensor(images: np.ndarray | torch.Tensor) -> torch.Tensor:
    """Stacked images as float32 ``N×3×28×28`` in ``[-1, 1]``.

    Accepts uint8 in 0–255 (scaled ``x / 127.5 − 1``, as ``data.preprocess.scale_to_unit``) or
    float already in ``[-1, 1]``; anything else raises ``ValueError``.
    """
    tensor = torch.as_tensor(images)
    if tensor.ndim != 4 or tuple(tensor.shape[1:]) != IMAGE_SHAPE or tensor.shape[0] == 0:
        raise ValueError(
            f"stacked images must have shape N×3×28×28 with N > 0, got {tuple(tensor.shape)}"
        )
    if tensor.dtype == torch.uint8:
        return tensor.float() / 127.5 - 1.0
    if not tensor.is_floating_point():
        raise ValueError(f"stacked images must be uint8 (0–255) or float, got {tensor.dtype}")
    low, high = float(tensor.min()), float(tensor.max())
    if not (low >= -1 - _RANGE_TOLERANCE and high <= 1 + _RANGE_TOLERANCE):
        raise ValueError(f"float stacked images must lie in [-1, 1], got [{low:g}, {high:g}]")
    return tensor.float()


@torch.no_grad()
def per_channel(
    images: np.ndarray | torch.Tensor, module: nn.Module, batch_size: int = 2048
) -> torch.Tensor:
    """``module`` applied to every channel as a one-channel image: ``3N`` rows on the CPU, row
    ``3i + c`` for image ``i``, channel ``c``; ``batch_size`` at a time on the module's device,
    in eval mode (the caller's module keeps its train/eval mode)."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    x = as_stacked_tensor(images)
    flat = x.reshape(len(x) * 3, 1, *IMAGE_SHAPE[1:])
    device = next(module.parameters(), torch.empty(0)).device
    was_training = module.training
    module.eval()
    try:
        return torch.cat([module(chunk.to(device)).cpu() for chunk in flat.split(batch_size)])
    finally:
        module.train(was_training)


class ChannelFeatures(nn.Module):
    """A frozen copy of ``encoder`` in eval mode applied to every channel of an N×3×H×W batch,
    the channels' features concatenated (N × 3·feature_dim), differentiable in the input: the
    metric a feature-space Bourgain embedding measured its points in."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = copy.deepcopy(encoder).eval().requires_grad_(False)

    def train(self, mode: bool = True) -> ChannelFeatures:
        return self  # always eval: batch statistics would make the metric batch-dependent

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = len(x)
        return self.encoder(x.reshape(n * x.shape[1], 1, *x.shape[2:])).reshape(n, -1)


@torch.no_grad()
def per_channel_head(
    features: torch.Tensor, head: nn.Module, batch_size: int = 2048
) -> torch.Tensor:
    """``head`` on ``per_channel`` features, in the same chunks (so the logits equal those of
    ``per_channel(images, encoder-then-head)``), in eval mode; the module keeps its mode."""
    was_training = head.training
    head.eval()
    try:
        return torch.cat([head(chunk) for chunk in features.split(batch_size)])
    finally:
        head.train(was_training)


def channel_predictions(
    images: np.ndarray | torch.Tensor, classifier: nn.Module, batch_size: int = 2048
) -> tuple[np.ndarray, np.ndarray]:
    """Digit (int64, 0–9) and its softmax probability (float32) for every channel, each ``N×3``
    (channels classified together as ``3N`` one-channel images, ``per_channel``)."""
    logits = per_channel(images, classifier, batch_size)
    n = len(logits) // 3
    confidence, digits = torch.softmax(logits.float(), dim=1).max(dim=1)
    return digits.reshape(n, 3).numpy().astype(np.int64), confidence.reshape(n, 3).numpy()


def classify_channels(
    images: np.ndarray | torch.Tensor, classifier: nn.Module, batch_size: int = 2048
) -> np.ndarray:
    """Digit (int64, 0–9) of every channel, shape ``N×3`` (see ``channel_predictions``)."""
    return channel_predictions(images, classifier, batch_size)[0]


def modes_of(digits: np.ndarray) -> np.ndarray:
    """Mode ``100·d1 + 10·d2 + d3`` (int64, 0–999) of each row of an ``N×3`` digit array."""
    digits = np.asarray(digits)
    if digits.ndim != 2 or digits.shape[1] != 3 or not np.issubdtype(digits.dtype, np.integer):
        raise ValueError(f"digits must be an integer N×3 array, got {digits.dtype} {digits.shape}")
    if digits.size and (digits.min() < 0 or digits.max() > 9):
        raise ValueError("digits must lie in 0–9")
    return (digits @ np.array([100, 10, 1])).astype(np.int64)


def mode_counts(modes: np.ndarray) -> np.ndarray:
    """Histogram (int64, length 1000) of mode indices 0–999."""
    modes = np.asarray(modes)
    if modes.ndim != 1 or not np.issubdtype(modes.dtype, np.integer):
        raise ValueError(f"modes must be a 1-D integer array, got {modes.dtype} {modes.shape}")
    if modes.size and (modes.min() < 0 or modes.max() >= N_MODES):
        raise ValueError(f"modes must lie in 0–{N_MODES - 1}")
    return np.bincount(modes, minlength=N_MODES).astype(np.int64)


def coverage_metrics(counts: np.ndarray) -> dict[str, float | int]:
    """``modes_covered`` (modes with ≥ 1 sample) and ``kl_to_uniform`` of a 1000-mode histogram."""
    counts = np.asarray(counts)
    if counts.shape != (N_MODES,):
        raise ValueError(f"counts must have shape ({N_MODES},), got {counts.shape}")
    return {"modes_covered": int((counts > 0).sum()), "kl_to_uniform": kl_to_uniform(counts)}


def stacked_mnist_modes(
    images: np.ndarray | torch.Tensor,
    classifier: nn.Module,
    batch_size: int = 2048,
    min_confidence: float = 0.9,
) -> dict[str, np.ndarray | float | int]:
    """Classify each channel of ``images`` and score them (every sample counts, as in the protocol).

    Returns ``counts`` (int64, 1000), ``modes_covered``, ``kl_to_uniform`` (natural log) and
    ``confident_fraction``: the share of samples whose three channels all get a softmax
    probability ≥ ``min_confidence``. Noise is classified too, so read the coverage with it.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must lie in [0, 1], got {min_confidence!r}")
    digits, confidence = channel_predictions(images, classifier, batch_size)
    counts = mode_counts(modes_of(digits))
    confident = float((confidence >= min_confidence).all(axis=1).mean())
    return {"counts": counts, **coverage_metrics(counts), "confident_fraction": confident}


def judged_by_two(
    images: np.ndarray | torch.Tensor,
    classifier: nn.Module,
    second: nn.Module,
    min_confidence: float = 0.9,
) -> dict[str, float]:
    """Is a stacked sample three digits? The protocol's count (``stacked_mnist_modes`` with
    ``classifier``) and, beside it, ``channel_agreement``: the share of channels on which
    ``second``, an independent classifier, reads the same digit (real digits: near 1; noise
    and stripes: 0.1–0.4), ``recount_modes``: the modes ``second`` counts, and
    ``channel_confident``: the share of channels ``classifier`` reads with softmax ≥
    ``min_confidence`` (``agreement_metrics`` of both classifiers' per-channel logits)."""
    return agreement_metrics(
        per_channel(images, classifier), per_channel(images, second), min_confidence
    )


def agreement_metrics(
    logits: torch.Tensor, second_logits: torch.Tensor, min_confidence: float = 0.9
) -> dict[str, float]:
    """``judged_by_two`` from the two classifiers' ``3N × 10`` per-channel logits."""
    confidence, digits = torch.softmax(logits.float(), dim=1).max(dim=1)
    other = second_logits.argmax(dim=1)
    counts = mode_counts(modes_of(digits.reshape(-1, 3).numpy().astype(np.int64)))
    recount = mode_counts(modes_of(other.reshape(-1, 3).numpy().astype(np.int64)))
    confident = (confidence >= min_confidence).reshape(-1, 3).numpy()
    return {
        **coverage_metrics(counts),
        "confident_fraction": float(confident.all(axis=1).mean()),
        "channel_confident": float(confident.mean()),
        "channel_agreement": float((digits == other).float().mean()),
        "recount_modes": int((recount > 0).sum()),
    }


def sampling_floor_kl(n_samples: int, n_repeats: int = 20, seed: int = 0) -> float:
    """Expected KL to uniform of ``n_samples`` draws uniform over the 1000 modes.

    The KL a perfect generator still scores because of finite sampling (≈ 999 / (2N) for large
    N). Estimated by simulation: mean over ``n_repeats`` seeded multinomial draws.
    """
    for name, value in (("n_samples", n_samples), ("n_repeats", n_repeats)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n_samples, np.full(N_MODES, 1.0 / N_MODES), size=n_repeats)
    return float(np.mean([kl_to_uniform(counts) for counts in draws]))


def expected_modes_covered(n_samples: int) -> float:
    """Expected modes hit by ``n_samples`` uniform draws over 1000 modes (closed form):
    ``1000 · (1 − (1 − 1/1000)^N)``."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, int) or n_samples < 0:
        raise ValueError(f"n_samples must be a non-negative integer, got {n_samples!r}")
    return float(N_MODES * (1.0 - (1.0 - 1.0 / N_MODES) ** n_samples))
