"""Adversarial losses on discriminator logits, selected by name with ``get_loss``.

Each loss has ``d_loss(real_logits, fake_logits)`` (minimised by the discriminator) and
``g_loss(fake_logits)`` (minimised by the generator). Logits are raw outputs ``f``; for the
probability losses ``D = sigmoid(f)``, and ``log D = -softplus(-f)``, ``log(1 - D) = -softplus(f)``
keep everything stable for large ``|f|``. Any logits shape works: every term is a mean.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor


class GANLoss:
    """A (discriminator loss, generator loss) pair; ``uses_gradient_penalty`` marks WGAN-GP."""

    name: str = ""
    uses_gradient_penalty: bool = False

    def d_loss(self, real_logits: Tensor, fake_logits: Tensor) -> Tensor:
        """Discriminator (critic) loss, to minimise."""
        raise NotImplementedError

    def g_loss(self, fake_logits: Tensor) -> Tensor:
        """Generator loss, to minimise."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _bce_d_loss(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    """``-E log D(x) - E log(1 - D(G(z)))``."""
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


class MinimaxLoss(GANLoss):
    """Original saturating GAN: G minimises ``E log(1 - D(G(z))) = -E softplus(f)``."""

    name = "minimax"

    def d_loss(self, real_logits: Tensor, fake_logits: Tensor) -> Tensor:
        return _bce_d_loss(real_logits, fake_logits)

    def g_loss(self, fake_logits: Tensor) -> Tensor:
        return -F.softplus(fake_logits).mean()


class NonSaturatingLoss(GANLoss):
    """Non-saturating GAN: G minimises ``-E log D(G(z)) = E softplus(-f)`` (ADDA's G loss)."""

    name = "non_saturating"

    def d_loss(self, real_logits: Tensor, fake_logits: Tensor) -> Tensor:
        return _bce_d_loss(real_logits, fake_logits)

    def g_loss(self, fake_logits: Tensor) -> Tensor:
        return F.softplus(-fake_logits).mean()


class HingeLoss(GANLoss):
    """Hinge loss: D ``E relu(1 - f_real) + E relu(1 + f_fake)``, G ``-E f_fake``."""

    name = "hinge"

    def d_loss(self, real_logits: Tensor, fake_logits: Tensor) -> Tensor:
        return F.relu(1.0 - real_logits).mean() + F.relu(1.0 + fake_logits).mean()

    def g_loss(self, fake_logits: Tensor) -> Tensor:
        return -fake_logits.mean()


class WassersteinGPLoss(GANLoss):
    """WGAN critic loss ``E f_fake - E f_real``, G ``-E f_fake``; the trainer adds the penalty."""

    name = "wgan_gp"
    uses_gradient_penalty = True

    def d_loss(self, real_logits: Tensor, fake_logits: Tensor) -> Tensor:
        return fake_logits.mean() - real_logits.mean()

    def g_loss(self, fake_logits: Tensor) -> Tensor:
        return -fake_logits.mean()


class LeastSquaresLoss(GANLoss):
    """LSGAN with targets 1 (real) / 0 (fake) on raw outputs, with Mao et al.'s factor 1/2."""

    name = "lsgan"

    def d_loss(self, real_logits: Tensor, fake_logits: Tensor) -> Tensor:
        return 0.5 * (real_logits - 1.0).pow(2).mean() + 0.5 * fake_logits.pow(2).mean()

    def g_loss(self, fake_logits: Tensor) -> Tensor:
        return 0.5 * (fake_logits - 1.0).pow(2).mean()


LOSSES: dict[str, type[GANLoss]] = {
    cls.name: cls
    for cls in (MinimaxLoss, NonSaturatingLoss, HingeLoss, WassersteinGPLoss, LeastSquaresLoss)
}


def get_loss(name: str) -> GANLoss:
    """The loss called ``name``: ``minimax, non_saturating, hinge, wgan_gp`` or ``lsgan``."""
    if name not in LOSSES:
        raise ValueError(f"unknown GAN loss {name!r}; choose one of {sorted(LOSSES)}")
    return LOSSES[name]()
