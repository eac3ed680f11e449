"""Figures of the Stacked MNIST study: the seed-style table and coverage over training."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure

PRIOR_ROWS = {"dcgan": "DCGAN (Gaussian p_z)", "bourgan": "BourGAN (Bourgain p_z)"}
D_COLUMNS = {"d025": "D = 1/4 G", "d050": "D = 1/2 G", "d100": "D = 1× G"}


def _cell(measured: Mapping[str, float], prefix: str, paper: Mapping | None) -> str:
    ours = "not run"
    if f"{prefix}.modes_covered" in measured:
        ours = (
            f"{measured[f'{prefix}.modes_covered']:.1f} modes, "
            f"KL {measured[f'{prefix}.kl_to_uniform']:.2f}"
        )
    theirs = "—" if paper is None else f"{paper['modes']:.1f} modes, KL {paper['kl']:.2f}"
    return f"ours: {ours}\npaper: {theirs}"


def coverage_table_figure(measured: Mapping[str, float], paper: Mapping) -> Figure:
    """Rows: prior; columns: D size; each cell the measured mean (``{prior}.{d}.modes_covered``,
    ``….kl_to_uniform``) over the paper's number; a last row with the counter's ceiling on
    real data (``real.*``) and the sampling floor of the KL (``ideal.kl_to_uniform``)."""
    rows = []
    for prior, label in PRIOR_ROWS.items():
        cells = [_cell(measured, f"{prior}.{d}", paper.get(prior, {}).get(d)) for d in D_COLUMNS]
        rows.append([label, *cells])
    ceiling = (
        f"real Stacked MNIST: {measured.get('real.modes_covered', float('nan')):.0f} modes, "
        f"KL {measured.get('real.kl_to_uniform', float('nan')):.3f} "
        f"(sampling floor {measured.get('ideal.kl_to_uniform', float('nan')):.3f})"
    )
    fig = Figure(figsize=(10.5, 2.9))
    ax = fig.add_subplot()
    ax.set_axis_off()
    table = ax.table(
        cellText=rows, colLabels=["", *D_COLUMNS.values()], loc="center", cellLoc="center"
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1.0, 3.2)
    ax.set_title(
        f"Stacked MNIST: modes covered out of 1,000 (mean over seeds)\n{ceiling}", fontsize=9
    )
    return fig


def coverage_curves_figure(curves: pd.DataFrame) -> Figure:
    """``running_modes`` against ``step``, one line per variant and seed."""
    fig = Figure(figsize=(6.0, 3.6))
    ax = fig.add_subplot()
    for (variant, seed), rows in curves.groupby(["variant", "seed"], sort=True):
        ax.plot(rows["step"], rows["running_modes"], marker=".", lw=1, label=f"{variant} s{seed}")
    ax.set_xlabel("generator step")
    ax.set_ylabel("modes covered (running sample)")
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return fig
