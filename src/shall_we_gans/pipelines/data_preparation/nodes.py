"""Nodes of ``data_preparation``: thin wrappers over ``shall_we_gans.data``."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from shall_we_gans.data.digits import DigitDomain, load_domain
from shall_we_gans.data.preprocess import resize_domain, train_val_split
from shall_we_gans.data.stacked_mnist import make_stacked_mnist
from shall_we_gans.data.text_lattice import sample_lattice, text_lattice
from shall_we_gans.data.toy import gaussian, grid, ring
from shall_we_gans.params.data_preparation import DigitsBlock, ToyPreviewBlock
from shall_we_gans.params.stacked_mnist import StackedData
from shall_we_gans.plotting.samples import digit_grid, scatter_panels
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow


def load_digits(digits: DigitsBlock) -> DigitDomain:
    """Load the digit domain ``digits.source`` (name, root, split, download)."""
    source = digits.source
    return load_domain(source.name, root=source.root, split=source.split, download=source.download)


def resize_and_split(domain: DigitDomain, digits: DigitsBlock) -> tuple[DigitDomain, DigitDomain]:
    """Resize to ``digits.image_size``² and split off a stratified validation part."""
    resized = resize_domain(domain, digits.image_size)
    return train_val_split(resized, digits.val_fraction, digits.seed)


def build_stacked_mnist(mnist: DigitDomain, stacked: StackedData) -> dict[str, np.ndarray]:
    """Stacked MNIST: three random digits as RGB channels, label ``100·d1 + 10·d2 + d3``."""
    images, labels = make_stacked_mnist(mnist, stacked.n, stacked.seed)
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


def preview_toy_distributions(preview: ToyPreviewBlock) -> Figure:
    """Scatter of every 2-D toy distribution of the study, with its mode centres."""
    n, seed = preview.n, preview.seed
    g = gaussian(n, preview.gaussian.mean, preview.gaussian.cov, seed)
    gr = grid(n, seed=seed, **preview.grid.model_dump())
    rg = ring(n, seed=seed, **preview.ring.model_dump())
    lattice = text_lattice(**preview.text.model_dump())
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
