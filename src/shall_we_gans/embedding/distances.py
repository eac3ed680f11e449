"""Blocked float32 distances with a known error bound, and exact float64 pair distances.

Blocks hold *keys*, a monotone function of the distance: the squared distance for 'euclidean'
(one matrix product, ``|a|^2 + |b|^2 - 2 a.b``), the distance itself for 'l1' (``|a - b|``
summed by ``torch.cdist(p=1)``). Minima and maxima of keys are those of distances, so the square
root is taken only on the (m, S) result. The float32 error of a key is below
``slack(D) * (|a|^2 + |b|^2)`` (euclidean) or ``slack(D) * (d + |a|_1 + |b|_1)`` (l1) for
centred points; keys below 128x the largest such bound are recomputed exactly, so near-duplicate
points keep correct, distinct distances and d(x, x) is exactly 0.
"""

from __future__ import annotations

import torch
from torch import Tensor

from shall_we_gans.embedding.workspace import Workspace

_UNIT_ROUNDOFF_F32 = 2.0**-24


def slack(width: int) -> float:
    """A conservative relative rounding bound for float32 sums of ``width`` products."""
    return 4.0 * (width + 4) * _UNIT_ROUNDOFF_F32


class BlockDistances:
    """Keys between row blocks of ``points[order]`` ((m, D) float), for a fixed metric."""

    def __init__(self, points: Tensor, order: Tensor, metric: str, chunk: int = 4096) -> None:
        self.metric, self.exact_points, self.order = metric, points, order
        chunks = [slice(start, start + chunk) for start in range(0, len(points), chunk)]
        mean = sum(points[rows].double().sum(dim=0) for rows in chunks) / len(points)
        self.points = torch.empty(points.shape, dtype=torch.float32)
        for rows in chunks:
            self.points[rows] = points[order[rows]].double() - mean
        if metric == "l1":
            self.norms = self.points.abs().sum(dim=1)
        else:
            self.norms = self.points.pow(2).sum(dim=1)
        self.slack = slack(points.shape[1])
        self.tiny = float(128 * self.slack * self.norms.max())  # keys below: recomputed exactly
        self.workspace = Workspace()

    def block(self, rows: slice, cols: slice, out: Tensor | None = None) -> Tensor:
        """Keys (len(rows), len(cols)) in float32; exact where float32 cannot tell them from 0."""
        a, b = self.points[rows], self.points[cols]
        if self.metric == "l1":
            keys = torch.cdist(a.unsqueeze(0), b.unsqueeze(0), p=1.0).squeeze(0)
        else:
            keys = torch.addmm(self.norms[cols].unsqueeze(0), a, b.T, alpha=-2.0, out=out)
            keys.add_(self.norms[rows].unsqueeze(1))
        unsure = torch.le(
            keys, self.tiny, out=self.workspace.take("unsure", keys.shape, torch.bool)
        )
        if rows == cols:  # d(x, x) = 0 exactly
            keys.fill_diagonal_(0.0)
            unsure.fill_diagonal_(False)
        if torch.count_nonzero(unsure):
            r, c = unsure.nonzero(as_tuple=True)
            keys[r, c] = self.exact_keys(r + rows.start, c + cols.start).float()
        return keys  # negative float32 keys were all "unsure", hence recomputed

    def exact_keys(self, first: Tensor, second: Tensor) -> Tensor:
        """Exact float64 keys of the pairs (first[k], second[k]) of permuted indices."""
        d = exact_pair_distances(
            self.exact_points, self.order[first], self.order[second], self.metric
        )
        return d if self.metric == "l1" else d.pow(2)

    def to_distance(self, keys: Tensor) -> Tensor:
        """Distances from keys."""
        return keys if self.metric == "l1" else keys.sqrt()

    def upper(self, keys: Tensor, first: Tensor, second: Tensor) -> Tensor:
        """Guaranteed upper bounds of exact distances, given the computed keys of pairs."""
        norms = self.norms[first] + self.norms[second]
        if self.metric == "l1":
            return keys * (1.0 + self.slack) + self.slack * norms
        return (keys + self.slack * norms).sqrt_()

    def row_upper(self, row_max_keys: Tensor) -> Tensor:
        """Upper bound of each point's largest exact distance, from its largest computed key."""
        norms = self.norms + self.norms.max()
        if self.metric == "l1":
            return row_max_keys * (1.0 + self.slack) + self.slack * norms
        return (row_max_keys + self.slack * norms).sqrt()


def exact_pair_distances(points: Tensor, first: Tensor, second: Tensor, metric: str) -> Tensor:
    """Distances between ``points[first[k]]`` and ``points[second[k]]`` in float64, no blocks."""
    diff = points[first].double() - points[second].double()
    if metric == "l1":
        return diff.abs().sum(dim=1)
    return diff.pow(2).sum(dim=1).sqrt()
