"""Regularisers added to GAN losses: R1, WGAN-GP, orthogonal regularisation, BourGAN distances."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from shall_we_gans.gan.diagnostics import input_gradients, per_sample_norm

ORTHO_MODES = ("off_diagonal", "full")


def r1_penalty(
    discriminator: nn.Module, x_real: Tensor, gamma: float, real_logits: Tensor | None = None
) -> Tensor:
    """Zero-centred gradient penalty ``gamma / 2 * E ||grad_x f(x_real)||^2`` (Mescheder 2018).

    Pass ``real_logits`` to reuse a forward pass; ``x_real`` must then be the tensor (requiring
    grad) they were computed from. Otherwise one forward pass is run here.
    """
    if real_logits is None:
        x_real = x_real.detach().requires_grad_(True)
        real_logits = discriminator(x_real)
    return r1_from_gradients(input_gradients(real_logits, x_real, create_graph=True), gamma)


def r1_from_gradients(grads: Tensor, gamma: float) -> Tensor:
    """R1 from input gradients ``grad_x f`` (N, ...) computed with ``create_graph=True``."""
    return 0.5 * gamma * grads.reshape(len(grads), -1).pow(2).sum(dim=1).mean()


def wgan_gp_penalty(
    discriminator: nn.Module,
    x_real: Tensor,
    x_fake: Tensor,
    lam: float = 10.0,
    generator: torch.Generator | None = None,
) -> Tensor:
    """WGAN-GP ``lam * E (||grad f(x_hat)|| - 1)^2`` at random interpolates (Gulrajani 2017).

    ``x_hat = a x_real + (1 - a) x_fake`` with one ``a ~ U[0, 1]`` per sample drawn from
    ``generator`` (on its device).
    """
    if x_real.shape != x_fake.shape:
        raise ValueError(f"x_real {tuple(x_real.shape)} and x_fake {tuple(x_fake.shape)} differ")
    device = generator.device if generator is not None else x_real.device
    shape = (len(x_real),) + (1,) * (x_real.ndim - 1)
    a = torch.rand(shape, generator=generator, device=device).to(x_real.device)
    x_hat = torch.lerp(x_fake.detach(), x_real.detach(), a).requires_grad_(True)
    grads = input_gradients(discriminator(x_hat), x_hat, create_graph=True)
    return lam * (per_sample_norm(grads) - 1.0).pow(2).mean()


def orthogonal_regularization(module: nn.Module, beta: float, mode: str = "off_diagonal") -> Tensor:
    """``beta * sum_W ||W W^T - I||_F^2`` over every parameter with two or more dims.

    Each weight is viewed as ``W = weight.reshape(shape[0], -1)`` (one row per output filter, or
    per input channel for transposed convolutions, as in BigGAN). ``mode="off_diagonal"`` (BigGAN)
    masks the diagonal, so only the filters' mutual inner products are penalised;
    ``mode="full"`` also pulls every row to unit norm. For spectrally normalised layers this
    regularises the unnormalised weight (the parametrisation's ``original``).
    """
    if mode not in ORTHO_MODES:
        raise ValueError(f"orthogonal regularization mode must be in {ORTHO_MODES}, got {mode!r}")
    total = None
    for p in module.parameters():
        if p.ndim < 2:
            continue
        w = p.reshape(p.shape[0], -1)
        gram = w @ w.T
        eye = torch.eye(len(gram), device=gram.device, dtype=gram.dtype)
        diff = gram * (1.0 - eye) if mode == "off_diagonal" else gram - eye
        term = diff.pow(2).sum()
        total = term if total is None else total + term
    if total is None:
        return torch.zeros(())
    return beta * total


def bourgan_distance_loss(
    x_fake: Tensor, z: Tensor, beta: float, alpha: float = 0.1, eps: float = 1e-8
) -> Tensor:
    """BourGAN's pairwise term ``alpha * MSE(log ||G(z1) - G(z2)||, log(beta ||z1 - z2||))``.

    Pairs are the first and the second half of the batch (an odd last sample is unused). Logs
    are taken as ``0.5 * log(squared distance + eps)`` on both sides, so the term is exactly 0
    when ``||G(z1) - G(z2)|| = beta ||z1 - z2||`` and its gradient stays finite at 0.
    """
    if len(x_fake) != len(z) or len(z) < 2:
        raise ValueError(
            f"x_fake and z need the same batch size >= 2, got {len(x_fake)} and {len(z)}"
        )
    if not beta > 0:
        raise ValueError(f"beta must be positive, got {beta}")
    half = len(z) // 2
    x = x_fake.reshape(len(x_fake), -1)
    z = z.reshape(len(z), -1)
    dx2 = (x[:half] - x[half : 2 * half]).pow(2).sum(dim=1)
    dz2 = (z[:half] - z[half : 2 * half]).pow(2).sum(dim=1)
    log_dx = 0.5 * torch.log(dx2 + eps)
    log_dz = 0.5 * torch.log(beta**2 * dz2 + eps)
    return alpha * F.mse_loss(log_dx, log_dz)


@dataclass(frozen=True)
class BourganDistanceTerm:
    """BourGAN's generator term as ``extra_g_loss(z, x_fake, step)`` of ``GANTrainer``.

    Weight ``alpha`` until iteration ``switch_step``, then ``alpha_final`` (``None``: ``alpha``
    throughout, as in the paper; ``switch_step`` is then unused). Within a mode the embedding
    spreads points further apart than the data does, so a late, smaller weight lets the
    generator sharpen its modes. ``features``: the map the embedding measured its points in
    (``None``: the samples themselves); the generator's distances are measured through it, so
    both sides of the term are in the embedding's metric.
    """

    beta: float
    alpha: float = 0.1
    alpha_final: float | None = None
    switch_step: int | None = None
    features: nn.Module | None = None

    def __post_init__(self) -> None:
        if self.alpha_final is not None and self.switch_step is None:
            raise ValueError("alpha_final needs switch_step (the iteration it starts at)")

    def weight(self, step: int) -> float:
        """The weight used at iteration ``step``."""
        late = self.alpha_final is not None and step >= self.switch_step
        return self.alpha_final if late else self.alpha

    def __call__(self, z: Tensor, x_fake: Tensor, step: int) -> Tensor:
        if self.features is not None:  # the embedding's own metric: distances of features
            x_fake = self.features.to(x_fake.device)(x_fake)
        return bourgan_distance_loss(x_fake, z, self.beta, alpha=self.weight(step))


def target_over_data(
    points: np.ndarray | Tensor,
    centres: Tensor,
    sigma: float,
    beta: float,
    n_pairs: int = 2000,
    seed: int = 0,
) -> float:
    """The median, over random pairs of mixture components i ≠ j, of the distance term's
    target β‖z_i − z_j‖ (z drawn from the components, noise σ included) over the data
    distance ‖x_i − x_j‖ of the points they embed (row m of ``points`` ↔ ``centres[m]``):
    1 when the term asks G for the data's own distances."""
    x = torch.as_tensor(np.asarray(points, dtype=np.float32)).reshape(len(points), -1)
    if len(x) != len(centres) or len(x) < 2:
        raise ValueError(f"need one point per centre (>= 2), got {len(x)} and {len(centres)}")
    gen = torch.Generator().manual_seed(seed)
    i, j = (torch.randint(len(x), (n_pairs,), generator=gen) for _ in range(2))
    keep = i != j
    i, j = i[keep], j[keep]
    noise = sigma * torch.randn(2, len(i), centres.shape[1], generator=gen)
    dz = (centres[i] + noise[0] - centres[j] - noise[1]).norm(dim=1)
    dx = (x[i] - x[j]).norm(dim=1).clamp_min(1e-12)
    return float(np.median((beta * dz / dx).numpy()))
