"""Nodes of ``data_preparation``: thin wrappers over ``shall_we_gans.data``."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from shall_we_gans.data.digits import DigitDomain, load_domain
from shall_we_gans.data.preprocess import resize_domain, train_val_split
from shall_we_gans.data.stacked_mnist import make_stacked_mnist
from shall_we_gans.data.text_lattice import sample_lattice, text_lattice
from shall_we_gans.data.toy import gaussian, grid, ring
from shall_we_gans.plotting.samples import digit_grid, scatter_panels
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow


def load_digits(source: dict[str, Any]) -> DigitDomain:
    """Load one digit domain described by ``{name, root, split, download}``."""
    return load_domain(
        source["name"],
        root=source.get("root"),
        split=source.get("split", "train"),
        download=bool(source.get("download", False)),
    )


def resize_and_split(
    domain: DigitDomain, image_size: int, val_fraction: float, seed: int
) -> tuple[DigitDomain, DigitDomain]:
    """Resize to ``image_size``² and split off a stratified validation part."""
    return train_val_split(resize_domain(domain, image_size), val_fraction, seed)


def build_stacked_mnist(mnist: DigitDomain, n: int, seed: int) -> dict[str, np.ndarray]:
    """Stacked MNIST: three random digits as RGB channels, label ``100·d1 + 10·d2 + d3``."""
    images, labels = make_stacked_mnist(mnist, n, seed)
    return {"images": images, "labels": labels}


def preview_digits(
    mnist: DigitDomain, optdigits: DigitDomain, stacked: dict[str, np.ndarray]
) -> Figure:
    """The first 20 images of each domain and of Stacked MNIST, one row each."""
    rows = [
        np.repeat(mnist.images[:20, None], 3, axis=1),
        np.repeat(optdigits.images[:20, None], 3, axis=1),
        stacked["images"][:20],
    ]
    return digit_grid(np.concatenate(rows), ncols=20, title="MNIST / optdigits / Stacked MNIST")


def preview_toy_distributions(params: dict[str, Any]) -> Figure:
    """Scatter of every 2-D toy distribution of the study, with its mode centres."""
    n, seed = params["n"], params["seed"]
    g = gaussian(n, params["gaussian"]["mean"], params["gaussian"]["cov"], seed)
    gr = grid(n, seed=seed, **params["grid"])
    rg = ring(n, seed=seed, **params["ring"])
    lattice = text_lattice(**params["text"])
    text = sample_lattice(lattice, n, seed)
    return scatter_panels(
        {
            "Gaussian": {"p_data": g.points},
            "5×5 grid": {"p_data": gr.points},
            "8-ring": {"p_data": rg.points},
            f"text lattice ({len(lattice.support)} points)": {"p_data": text},
        }
    )


def summarise_digits(
    mnist_train: DigitDomain, mnist_val: DigitDomain, optdigits: DigitDomain
) -> MetricsDict:
    """Sizes of the prepared digit sets, logged to MLflow."""
    return metrics_for_mlflow(
        {
            "mnist.n_train": len(mnist_train.labels),
            "mnist.n_val": len(mnist_val.labels),
            "optdigits.n": len(optdigits.labels),
        }
    )
