"""Nodes of ``text_modes``; training reuses ``missing_modes``' prior nodes."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from shall_we_gans.data.text_lattice import TextLattice, sample_lattice, text_lattice
from shall_we_gans.metrics.support import on_support, support_coverage
from shall_we_gans.plotting.samples import scatter_panels
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow


def build_text_data(data: dict[str, Any]) -> tuple[np.ndarray, TextLattice]:
    """The lattice of ``data.text`` and ``data.n`` uniform draws from it (``data.seed``)."""
    lattice = text_lattice(
        data["text"],
        font_path=data["font_path"],
        pixel_height=data["pixel_height"],
        stride=data["stride"],
    )
    return sample_lattice(lattice, data["n"], data["seed"], jitter=data["jitter"]), lattice


def evaluate_support(
    samples: dict[int, np.ndarray], lattice: TextLattice, prefix: str
) -> MetricsDict:
    """``{prefix}.on_support`` and ``{prefix}.support_coverage``: mean over seeds, and each seed."""
    metrics: dict[str, float] = {}
    for name, judge in (
        ("on_support", lambda s: on_support(s, lattice.support, lattice.step)),
        ("support_coverage", lambda s: support_coverage(s, lattice.support)),
    ):
        values = {seed: float(judge(points)) for seed, points in samples.items()}
        metrics[f"{prefix}.{name}"] = float(np.mean(list(values.values())))
        metrics.update({f"{prefix}.seed{s}.{name}": v for s, v in values.items()})
    return metrics_for_mlflow(metrics)


def plot_support(samples: dict[int, np.ndarray], lattice: TextLattice, prefix: str) -> Figure:
    """Generated samples of the first seed over the lattice points."""
    seed, points = next(iter(samples.items()))
    panels = {
        f"p_data ({len(lattice.support)} points)": {"support": lattice.support},
        f"{prefix} seed {seed}": {"p_g": points},
    }
    return scatter_panels(panels, size=4.0)
