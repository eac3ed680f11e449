"""Nodes of ``classifier``: train LeNet on a digit domain, judged on its validation split."""

from __future__ import annotations

from typing import Any

import pandas as pd

from shall_we_gans.adaptation.models import SourceClassifier
from shall_we_gans.adaptation.training import predict, train_classifier
from shall_we_gans.data.digits import DigitDomain
from shall_we_gans.data.preprocess import scale_to_unit
from shall_we_gans.metrics.classification import accuracy
from shall_we_gans.tracking import MetricsDict, MlflowMetricLogger, metrics_for_mlflow


def fit_classifier(
    train: DigitDomain, val: DigitDomain, settings: dict[str, Any], prefix: str
) -> tuple[SourceClassifier, pd.DataFrame]:
    """LeNet on ``train`` (images scaled to [-1, 1]); the epoch kept is chosen on ``val``,
    which belongs to the same (source) domain. Per-epoch metrics go to MLflow as ``{prefix}.*``."""
    with MlflowMetricLogger(prefix=f"{prefix}.") as log:
        return train_classifier(
            scale_to_unit(train.images),
            train.labels,
            val_images=scale_to_unit(val.images),
            val_labels=val.labels,
            log_metrics=log,
            **settings,
        )


def score_classifier(
    model: SourceClassifier, val: DigitDomain, device: str = "auto"
) -> MetricsDict:
    """``classifier.val_accuracy`` on the validation split."""
    predicted = predict(model.encoder, model.head, scale_to_unit(val.images), device=device)
    return metrics_for_mlflow({"classifier.val_accuracy": accuracy(val.labels, predicted)})


def train_mnist_classifier(
    train: DigitDomain, val: DigitDomain, settings: dict[str, Any]
) -> tuple[SourceClassifier, pd.DataFrame, MetricsDict]:
    """The ``mnist_classifier`` catalog entry: float N×1×28×28 in [-1, 1] -> 10 logits."""
    model, history = fit_classifier(train, val, settings, "classifier")
    return model, history, score_classifier(model, val, settings.get("device", "auto"))
