"""Tune each prior of ``text_modes`` (OMRON) with the same effort, on tuning seeds only.

Run: ``OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/tune_text_modes.py
--prior gaussian --seeds 0 1 2`` (and ``--prior bourgain``). Both priors get the same search,
one knob at a time from the conf's setting of that prior (``tune_missing_modes``' ``oneway``;
rerun with the winner in the conf until it stays best): the learning rates (``lr`` =
``lr_g:lr_d``), the R1 weight and the prior's own knobs (``latent``: the Gaussian's
dimension, the Bourgain distance term's ``alpha``; the mixture's noise ``sigma``). Each
setting trains one GAN per tuning seed on the pipeline's lattice draws and embedding, and
judges ``evaluation.n`` samples as the pipeline does (``support_metrics``). The rule is
missing_modes' (``rank_by_modes``) with on-glyph share for high quality and coverage for modes:
the most coverage among the settings whose mean on-glyph share is at least ``--min-on`` (0.8),
else the highest on-glyph share. Results are appended to
``--out`` (JSON lines); a setting already there with the same ``fixed_settings`` is not trained
again.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import torch
import yaml
from tune_missing_modes import canonical, parse_value, settings

from shall_we_gans.gan import GANRunSpec, run_gan
from shall_we_gans.metrics.modes import rank_by_modes
from shall_we_gans.metrics.support import support_metrics
from shall_we_gans.params.missing_modes import TextModesBlock
from shall_we_gans.pipelines.gan_nodes import mlp_builders
from shall_we_gans.pipelines.prior_nodes import bourgain_latent, embed_data_points, gaussian_latent
from shall_we_gans.pipelines.text_modes.nodes import build_text_data

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "conf/base/parameters_text_modes.yml"
OUT = ROOT / "data/09_tuning/text_modes.jsonl"
LRS = ["0.001:0.002", "0.002:0.004", "0.0005:0.001", "0.00025:0.0005", "0.000125:0.00025"]
SEARCH = {"lr": LRS, "r1_gamma": [0.01, 0.0, 0.1]}
PRIOR_KNOBS = {  # the Gaussian's dimension; the mixture's distance weight and noise
    "gaussian": {"latent": [55, 8, 128]},
    "bourgain": {"latent": [0.01, 0.1, 0.001], "sigma": [0.04, 0.01, 0.16]},
}


def train_and_judge(block: TextModesBlock, prior: str, setting: dict, seed: int, data) -> dict:
    """One GAN of ``setting`` with ``seed``: on-glyph share and coverage of its samples."""
    points, lattice, embedding = data
    lr_g, lr_d = (float(x) for x in str(setting["lr"]).split(":"))
    trainer = dataclasses.replace(
        block.trainer_for(prior),
        lr_g=lr_g,
        lr_d=lr_d,
        r1_gamma=float(setting["r1_gamma"]),
        seed=seed,
        progress=False,
        device="cpu",
        checkpoint_every=0,
    )
    if prior == "gaussian":
        latent = gaussian_latent(block.gaussian.model_copy(update={"dim": int(setting["latent"])}))
    else:
        update = {"alpha": float(setting["latent"]), "sigma": float(setting["sigma"])}
        spec = block.bourgain.model_copy(update=update)
        latent = bourgain_latent(embedding, spec, trainer)
    g, d = mlp_builders(block.model.generator, block.model.discriminator, latent.prior.dim, 2)
    run = run_gan(GANRunSpec(g, d, latent.prior, points, trainer, seed, latent.extra_g_loss))
    samples = run.sample(block.evaluation.n, seed=block.evaluation.seed + seed).numpy()
    return support_metrics(samples, lattice.support, lattice.step)


SEARCHED = {"lr_g", "lr_d", "r1_gamma", "dim", "alpha", "sigma"}
UNJUDGED = {"seed", "progress", "device", "checkpoint_dir", "checkpoint_every", "log_every"}


def fixed_settings(block: TextModesBlock, prior: str) -> str:
    """A fingerprint of everything a result depends on that the search leaves alone (budget,
    batch, EMA, networks, data, the prior's other settings, evaluation): rows are reused only
    when it matches."""
    trainer = dataclasses.asdict(block.trainer_for(prior))
    own = block.gaussian if prior == "gaussian" else block.bourgain
    fixed = {
        "trainer": {k: v for k, v in trainer.items() if k not in SEARCHED | UNJUDGED},
        "prior": own.model_dump(exclude=SEARCHED),
        **{name: getattr(block, name).model_dump() for name in ("model", "data", "evaluation")},
    }
    text = json.dumps(fixed, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def mean_of(rows: list[dict], key: str) -> float:
    return float(np.mean([r[key] for r in rows]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prior", choices=["gaussian", "bourgain"], required=True)
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--set", action="append", default=[], metavar="KNOB=VALUE")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--min-on", type=float, default=0.8)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    block = TextModesBlock.model_validate(yaml.safe_load(CONF.read_text())["text_modes"])
    seeds = args.seeds or list(block.tuning_seeds)
    if set(seeds) & set(block.seeds):
        raise SystemExit(f"tuning seeds {seeds} meet the evaluation seeds {list(block.seeds)}")
    trainer = block.trainer_for(args.prior)
    latent = block.gaussian.dim if args.prior == "gaussian" else block.bourgain.alpha
    start = {"lr": f"{trainer.lr_g}:{trainer.lr_d}", "r1_gamma": trainer.r1_gamma, "latent": latent}
    if args.prior == "bourgain":
        start["sigma"] = block.bourgain.sigma
    for item in args.set:
        name, value = item.split("=", 1)
        start[name] = parse_value(value)
    points, lattice = build_text_data(block.data)
    embedding = embed_data_points(points, block.bourgain) if args.prior == "bourgain" else None
    data = (points, lattice, embedding)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    fixed, done = fixed_settings(block, args.prior), {}
    if args.out.exists():
        for line in args.out.read_text().splitlines():
            row = json.loads(line)
            done[(row["prior"], row.get("fixed"), row["seed"], row["key"])] = row
    search = {**SEARCH, **PRIOR_KNOBS[args.prior]}
    rows = []
    for setting in map(canonical, settings(canonical(start), search, "oneway")):
        key = json.dumps(setting, sort_keys=True)
        for seed in seeds:
            ident = (args.prior, fixed, seed, key)
            if ident not in done:
                began = time.perf_counter()
                judged = train_and_judge(block, args.prior, setting, seed, data)
                row = {"prior": args.prior, "fixed": fixed, "steps": trainer.steps, "seed": seed}
                row["key"] = key
                row |= {**judged, "seconds": round(time.perf_counter() - began, 1)}
                with args.out.open("a") as f:
                    f.write(json.dumps(row) + "\n")
                done[ident] = row
                print(json.dumps(row), flush=True)
        per_seed = [done[(args.prior, fixed, s, key)] for s in seeds]
        on, cov = (mean_of(per_seed, k) for k in ("on_support", "support_coverage"))
        # rank_by_modes' fields: on-glyph share for quality, coverage for modes (no KL here)
        rows.append(
            {"setting": setting, "hq_fraction": on, "modes_covered": cov, "kl_to_uniform": 0}
        )
    rows = rank_by_modes(rows, args.min_on)
    print(f"\n{args.prior}, tuning seeds {seeds}, {trainer.steps} steps")
    print(f"{'on':>6} {'cov':>6}  setting")
    for row in rows:
        print(
            f"{row['hq_fraction']:6.3f} {row['modes_covered']:6.3f}  " + json.dumps(row["setting"])
        )
    print("best:", json.dumps(rows[0]["setting"]))


if __name__ == "__main__":
    main()
