"""The exact non-contraction factor beta = max over pairs d(x, y) / ||h(x) - h(y)||.

All pairs are visited once, in blocks, but a pair's original distance is computed exactly
(float64) only when the pair could raise the running beta. With R(x) an upper bound of x's
largest distance (from the subset pass) and e_low(x, y) a float32 lower bound of
||h(x) - h(y)||, the ratio is at most ``min(R(x), R(y)) / e_low(x, y)``. When a block has many
pairs above the running beta, beta is first raised with each row's nearest embedded partner,
then the bound is tightened with a float32 block of original distances (plus its rounding
bound), so only a few pairs reach float64.
"""

from __future__ import annotations

import torch
from torch import Tensor

from shall_we_gans.embedding.distances import BlockDistances, slack
from shall_we_gans.embedding.workspace import Workspace


def noncontraction_scale(
    dist: BlockDistances, coords: Tensor, row_max: Tensor, block_size: int
) -> float:
    """beta for float64 ``coords`` (m, d) of ``dist``'s points; ``row_max``: largest keys."""
    m = len(coords)
    if m < 2:
        return 1.0
    ratios = _Ratios(dist, coords, row_max)
    budget = max(64, 8 * block_size)  # float64 pair evaluations before tightening the bound
    blocks = [slice(s, min(s + block_size, m)) for s in range(0, m, block_size)]
    beta = 0.0
    for k, rows in enumerate(blocks):
        for cols in blocks[k:]:
            low = ratios.embedded_low(rows, cols)
            if beta == 0.0:
                beta = ratios.exact_nearest(low, rows, cols)
            r, c = ratios.candidates(low, rows, cols, beta)
            if len(r) > budget:
                beta = max(beta, ratios.exact_nearest(low, rows, cols))
                r, c = ratios.candidates(low, rows, cols, beta)
            if len(r) > budget:
                r, c = ratios.refine(low, r, c, rows, cols, beta)
            for start in range(0, len(r), budget):
                part = slice(start, start + budget)
                beta = max(beta, ratios.exact(r[part] + rows.start, c[part] + cols.start))
    return beta


class _Ratios:
    """Bounds (float32, blocked) and exact values (float64) of d(x, y) / ||h(x) - h(y)||."""

    def __init__(self, dist: BlockDistances, coords: Tensor, row_max: Tensor):
        self.dist, self.coords = dist, coords
        centred = (coords - coords.mean(dim=0)).float()
        self.h = centred
        self.h_sq = centred.pow(2).sum(dim=1) * (1.0 - slack(coords.shape[1]))
        self.row_upper = dist.row_upper(row_max)
        self.workspace = Workspace()

    def embedded_low(self, rows: slice, cols: slice) -> Tensor:
        """``e_low(x, y)^2 - h_sq(x)``: lower bounds of ||h(x) - h(y)||^2 without the row term.

        The diagonal (x = y) is +inf.
        """
        out = self.workspace.take("low", (rows.stop - rows.start, cols.stop - cols.start))
        h_sq, h = self.h_sq[cols].unsqueeze(0), self.h
        low = torch.addmm(h_sq, h[rows], h[cols].T, alpha=-2.0, out=out)
        if rows == cols:
            low.fill_diagonal_(float("inf"))
        return low

    def candidates(
        self, low: Tensor, rows: slice, cols: slice, beta: float
    ) -> tuple[Tensor, Tensor]:
        """Pairs (local indices) whose bound min(R(x), R(y)) / e_low(x, y) exceeds ``beta``."""
        reach = (self.row_upper / beta).pow(2)  # pair is a candidate iff e_low^2 < reach
        limit = (reach[rows] - self.h_sq[rows]).unsqueeze(1)
        below = self.workspace.take("below", low.shape, torch.bool)
        r, c = torch.lt(low, limit, out=below).nonzero(as_tuple=True)
        e2 = low[r, c] + self.h_sq[r + rows.start]
        keep = e2 < reach[c + cols.start]
        if rows == cols:
            keep &= c > r
        return r[keep], c[keep]

    def refine(
        self, low: Tensor, r: Tensor, c: Tensor, rows: slice, cols: slice, beta: float
    ) -> tuple[Tensor, Tensor]:
        """Keep the candidates whose bound from a float32 block of original distances is > beta."""
        shape = (rows.stop - rows.start, cols.stop - cols.start)
        keys = self.dist.block(rows, cols, out=self.workspace.take("keys", shape))
        upper = self.dist.upper(keys[r, c], r + rows.start, c + cols.start)
        e2 = low[r, c] + self.h_sq[r + rows.start]
        keep = upper.pow(2) > (beta * beta) * e2
        return r[keep], c[keep]

    def exact_nearest(self, low: Tensor, rows: slice, cols: slice) -> float:
        """Largest exact ratio over each row's nearest embedded partner in this block."""
        nearest = low.argmin(dim=1) + cols.start
        return self.exact(torch.arange(rows.start, rows.stop), nearest)

    def exact(self, first: Tensor, second: Tensor) -> float:
        """Largest exact ratio over the pairs (first[k], second[k]) with first != second."""
        keep = first != second
        first, second = first[keep], second[keep]
        largest = 0.0
        step = max(1, 2**21 // self.dist.points.shape[1])
        for start in range(0, len(first), step):
            a, b = first[start : start + step], second[start : start + step]
            d = self.dist.to_distance(self.dist.exact_keys(a, b))
            e = (self.coords[a] - self.coords[b]).pow(2).sum(dim=1).sqrt()
            largest = max(largest, float((d / e).max()))  # inf: two points share an image
        return largest
