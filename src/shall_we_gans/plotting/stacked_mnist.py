"""Figures of the Stacked MNIST study: the seed-style table and coverage over training."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure

DIGITS_AGREEMENT = 0.8  # below: the two classifiers disagree too often to call the samples digits
DIGITS_FD_FACTOR = 10.0  # above this many times real.fd: not digits (blank collapsed images agree)
PRIOR_ROWS = {"dcgan": "DCGAN (Gaussian p_z)", "bourgan": "BourGAN (Bourgain p_z)"}
D_COLUMNS = {"d025": "D = 1/4 G", "d050": "D = 1/2 G", "d100": "D = 1× G"}


def _cell(measured: Mapping[str, float], prefix: str, paper: Mapping | None) -> str:
    ours = "not run"
    if f"{prefix}.modes_covered" in measured:
        ours = (
            f"{measured[f'{prefix}.modes_covered']:.1f} modes, "
            f"KL {measured[f'{prefix}.kl_to_uniform']:.2f}"
        )
        agreement = measured.get(f"{prefix}.channel_agreement")
        if agreement is not None:
            ours += f"\nagreement {agreement:.2f}"
            fd, real_fd = measured.get(f"{prefix}.fd"), measured.get("real.fd")
            far = fd is not None and real_fd is not None and fd > DIGITS_FD_FACTOR * real_fd
            if agreement < DIGITS_AGREEMENT or far:
                ours += ": not digits"
    theirs = "—" if paper is None else f"{paper['modes']:.1f} modes, KL {paper['kl']:.2f}"
    return f"ours: {ours}\npaper: {theirs}"


def coverage_table_figure(measured: Mapping[str, float], paper: Mapping) -> Figure:
    """Rows: prior; columns: D size; each cell the measured mean (``{prior}.{d}.modes_covered``,
    ``….kl_to_uniform``) and the two classifiers' ``channel_agreement`` (marked "not digits"
    below ``DIGITS_AGREEMENT``, or when its ``fd`` exceeds ``DIGITS_FD_FACTOR`` × ``real.fd``:
    its count is not comparable with the paper's) over the paper's
    number; the title holds the judges' ceiling on real data (``real.*``) and the sampling
    floor of the KL (``ideal.kl_to_uniform``)."""
    rows = []
    for prior, label in PRIOR_ROWS.items():
        cells = [_cell(measured, f"{prior}.{d}", paper.get(prior, {}).get(d)) for d in D_COLUMNS]
        rows.append([label, *cells])
    ceiling = (
        f"real Stacked MNIST: {measured.get('real.modes_covered', float('nan')):.0f} modes, "
        f"KL {measured.get('real.kl_to_uniform', float('nan')):.3f} "
        f"(sampling floor {measured.get('ideal.kl_to_uniform', float('nan')):.3f}), "
        f"agreement {measured.get('real.channel_agreement', float('nan')):.2f}"
    )
    fig = Figure(figsize=(10.5, 2.9))
    ax = fig.add_subplot()
    ax.set_axis_off()
    table = ax.table(
        cellText=rows, colLabels=["", *D_COLUMNS.values()], loc="center", cellLoc="center"
    )
    table.auto_set_font_size(False)
    table.set_fontsize(8)
    table.scale(1.0, 3.8)
    ax.set_title(
        f"Stacked MNIST: modes covered out of 1,000 (mean over seeds)\n{ceiling}", fontsize=9
    )
    return fig


SEED_STYLES = ("-", "--", ":", "-.")


def coverage_curves_figure(curves: pd.DataFrame) -> Figure:
    """``running_modes`` against ``step``, one line per variant and seed (a colour per
    variant, a line style per seed), and beside it ``running_agreement`` (when logged): modes
    only count once the samples are digits."""
    panels = [c for c in ("running_modes", "running_agreement") if c in curves]
    fig = Figure(figsize=(6.0 * len(panels), 3.6))
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    variants = sorted(curves["variant"].unique())
    seeds = sorted(curves["seed"].unique())
    for ax, column in zip(axes, panels, strict=True):
        for (variant, seed), rows in curves.groupby(["variant", "seed"], sort=True):
            ax.plot(
                rows["step"],
                rows[column],
                color=f"C{variants.index(variant) % 10}",
                ls=SEED_STYLES[seeds.index(seed) % len(SEED_STYLES)],
                marker=".",
                lw=1,
                label=f"{variant} s{seed}",
            )
        ax.set_xlabel("generator step")
        ax.set_ylim(bottom=0)
    axes[0].set_ylabel("modes covered (running sample)")
    axes[0].legend(fontsize=7, ncol=2)
    if len(panels) > 1:
        axes[1].set_ylabel("channel agreement of the two classifiers")
        axes[1].axhline(DIGITS_AGREEMENT, color="grey", ls="--", lw=1)
        axes[1].set_ylim(0, 1)
    fig.tight_layout()
    return fig
