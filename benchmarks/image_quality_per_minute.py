"""Stacked MNIST quality per CPU-minute: channel agreement, modes and KL against training time.

Run: ``.venv/bin/python benchmarks/image_quality_per_minute.py [--minutes 5] [--recipes plain,...]``
Each recipe trains one DCGAN (D = ``--d-size`` × G) on the project's Stacked MNIST (20,000
images of the packaged MNIST's training split) through ``gan.run_gan``; every
``--every`` seconds of *training* time (judging is not counted) it draws 10,000 samples and
records the two classifiers' channel agreement, the modes the first one counts and the KL to
uniform. Both classifiers are the ``classifier`` pipeline's recipes (trained here once and
cached in ``data/09_tuning/``). Rows go to ``data/09_tuning/image_quality_per_minute.jsonl``;
``--figure`` draws them (agreement and modes against minutes, one line per recipe).

Thread count: torch's default unless ``--threads``. Tuning seed: ``--seed`` (default 100, not
an evaluation seed of ``stacked_mnist``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import torch
import yaml

from shall_we_gans.adaptation.config import ClassifierConfig
from shall_we_gans.adaptation.training import train_classifier
from shall_we_gans.data.digits import load_domain
from shall_we_gans.data.preprocess import resize_domain, scale_to_unit, train_val_split
from shall_we_gans.data.stacked_mnist import make_stacked_mnist
from shall_we_gans.gan import GANRunSpec, TrainerConfig, build_prior, run_gan
from shall_we_gans.gan.models import DCGANDiscriminator, DCGANGenerator
from shall_we_gans.metrics.stacked_mnist import judged_by_two

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data/09_tuning"
# Recipes: the DCGAN's widths and batch norm, and TrainerConfig settings.
RECIPES: dict[str, dict] = {
    # the plain DCGAN a new user would try (G 64·7·7 -> 32 -> 3, D 32 -> 64 + BN), published
    # settings: Adam 2e-4, betas (0.5, 0.999), batch 64
    "plain": {"width": 32, "d_batch_norm": True, "trainer": {"lr_g": 2e-4, "lr_d": 2e-4}},
    # the conf/base recipe before this benchmark: width 16, no BN in D, Adam 1e-3
    "old_default": {"width": 16, "d_batch_norm": False, "trainer": {"lr_g": 1e-3, "lr_d": 1e-3}},
    "plain_ema": {
        "width": 32,
        "d_batch_norm": True,
        "trainer": {"lr_g": 2e-4, "lr_d": 2e-4, "ema_decay": 0.999, "ema_bn_batches": 8},
    },
    "plain_bf16": {
        "width": 32,
        "d_batch_norm": True,
        "trainer": {"lr_g": 2e-4, "lr_d": 2e-4, "precision": "bf16"},
    },
    "old_default_bf16": {
        "width": 16,
        "d_batch_norm": False,
        "trainer": {"lr_g": 1e-3, "lr_d": 1e-3, "precision": "bf16"},
    },
    "ttur": {"width": 32, "d_batch_norm": True, "trainer": {"lr_g": 2e-4, "lr_d": 6e-4}},
    "fast_lr": {"width": 32, "d_batch_norm": True, "trainer": {"lr_g": 5e-4, "lr_d": 5e-4}},
    "plain_w16": {"width": 16, "d_batch_norm": True, "trainer": {"lr_g": 2e-4, "lr_d": 2e-4}},
    "hinge_sn": {
        "width": 32,
        "d_batch_norm": False,
        "d_spectral_norm": True,
        "trainer": {"loss": "hinge", "lr_g": 2e-4, "lr_d": 4e-4, "betas": (0.0, 0.9)},
    },
}


def stacked_data(n: int = 20000) -> tuple[torch.Tensor, object, object]:
    """The stacked training images in [-1, 1] and the MNIST validation digits."""
    mnist = resize_domain(load_domain("mnist_packaged"), 28)
    train, val = train_val_split(mnist, 0.1, 0)
    images, _ = make_stacked_mnist(train, n, 0)
    return torch.from_numpy(scale_to_unit(images)), train, val


def classifiers(train, val) -> tuple[torch.nn.Module, torch.nn.Module]:
    """The ``classifier`` pipeline's two classifiers, cached: the first on ``train`` (its epoch
    chosen on ``val``), the second on its own split of ``train``."""
    OUT.mkdir(parents=True, exist_ok=True)
    conf = yaml.safe_load((ROOT / "conf/base/parameters_classifier.yml").read_text())
    models = []
    for name, settings in (
        ("first", conf["classifier"]),
        ("second", conf["second_classifier"]["model"]),
    ):
        path = OUT / f"quality_{name}_classifier.pt"
        if path.exists():
            models.append(torch.load(path, weights_only=False))
            continue
        fit, chooser = (train, val) if name == "first" else train_val_split(train, 0.1, 1)
        cfg = ClassifierConfig(**{**settings, "device": "cpu"})
        model, _ = train_classifier(
            scale_to_unit(fit.images), fit.labels, cfg,
            val_images=scale_to_unit(chooser.images), val_labels=chooser.labels,
        )  # fmt: skip
        torch.save(model, path)
        models.append(model)
    return models[0], models[1]


def recipe_spec(name: str, data: torch.Tensor, d_size: float, seed: int, steps: int) -> GANRunSpec:
    recipe = RECIPES[name]
    trainer = TrainerConfig(
        steps=steps, batch_size=64, seed=seed, device="cpu", progress=False, log_every=500,
        **recipe["trainer"],
    )  # fmt: skip
    width = recipe["width"]
    return GANRunSpec(
        generator=lambda: DCGANGenerator(100, channels=3, width=width, batch_norm=True),
        discriminator=lambda: DCGANDiscriminator(
            channels=3,
            width=width,
            width_mult=d_size,
            batch_norm=recipe["d_batch_norm"],
            spectral_norm=recipe.get("d_spectral_norm", False),
        ),  # fmt: skip
        prior=build_prior("gaussian", 100),
        data=data,
        trainer=trainer,
        seed=seed,
    )


def measure(name: str, args, data, first, second) -> list[dict]:
    rows: list[dict] = []

    def schedule(gan) -> None:
        trained_s, next_eval = 0.0, args.every
        while trained_s < args.minutes * 60 and gan.step < gan.config.steps:
            start = time.perf_counter()
            gan.train(args.chunk)
            trained_s += time.perf_counter() - start
            if trained_s >= next_eval or trained_s >= args.minutes * 60:
                next_eval += args.every
                samples = gan.sample(10000, seed=1000 + args.seed)
                judged = judged_by_two(samples, first, second)
                row = {"recipe": name, "d_size": args.d_size, "threads": torch.get_num_threads()}
                row |= {"seed": args.seed, "step": gan.step, "train_s": round(trained_s, 1)}
                row |= {k: judged[k] for k in ("channel_agreement", "modes_covered")}
                row |= {
                    "kl_to_uniform": judged["kl_to_uniform"],
                    "recount": judged["recount_modes"],
                }
                rows.append(row)
                print(json.dumps(row), flush=True)

    run_gan(
        dataclasses.replace(
            recipe_spec(name, data, args.d_size, args.seed, 10**6), schedule=schedule
        )
    )
    return rows


def lever_throughput(data: torch.Tensor, lever: str, steps: int = 60) -> float:
    """Images/s of the plain recipe's training step (one D and one G step, non-saturating,
    Adam) at D = 1x G under one compute ``lever``: ``base`` (2 threads, batch 64, float32),
    ``threads1``, ``batch128``, ``bf16`` (``torch.autocast("cpu", torch.bfloat16)``),
    ``channels_last`` or ``compile`` (``torch.compile`` of both networks)."""
    import torch.nn.functional as F

    torch.set_num_threads(1 if lever == "threads1" else 2)
    batch = 128 if lever == "batch128" else 64
    torch.manual_seed(0)
    g = DCGANGenerator(100, channels=3, width=32)
    d = DCGANDiscriminator(channels=3, width=32, batch_norm=True)
    if lever == "channels_last":
        g, d = g.to(memory_format=torch.channels_last), d.to(memory_format=torch.channels_last)
    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    g_run, d_run = (torch.compile(g), torch.compile(d)) if lever == "compile" else (g, d)

    def step() -> None:
        real = data[torch.randint(len(data), (batch,))]
        if lever == "channels_last":
            real = real.contiguous(memory_format=torch.channels_last)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=lever == "bf16"):
            fake = g_run(torch.randn(batch, 100))
            loss_d = F.softplus(-d_run(real)).mean() + F.softplus(d_run(fake.detach())).mean()
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=lever == "bf16"):
            loss_g = F.softplus(-d_run(fake)).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()

    for _ in range(10):  # warm-up (and compilation)
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * batch / (time.perf_counter() - start)


def figure(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for name in dict.fromkeys(r["recipe"] for r in rows):
        mine = [r for r in rows if r["recipe"] == name]
        minutes = [r["train_s"] / 60 for r in mine]
        axes[0].plot(minutes, [r["channel_agreement"] for r in mine], marker=".", label=name)
        axes[1].plot(minutes, [r["modes_covered"] for r in mine], marker=".", label=name)
    axes[0].axhline(0.8, color="grey", ls="--", lw=1)
    axes[0].set(xlabel="training minutes (2 CPU cores)", ylabel="channel agreement", ylim=(0, 1))
    axes[1].set(xlabel="training minutes (2 CPU cores)", ylabel="modes of 1,000 (10k samples)")
    axes[1].set_ylim(0, 1000)
    axes[0].legend(fontsize=8)
    fig.suptitle(f"Stacked MNIST, D = {rows[0]['d_size']}× G: quality per CPU-minute")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipes", default="plain,old_default,plain_ema")
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--every", type=float, default=60.0, help="training seconds per check")
    parser.add_argument("--chunk", type=int, default=100, help="steps between clock reads")
    parser.add_argument("--d-size", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=100)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--out", type=Path, default=OUT / "image_quality_per_minute.jsonl")
    parser.add_argument("--figure", type=Path, help="draw the rows of --out to this PNG")
    parser.add_argument("--levers", action="store_true", help="time the compute levers only")
    args = parser.parse_args()
    if args.levers:
        data = stacked_data()[0]
        for lever in ("base", "threads1", "batch128", "bf16", "channels_last", "compile"):
            try:
                rate = lever_throughput(data, lever)
                print(json.dumps({"lever": lever, "images_per_s": round(rate)}), flush=True)
            except Exception as exc:  # e.g. torch.compile without a compiler: say so
                print(json.dumps({"lever": lever, "error": f"{type(exc).__name__}: {exc}"[:200]}))
        return
    if args.figure and not args.recipes:
        figure([json.loads(line) for line in args.out.read_text().splitlines()], args.figure)
        return
    if args.threads:
        torch.set_num_threads(args.threads)
    data, train, val = stacked_data()
    first, second = classifiers(train, val)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for name in args.recipes.split(","):
        rows = measure(name, args, data, first, second)
        with args.out.open("a") as out:
            out.writelines(json.dumps(r) + "\n" for r in rows)
    if args.figure:
        figure([json.loads(line) for line in args.out.read_text().splitlines()], args.figure)


if __name__ == "__main__":
    main()
