"""The random subsets S_ij of Algorithm 1."""

from __future__ import annotations

import torch
from torch import Tensor


def sample_subsets(m: int, levels: int, repetitions: int, generator: torch.Generator) -> Tensor:
    """Membership matrix (levels * repetitions, m); row ``(i - 1) * repetitions + j - 1`` is S_ij.

    Each point joins S_ij independently with probability ``2 ** -i`` (levels ``i = 1..levels``).
    """
    rows = []
    for level in range(1, levels + 1):
        draws = torch.rand(repetitions, m, generator=generator, dtype=torch.float64)
        rows.append(draws < 2.0**-level)
    return torch.cat(rows)
