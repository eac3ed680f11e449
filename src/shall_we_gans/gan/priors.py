"""Latent priors p_z: uniform, Gaussian, truncated Gaussian and a Gaussian mixture.

Every prior has an attribute ``dim`` and ``sample(n, generator, device) -> Tensor (n, dim)``.
Random numbers are drawn on ``generator``'s device (so a seeded generator gives the same numbers
every time) and then moved to ``device``.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Any

import numpy as np
import torch
from torch import Tensor

Device = torch.device | str | None


class Prior(ABC):
    """A distribution over latent vectors of size ``dim``."""

    dim: int

    @abstractmethod
    def sample(self, n: int, generator: torch.Generator, device: Device = None) -> Tensor:
        """Draw ``n`` latent vectors as a float32 tensor of shape ``(n, dim)`` on ``device``."""

    def sample_truncated(
        self,
        n: int,
        threshold: float,
        generator: torch.Generator,
        device: Device = None,
    ) -> Tensor:
        """Draw with the truncation trick (only for Gaussian priors)."""
        raise ValueError(
            f"truncation is defined for Gaussian priors only, not for {type(self).__name__}"
        )


def _check_count(n: int) -> None:
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")


def _check_dim(dim: int) -> int:
    if not isinstance(dim, int) or dim < 1:
        raise ValueError(f"dim must be a positive int, got {dim!r}")
    return dim


def _to(x: Tensor, device: Device) -> Tensor:
    return x if device is None else x.to(device)


def truncated_normal(
    shape: tuple[int, ...],
    threshold: float,
    generator: torch.Generator,
    device: Device = None,
) -> Tensor:
    """Standard normal entries conditioned on ``|z| <= threshold``.

    Same distribution as resampling every entry with ``|z| > threshold``, drawn in one pass by
    inverting the normal CDF on ``[Phi(-threshold), Phi(threshold)]`` (in float64).
    """
    if not threshold > 0 or not math.isfinite(threshold):
        raise ValueError(f"truncation threshold must be a positive finite number, got {threshold}")
    lo = 0.5 * math.erfc(threshold / math.sqrt(2.0))  # Phi(-threshold)
    u = torch.rand(shape, generator=generator, device=generator.device, dtype=torch.float64)
    z = torch.special.ndtri(lo + (1.0 - 2.0 * lo) * u).clamp_(-threshold, threshold)
    return _to(z.float(), device)


class UniformPrior(Prior):
    """Independent uniform entries on ``[low, high]`` (default ``[0, 1]``)."""

    def __init__(self, dim: int, low: float = 0.0, high: float = 1.0) -> None:
        if not high > low:
            raise ValueError(f"uniform prior needs high > low, got low={low}, high={high}")
        self.dim, self.low, self.high = _check_dim(dim), float(low), float(high)

    def sample(self, n: int, generator: torch.Generator, device: Device = None) -> Tensor:
        _check_count(n)
        u = torch.rand(n, self.dim, generator=generator, device=generator.device)
        return _to(u.mul_(self.high - self.low).add_(self.low), device)


class GaussianPrior(Prior):
    """Standard normal ``N(0, I)``."""

    def __init__(self, dim: int) -> None:
        self.dim = _check_dim(dim)

    def sample(self, n: int, generator: torch.Generator, device: Device = None) -> Tensor:
        _check_count(n)
        return _to(torch.randn(n, self.dim, generator=generator, device=generator.device), device)

    def sample_truncated(
        self, n: int, threshold: float, generator: torch.Generator, device: Device = None
    ) -> Tensor:
        _check_count(n)
        return truncated_normal((n, self.dim), threshold, generator, device)


class TruncatedGaussianPrior(GaussianPrior):
    """``N(0, I)`` with every entry restricted to ``[-threshold, threshold]``."""

    def __init__(self, dim: int, threshold: float = 2.0) -> None:
        super().__init__(dim)
        if not threshold > 0:
            raise ValueError(f"threshold must be positive, got {threshold}")
        self.threshold = float(threshold)

    def sample(self, n: int, generator: torch.Generator, device: Device = None) -> Tensor:
        return self.sample_truncated(n, self.threshold, generator, device)

    def sample_truncated(
        self, n: int, threshold: float, generator: torch.Generator, device: Device = None
    ) -> Tensor:
        _check_count(n)
        return truncated_normal((n, self.dim), min(threshold, self.threshold), generator, device)


class GaussianMixturePrior(Prior):
    """Uniform mixture of isotropic Gaussians ``N(centre_m, sigma^2 I)``; ``dim`` = centres' dim."""

    def __init__(self, centres: np.ndarray | Tensor, sigma: float = 0.1) -> None:
        centres = torch.as_tensor(np.asarray(centres, dtype=np.float32))
        if centres.ndim != 2 or centres.shape[0] < 1 or centres.shape[1] < 1:
            raise ValueError(f"centres must be a non-empty (M, d) array, got shape {centres.shape}")
        if not torch.isfinite(centres).all():
            raise ValueError("centres must be finite")
        if not sigma >= 0:
            raise ValueError(f"sigma must be non-negative, got {sigma}")
        self.centres, self.sigma, self.dim = centres, float(sigma), int(centres.shape[1])

    @classmethod
    def from_embedding(
        cls,
        embedding: Any,
        sigma: float,
        variant: str = "paper",
        *,
        centre: bool = False,
        sigma_unit: str = "rms",
    ) -> GaussianMixturePrior:
        """BourGAN's latent: one component per embedded point.

        ``official`` (and any variant with ``centre``) centres the map and scales it to unit
        RMS per coordinate, as the official code does; ``paper`` without ``centre`` keeps the
        map as it is. ``sigma_unit``: ``rms``, σ in units of the map's RMS per coordinate (so
        it does not move with the number of subsets); ``nearest``, a draw lands ``sigma`` ×
        the centres' median nearest-neighbour distance from its centre (σ·√dim = sigma · r_nn,
        so the components stay apart for sigma < 0.5). ``embedding``: an
        ``embedding.BourgainEmbedding``; its β for these centres is
        ``bourgain_beta(embedding, variant, centre=centre)``."""
        if variant not in ("paper", "official"):
            raise ValueError(f"variant must be 'paper' or 'official', got {variant!r}")
        if sigma_unit not in ("rms", "nearest"):
            raise ValueError(f"sigma_unit must be 'rms' or 'nearest', got {sigma_unit!r}")
        unit = variant == "official" or centre
        centres = embedding.normalised()[0] if unit else embedding.unscaled_coords
        if sigma_unit == "nearest":
            spacing = nearest_neighbour_spacing(centres)
            if spacing == 0.0:
                raise ValueError(
                    "sigma_unit 'nearest': the embedded points' median nearest-neighbour "
                    "distance is 0 (most of them coincide); use sigma_unit 'rms'"
                )
            scale = spacing / math.sqrt(centres.shape[1])
        else:
            scale = 1.0 if unit else embedding.rms
        return cls(centres, sigma=sigma * scale)

    def _pick(self, n: int, generator: torch.Generator) -> Tensor:
        centres = self.centres.to(generator.device)
        idx = torch.randint(len(centres), (n,), generator=generator, device=generator.device)
        return centres[idx]

    def sample(self, n: int, generator: torch.Generator, device: Device = None) -> Tensor:
        _check_count(n)
        means = self._pick(n, generator)
        noise = torch.randn(n, self.dim, generator=generator, device=generator.device)
        return _to(means + self.sigma * noise, device)

    def sample_truncated(
        self, n: int, threshold: float, generator: torch.Generator, device: Device = None
    ) -> Tensor:
        _check_count(n)
        means = self._pick(n, generator)
        noise = truncated_normal((n, self.dim), threshold, generator)
        return _to(means + self.sigma * noise, device)


def bourgain_beta(embedding: Any, variant: str = "paper", *, centre: bool = False) -> float:
    """The β (scale of the latent centres against the data's distances) that goes with
    ``GaussianMixturePrior.from_embedding(embedding, sigma, variant, centre=centre)``'s
    centres."""
    unit = variant == "official" or centre
    return embedding.normalised()[1] if unit else embedding.beta


def nearest_neighbour_spacing(points: np.ndarray) -> float:
    """The median distance from each point to its nearest other point (0 for one point)."""
    x = torch.as_tensor(np.asarray(points, dtype=np.float64))
    if len(x) < 2:
        return 0.0
    d = torch.cdist(x, x)
    d.fill_diagonal_(math.inf)
    return float(np.median(d.min(dim=1).values.numpy()))


def draw_spread(prior: GaussianMixturePrior, seed: int, n: int = 2000) -> float:
    """The root-mean-square distance of ``n`` draws of ``prior`` to their nearest centre over the
    centres' median nearest-neighbour distance: ``sigma`` of ``sigma_unit: nearest`` while
    the components stay apart, less once draws land nearer other centres."""
    draws = prior.sample(n, torch.Generator().manual_seed(seed)).double()
    nearest = torch.cdist(draws, prior.centres.double()).min(dim=1).values
    return float(nearest.pow(2).mean().sqrt()) / nearest_neighbour_spacing(prior.centres.numpy())


PRIORS: dict[str, type[Prior]] = {
    "uniform": UniformPrior,
    "gaussian": GaussianPrior,
    "truncated_gaussian": TruncatedGaussianPrior,
    "gaussian_mixture": GaussianMixturePrior,
}


def build_prior(name: str, dim: int | None = None, **kwargs) -> Prior:
    """Build a prior by name (see ``PRIORS``).

    ``gaussian_mixture`` takes ``centres`` (M x d) and ``sigma``; its ``dim`` is the centres' dim
    (a ``dim`` given as well must agree). The others need ``dim``; ``uniform`` takes ``low``,
    ``high``; ``truncated_gaussian`` takes ``threshold``.
    """
    if name not in PRIORS:
        raise ValueError(f"unknown prior {name!r}; choose one of {sorted(PRIORS)}")
    if name == "gaussian_mixture":
        prior = GaussianMixturePrior(**kwargs)
        if dim is not None and dim != prior.dim:
            raise ValueError(f"dim={dim} does not match the mixture centres' dim {prior.dim}")
        return prior
    if dim is None:
        raise ValueError(f"prior {name!r} needs dim")
    return PRIORS[name](dim, **kwargs)
