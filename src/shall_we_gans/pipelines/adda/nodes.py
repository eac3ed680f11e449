"""Nodes of ``adda``. Target labels are used only by ``evaluate_adaptation``: no node chooses
an epoch, a checkpoint or a setting on them."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from torch import nn

from shall_we_gans.adaptation.models import DomainDiscriminator, SourceClassifier
from shall_we_gans.adaptation.training import adapt, extract_features, predict
from shall_we_gans.data.digits import DigitDomain, load_domain, split_available
from shall_we_gans.data.preprocess import (
    resize_domain,
    scale_to_unit,
    stratified_sample,
    train_val_split,
)
from shall_we_gans.metrics.classification import accuracy, confusion_matrix, per_class_accuracy
from shall_we_gans.params.adda import AdaptationSpec, ProjectionSpec, SourceSpec, TargetSpec
from shall_we_gans.params.classifier import ClassifierBlock
from shall_we_gans.pipelines.digit_nodes import fit_classifier
from shall_we_gans.plotting.adaptation import confusion_matrices_figure, feature_projection_figure
from shall_we_gans.tracking import MetricsDict, metrics_for_mlflow, run_sink

TORCHVISION_DOMAINS = ("mnist", "usps")  # the domains with a test split of their own


def _load(spec: SourceSpec | TargetSpec, split: str) -> DigitDomain:
    return load_domain(spec.name, root=spec.root, split=split, download=spec.download)


def prepare_source(spec: SourceSpec, image_size: int) -> tuple[DigitDomain, DigitDomain]:
    """``spec.n`` stratified source images, resized, split into train / validation (source
    labels: the validation part picks the classifier's epoch)."""
    domain = resize_domain(_load(spec, spec.split), image_size)
    sampled = stratified_sample(domain, spec.n, spec.seed)
    return train_val_split(sampled, spec.val_fraction, spec.seed)


def prepare_target(spec: TargetSpec, image_size: int) -> tuple[DigitDomain, DigitDomain]:
    """Target images for adaptation (labels never used) and the evaluation set.

    The evaluation set is the target's test split when its file is present (or torchvision
    downloads it); otherwise a stratified ``spec.holdout_fraction`` of the training data that
    adaptation never sees.
    """
    train = resize_domain(_load(spec, "train"), image_size)
    downloads_test = spec.download and spec.name in TORCHVISION_DOMAINS
    if downloads_test or split_available(spec.name, spec.root, "test"):
        evaluation = resize_domain(_load(spec, "test"), image_size)
        pool = train
    else:
        pool, evaluation = train_val_split(train, spec.holdout_fraction, spec.seed)
    n = len(pool.labels) if spec.n is None else spec.n
    if n > len(pool.labels):
        raise ValueError(
            f"adda.target.n ({n}) exceeds the {len(pool.labels)} {spec.name} images left for "
            "adaptation after holding out the evaluation set"
        )
    return stratified_sample(pool, n, spec.seed), evaluation


def pretrain_source(
    train: DigitDomain, val: DigitDomain, settings: ClassifierBlock
) -> tuple[SourceClassifier, pd.DataFrame]:
    """LeNet encoder + classifier on the source domain (``source_only.*`` metrics per epoch)."""
    return fit_classifier(train, val, settings, "source_only")


def _adapt(
    classifier: SourceClassifier,
    source: DigitDomain,
    target: DigitDomain,
    settings: AdaptationSpec,
    init: str,
    prefix: str,
) -> tuple[nn.Module, DomainDiscriminator, pd.DataFrame]:
    with run_sink(prefix=prefix) as sink:
        return adapt(
            classifier.encoder,
            classifier.head,
            scale_to_unit(source.images),
            scale_to_unit(target.images),
            settings,
            init=init,
            log_metrics=sink,
        )


def adapt_target_encoder(
    classifier: SourceClassifier,
    source: DigitDomain,
    target: DigitDomain,
    settings: AdaptationSpec,
) -> tuple[nn.Module, DomainDiscriminator, pd.DataFrame]:
    """ADDA: the target encoder starts as a copy of the source encoder; source encoder and
    classifier stay frozen. Logs ``adda.d_loss``, ``adda.t_loss``, ``adda.d_acc`` per step."""
    return _adapt(classifier, source, target, settings, "source", "adda.")


def adapt_scratch_encoder(
    classifier: SourceClassifier,
    source: DigitDomain,
    target: DigitDomain,
    settings: AdaptationSpec,
) -> tuple[nn.Module, pd.DataFrame]:
    """The naive contrast: the same adversarial training with a target encoder from random
    weights (same settings and seed). Logs ``scratch.d_loss``, ``scratch.t_loss``, …"""
    encoder, _, history = _adapt(classifier, source, target, settings, "scratch", "scratch.")
    return encoder, history


def evaluate_adaptation(
    classifier: SourceClassifier,
    target_encoder: nn.Module,
    scratch_encoder: nn.Module,
    source_val: DigitDomain,
    target_eval: DigitDomain,
) -> tuple[MetricsDict, Figure]:
    """Source-only, ADDA and from-scratch accuracy on the held-out target set (and source-only
    on the source validation split), per-class target accuracy, and the confusion matrices of
    source-only and ADDA."""
    x_target = scale_to_unit(target_eval.images)
    before = predict(classifier.encoder, classifier.head, x_target)
    after = predict(target_encoder, classifier.head, x_target)
    scratch = predict(scratch_encoder, classifier.head, x_target)
    source_pred = predict(classifier.encoder, classifier.head, scale_to_unit(source_val.images))
    y = target_eval.labels
    metrics = {
        "source_only.source_accuracy": accuracy(source_val.labels, source_pred),
        "source_only.target_accuracy": accuracy(y, before),
        "adda.target_accuracy": accuracy(y, after),
        "scratch.target_accuracy": accuracy(y, scratch),
    }
    for name, pred in (("source_only", before), ("adda", after), ("scratch", scratch)):
        for digit, value in enumerate(per_class_accuracy(y, pred)):
            metrics[f"{name}.class{digit}.target_accuracy"] = float(value)
    figure = confusion_matrices_figure(confusion_matrix(y, before), confusion_matrix(y, after))
    return metrics_for_mlflow(metrics), figure


def plot_features(
    classifier: SourceClassifier,
    target_encoder: nn.Module,
    source_val: DigitDomain,
    target_eval: DigitDomain,
    projection: ProjectionSpec,
) -> tuple[Figure, Figure]:
    """Source (red) and target (blue) features before and after adaptation: PCA and t-SNE."""
    x_source, x_target = scale_to_unit(source_val.images), scale_to_unit(target_eval.images)
    source = extract_features(classifier.encoder, x_source)  # the source encoder is frozen
    target_before = extract_features(classifier.encoder, x_target)
    target_after = extract_features(target_encoder, x_target)
    features = (source, target_before, source, target_after)
    return tuple(
        feature_projection_figure(
            *features, method=method, max_points=projection.max_points, seed=projection.seed
        )
        for method in ("pca", "tsne")
    )
