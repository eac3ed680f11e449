"""Nodes of ``classifier``: LeNet on a digit domain, judged on its validation split, and a second,
independent classifier (the Stacked MNIST judge's second opinion)."""

from __future__ import annotations

import pandas as pd

from shall_we_gans.adaptation.models import SourceClassifier
from shall_we_gans.adaptation.training import predict
from shall_we_gans.data.digits import DigitDomain
from shall_we_gans.data.preprocess import scale_to_unit, train_val_split
from shall_we_gans.metrics.classification import accuracy
from shall_we_gans.params.classifier import ClassifierBlock, SecondClassifierBlock
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


def train_second_classifier(
    train: DigitDomain,
    val: DigitDomain,
    first: SourceClassifier,
    settings: SecondClassifierBlock,
) -> tuple[SourceClassifier, pd.DataFrame, MetricsDict]:
    """The ``mnist_second_classifier`` entry: ``settings.model`` (another architecture and seed)
    on its own split of ``train``; ``second_classifier.val_accuracy`` and
    ``second_classifier.agreement`` (the share of ``val`` digits both classifiers read alike:
    the ceiling of Stacked MNIST's ``channel_agreement``) on ``val``, which neither saw."""
    fit_train, fit_val = train_val_split(train, settings.val_fraction, settings.split_seed)
    model, history = fit_classifier(fit_train, fit_val, settings.model, "second_classifier")
    images = scale_to_unit(val.images)
    mine = predict(model.encoder, model.head, images, device=settings.model.device)
    theirs = predict(first.encoder, first.head, images, device=settings.model.device)
    metrics = {
        "second_classifier.val_accuracy": accuracy(val.labels, mine),
        "second_classifier.agreement": float((mine == theirs).mean()),
    }
    return model, history, metrics_for_mlflow(metrics)
