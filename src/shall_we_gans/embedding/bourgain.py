"""Bourgain embedding of a finite point set into l2 (BourGAN, arXiv 1805.07674, Algorithm 1).

For m distinct points: ``levels = ceil(log2 m)`` and ``t = repetitions`` (default ``levels``,
i.e. O(log m)). For level i = 1..levels and repetition j = 1..t, the subset S_ij keeps each point
independently with probability 2^-i, and coordinate (i, j) of x is d(x, S_ij) = min over y in
S_ij of d(x, y) (0 when S_ij is empty: a constant coordinate changes no distance). With ``jl``
these levels * t coordinates are multiplied by a Gaussian matrix with N(0, 1/dim) entries,
``dim = min(levels * t, ceil(jl_factor * log2 m))`` (Johnson-Lindenstrauss, ``jl_factor`` = 5
by default: 50 dims for 1000 points, the official code's 5 * ceil(log2 m)); without ``jl``
(the official code's variant) ``dim = levels * t``, coordinates in level-major order. Finally
everything is multiplied by beta = max over pairs d(x, y) / ||f(x) - f(y)||, computed exactly,
so the map never contracts: ||coords[a] - coords[b]|| >= d(points[a], points[b]).

Duplicate points are one point of the metric space (m counts distinct points) and get identical
rows. If two distinct points get identical coordinates (possible for tiny m: for m = 2, t = 1
half the draws do), beta would be infinite; the subsets are then drawn again from the same
seeded stream, at most ``max_draws`` times. For m = 1 the coordinates are 0 and beta is 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from shall_we_gans.embedding.distances import BlockDistances
from shall_we_gans.embedding.points import as_point_matrix, check_metric, unique_rows
from shall_we_gans.embedding.rescale import noncontraction_scale
from shall_we_gans.embedding.subset_distances import subset_distances
from shall_we_gans.embedding.subsets import sample_subsets

JL_FACTOR = 5.0


@dataclass(frozen=True)
class BourgainEmbedding:
    """Embedded points (one row per input point), the applied scale beta and the sizes.

    ``coords`` are already non-contracting (``beta`` is applied). BourGAN's distance loss
    ``(log ||G(z1) - G(z2)|| - log(beta ||z1 - z2||))^2`` pairs beta with the *unscaled* map:
    use ``unscaled_coords`` with ``beta``, or ``coords`` with a scale of 1 - not both.
    """

    coords: np.ndarray  # (N, dim) float64, already multiplied by beta
    beta: float
    dim: int
    levels: int
    repetitions: int

    @property
    def unscaled_coords(self) -> np.ndarray:
        """``coords / beta``: the map before the non-contraction rescale."""
        return self.coords / self.beta

    @property
    def rms(self) -> float:
        """The spread of ``unscaled_coords``: RMS per coordinate about their mean (1.0 when
        they have none: one point, or all at one place)."""
        centred = self.unscaled_coords - self.unscaled_coords.mean(axis=0)
        return float(np.sqrt(np.mean(centred**2))) or 1.0

    def normalised(self) -> tuple[np.ndarray, float]:
        """The official code's latent centres and their beta: the map before the rescale,
        centred and scaled to unit RMS per coordinate (``sum c² = N · dim``), so noise added to
        them means the same whatever the number of subsets; and ``beta · rms``, the scale that
        pairs with them in BourGAN's distance loss."""
        centred = self.unscaled_coords - self.unscaled_coords.mean(axis=0)
        return centred / self.rms, self.beta * self.rms


def embedding_shape(
    m: int, *, jl: bool = True, repetitions: int | None = None, jl_factor: float = JL_FACTOR
) -> tuple[int, int, int]:
    """``(levels, repetitions, dim)`` used for ``m`` distinct points."""
    levels = max(1, (m - 1).bit_length())  # ceil(log2 m), at least 1
    t = levels if repetitions is None else repetitions
    if not jl:
        return levels, t, levels * t
    return levels, t, min(levels * t, max(1, math.ceil(jl_factor * math.log2(m))))


def embed(
    points,
    *,
    seed: int,
    jl: bool = True,
    metric: str = "euclidean",
    repetitions: int | None = None,
    jl_factor: float = JL_FACTOR,
    block_size: int = 1024,
    max_draws: int = 32,
) -> BourgainEmbedding:
    """Embed ``points`` (N, ...) flattened to (N, D) under ``metric`` ('euclidean' or 'l1').

    ``block_size`` bounds memory (about ``block_size**2`` floats per temporary) and does not
    change the result beyond float32 rounding.
    """
    check_metric(metric)
    _check_options(seed, repetitions, jl_factor, block_size, max_draws)
    x = as_point_matrix(points)
    first, inverse = unique_rows(x)
    distinct = torch.from_numpy(x if len(first) == len(x) else x[first])
    m = len(distinct)
    levels, t, dim = embedding_shape(m, jl=jl, repetitions=repetitions, jl_factor=jl_factor)
    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(m, generator=generator)  # processing order; results do not depend on it
    dist = BlockDistances(distinct, order, metric)
    for _ in range(max_draws):
        members = sample_subsets(m, levels, t, generator)[:, order]
        projection = torch.randn(dim, levels * t, generator=generator, dtype=torch.float64)
        coords, row_max = subset_distances(dist, members, levels, block_size)
        if m > 1 and len(unique_rows(coords.numpy())[0]) < m:
            continue  # two distinct points share all coordinates: draw again
        unscaled = coords.double() @ (projection.T / math.sqrt(dim)) if jl else coords.double()
        beta = noncontraction_scale(dist, unscaled, row_max, block_size)
        if math.isfinite(beta):
            scaled = torch.empty_like(unscaled)
            scaled[order] = beta * unscaled
            return BourgainEmbedding(scaled.numpy()[inverse], beta, dim, levels, t)
    raise ValueError(
        f"could not separate all {m} distinct points in max_draws={max_draws} draws of the "
        "subsets; raise repetitions or max_draws"
    )


def bourgain_embedding(
    points,
    *,
    seed: int,
    jl: bool = True,
    metric: str = "euclidean",
    repetitions: int | None = None,
    jl_factor: float = JL_FACTOR,
    block_size: int = 1024,
    max_draws: int = 32,
) -> np.ndarray:
    """The (N, dim) coordinates of :func:`embed` (already rescaled by beta)."""
    return embed(
        points,
        seed=seed,
        jl=jl,
        metric=metric,
        repetitions=repetitions,
        jl_factor=jl_factor,
        block_size=block_size,
        max_draws=max_draws,
    ).coords


def _check_options(seed, repetitions, jl_factor, block_size, max_draws) -> None:
    checks = (
        ("seed", seed, _is_int(seed), "an int"),
        (
            "repetitions",
            repetitions,
            repetitions is None or _positive_int(repetitions),
            "None or a positive int",
        ),
        ("jl_factor", jl_factor, _is_number(jl_factor) and jl_factor > 0, "a positive number"),
        ("block_size", block_size, _positive_int(block_size), "a positive int"),
        ("max_draws", max_draws, _positive_int(max_draws), "a positive int"),
    )
    for name, value, ok, allowed in checks:
        if not ok:
            raise ValueError(f"{name} must be {allowed}, got {value!r}")


def _is_int(value) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _positive_int(value) -> bool:
    return _is_int(value) and value > 0
