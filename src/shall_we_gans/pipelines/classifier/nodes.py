"""Nodes of ``classifier``: train LeNet on a digit domain, judged on its validation split."""

from __future__ import annotations

import pandas as pd

from shall_we_gans.adaptation.models import SourceClassifier
from shall_we_gans.adaptation.training import predict
from shall_we_gans.data.digits import DigitDomain
from shall_we_gans.data.preprocess import scale_to_unit
from shall_we_gans.metrics.classification import accuracy
from shall_we_gans.params.classifier import ClassifierBlock
from shall_we_gans.pipelines.digit_nodes import fit_classifier
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow


def train_mnist_classifier(
    train: DigitDomain, val: DigitDomain, settings: ClassifierBlock
) -> tuple[SourceClassifier, pd.DataFrame, MetricsDict]:
    """The ``mnist_classifier`` catalog entry: float N×1×28×28 in [-1, 1] -> 10 logits, and
    ``classifier.val_accuracy`` on the validation split."""
    model, history = fit_classifier(train, val, settings, "classifier")
    predicted = predict(
        model.encoder, model.head, scale_to_unit(val.images), device=settings.device
    )
    return (
        model,
        history,
        metrics_for_mlflow({"classifier.val_accuracy": accuracy(val.labels, predicted)}),
    )
