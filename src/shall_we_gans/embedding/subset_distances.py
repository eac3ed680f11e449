"""Distances from every point to every subset, min over y in S_ij of d(x, y), in one blocked pass.

Points are visited in a random order (fixed by the caller), in blocks of ``block_size``; each
block pair (I, J) with I <= J is computed once and serves rows I and rows J. Two exact ways of
reducing a block share the work:

* gathered levels: each subset's member columns in the block are gathered (padded to a common
  count by repeating a member) and min-reduced; the work is t * 2**-i per block entry at level i;
* filtered levels (the densest ones, see :func:`_filtered_levels`): block 0, the first block
  every row meets, is gathered; afterwards a block entry can only lower a level-i coordinate of
  x when it is below ``thr_i(x)``, x's largest level-i coordinate so far, and since dense subsets
  have near neighbours of x, only a few entries are below it and get scattered.

Memory is O(block_size**2 * t) besides the (m, levels * t) result. Empty subsets give 0.
"""

from __future__ import annotations

import torch
from torch import Tensor

from shall_we_gans.embedding.distances import BlockDistances
from shall_we_gans.embedding.workspace import Workspace

MIN_MEMBERS_IN_BLOCK0 = 32  # a filtered level needs this many block-0 members in every subset
SMALL_WIDTH = 16  # sparse levels with at most this many members per subset share one gather
FILTER_COST = 4096  # a scattered candidate costs about 100x a gathered entry; see _filtered_levels


def subset_distances(
    dist: BlockDistances, members: Tensor, levels: int, block_size: int
) -> tuple[Tensor, Tensor]:
    """Distances (m, levels * t) float32, level-major, and each point's largest key (m,).

    ``members``: (levels * t, m) membership matrix, columns in the order of ``dist``'s points.
    """
    m = members.shape[1]
    state = _State(members, levels, block_size)
    blocks = [slice(s, min(s + block_size, m)) for s in range(0, m, block_size)]
    workspace = state.workspace
    for k, rows in enumerate(blocks):
        for cols in blocks[k:]:
            shape = (rows.stop - rows.start, cols.stop - cols.start)
            keys = dist.block(rows, cols, out=workspace.take("keys", shape))
            keys_t = keys if rows == cols else workspace.take("keys_t", shape[::-1]).copy_(keys.T)
            state.update(keys, keys_t, rows, cols)
            if rows != cols:
                state.update(keys_t, keys, cols, rows)
    coords = dist.to_distance(state.out.T.contiguous())
    coords[torch.isinf(coords)] = 0.0  # only empty subsets stay at +inf
    return coords, state.row_max


class _State:
    """Running minimum keys (levels * t, m), row maxima and the gather plans per column block."""

    def __init__(self, members: Tensor, levels: int, block_size: int):
        n_subsets, m = members.shape
        self.members, self.t = members, n_subsets // levels
        self.workspace = Workspace()
        self.out = torch.full((n_subsets, m), float("inf"))
        self.row_max = torch.zeros(m)
        self.n_filtered = _filtered_levels(members.view(levels, self.t, m), block_size)
        self.filtered_bits = members[: self.n_filtered * self.t].T.contiguous()  # (m, i * t)
        self.plans: dict[int, list[tuple[slice, Tensor, Tensor | None]]] = {}

    def update(self, keys: Tensor, keys_t: Tensor, rows: slice, cols: slice) -> None:
        """Lower the minima of ``rows`` with the block ``keys`` (rows, cols); keys_t = keys.T."""
        torch.maximum(self.row_max[rows], keys.amax(dim=1), out=self.row_max[rows])
        for subsets, index, nonempty in self._plans(cols):
            _gather_min(self.out[subsets, rows], keys_t, index, nonempty, self.workspace)
        if self.n_filtered and cols.start != 0:
            self._filtered_min(keys, rows, cols)

    def _plans(self, cols: slice) -> list[tuple[slice, Tensor, Tensor | None]]:
        """Gather plans for a column block: every level for block 0, else the unfiltered ones.

        Each level is one plan, except that the sparse tail of levels whose subsets have at
        most ``SMALL_WIDTH`` members here shares one plan (fewer, larger gathers).
        """
        if cols.start not in self.plans:
            t, first = self.t, (0 if cols.start == 0 else self.n_filtered)
            bits = self.members[:, cols]
            widths = bits.sum(dim=1).view(-1, t).amax(dim=1).tolist()
            tail = len(widths)
            while tail > first and widths[tail - 1] <= SMALL_WIDTH:
                tail -= 1
            groups = [slice(level * t, (level + 1) * t) for level in range(first, tail)]
            groups += [slice(tail * t, len(widths) * t)] if tail < len(widths) else []
            self.plans[cols.start] = [(g, *_padded_members(bits[g])) for g in groups]
        return self.plans[cols.start]

    def _filtered_min(self, keys: Tensor, rows: slice, cols: slice) -> None:
        """Scatter the block entries below a row's largest minimum of a filtered level."""
        n_filtered, t = self.n_filtered, self.t
        thr = self.out[: n_filtered * t, rows].view(n_filtered, t, -1).amax(dim=1).T  # (rows, i)
        below = self.workspace.take("below", keys.shape, torch.bool)
        r, c = torch.lt(keys, thr.amax(dim=1).unsqueeze(1), out=below).nonzero(as_tuple=True)
        values, level_thr = keys[r, c], thr[r]
        r, c = r + rows.start, c + cols.start
        flat = self.out.view(-1)
        for level in range(n_filtered):
            keep = (values < level_thr[:, level]).nonzero().squeeze(1)
            level_bits = self.filtered_bits[:, level * t : (level + 1) * t]
            k, j = level_bits.index_select(0, c[keep]).nonzero(as_tuple=True)
            pick = keep[k]
            index = (level * t + j) * self.out.shape[1] + r[pick]
            flat.scatter_reduce_(0, index, values[pick], "amin")


def _filtered_levels(bits: Tensor, block_size: int) -> int:
    """Leading levels to filter rather than gather: none when one block holds every point;
    else levels with ``4**i <= m * t / FILTER_COST`` (per entry, gathering level i costs t * 2**-i,
    filtering it about 2**i / m scattered candidates, each ~100x dearer) whose subsets all have
    ``MIN_MEMBERS_IN_BLOCK0`` members in block 0 (so the first thresholds are already tight)."""
    levels, t, m = bits.shape
    if m <= block_size:
        return 0
    in_block0 = bits[:, :, :block_size].sum(dim=2).amin(dim=1)
    for level in range(1, levels + 1):
        if 4**level > m * t / FILTER_COST or in_block0[level - 1] < MIN_MEMBERS_IN_BLOCK0:
            return level - 1
    return levels


def _padded_members(bits: Tensor) -> tuple[Tensor, Tensor | None]:
    """Per subset (row of ``bits`` (S, n)), its member columns padded by repeating the first.

    Returns the (S, P) column indices and which subsets have any member here (None: all).
    """
    counts = bits.sum(dim=1)
    width = max(1, int(counts.max()))
    first = torch.argsort((~bits).to(torch.uint8), dim=1, stable=True)[:, :width]
    index = torch.where(torch.arange(width) < counts.unsqueeze(1), first, first[:, :1])
    return index, (None if bool((counts > 0).all()) else counts > 0)


def _gather_min(
    out: Tensor, keys_t: Tensor, index: Tensor, nonempty: Tensor | None, workspace: Workspace
) -> None:
    """out[j, x] = min(out[j, x], min over y in index[j] of keys_t[y, x]), in place.

    ``keys_t`` is the block transposed (cols, rows), so each gather copies whole rows; subsets
    are taken a few at a time so the gathered rows never exceed the block's size.
    """
    n_rows = keys_t.shape[1]
    group = max(1, keys_t.numel() // (index.shape[1] * n_rows))
    for start in range(0, len(index), group):
        part = slice(start, start + group)
        gathered = workspace.take("gathered", (index[part].numel(), n_rows))
        torch.index_select(keys_t, 0, index[part].reshape(-1), out=gathered)
        smallest = gathered.view(*index[part].shape, n_rows).amin(dim=1)
        if nonempty is not None:
            smallest.masked_fill_(~nonempty[part].unsqueeze(1), float("inf"))
        torch.minimum(out[part], smallest, out=out[part])
