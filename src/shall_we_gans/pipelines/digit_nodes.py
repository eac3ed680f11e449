"""Node code shared by the digit pipelines (``classifier``, ``adda``): fitting a LeNet
classifier with the node's metric sink (the MLflow run's, when there is one)."""

from __future__ import annotations

import pandas as pd

from shall_we_gans.adaptation.models import SourceClassifier
from shall_we_gans.adaptation.training import train_classifier
from shall_we_gans.data.digits import DigitDomain
from shall_we_gans.data.preprocess import scale_to_unit
from shall_we_gans.params.classifier import ClassifierBlock
from shall_we_gans.tracking import run_sink


def fit_classifier(
    train: DigitDomain, val: DigitDomain, settings: ClassifierBlock, prefix: str
) -> tuple[SourceClassifier, pd.DataFrame]:
    """LeNet on ``train`` (images scaled to [-1, 1]); the epoch kept is chosen on ``val``,
    which belongs to the same (source) domain. Per-epoch metrics go to MLflow as ``{prefix}.*``."""
    with run_sink(prefix=f"{prefix}.") as sink:
        return train_classifier(
            scale_to_unit(train.images),
            train.labels,
            settings,
            val_images=scale_to_unit(val.images),
            val_labels=val.labels,
            log_metrics=sink,
        )
