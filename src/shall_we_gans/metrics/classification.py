"""Classification metrics on integer label arrays: checked inputs, scikit-learn arithmetic."""

from __future__ import annotations

import numpy as np
from sklearn import metrics


def _as_label_pair(y_true, y_pred, n_classes: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.ndim != 1 or y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError(
            "y_true and y_pred must be non-empty 1-D arrays of equal length, "
            f"got shapes {y_true.shape} and {y_pred.shape}"
        )
    for name, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if not np.issubdtype(labels.dtype, np.integer):
            raise ValueError(f"{name} must hold integer class labels, got dtype {labels.dtype}")
        if n_classes is not None and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"{name} labels must lie in [0, n_classes={n_classes})")
    return y_true.astype(np.int64), y_pred.astype(np.int64)


def accuracy(y_true, y_pred) -> float:
    """Fraction of positions where ``y_pred`` equals ``y_true``."""
    y_true, y_pred = _as_label_pair(y_true, y_pred)
    return float(metrics.accuracy_score(y_true, y_pred))


def confusion_matrix(y_true, y_pred, n_classes: int = 10) -> np.ndarray:
    """``n_classes×n_classes`` counts; row = true class, column = predicted class."""
    if n_classes < 1:
        raise ValueError(f"n_classes must be a positive integer, got {n_classes!r}")
    y_true, y_pred = _as_label_pair(y_true, y_pred, n_classes)
    return metrics.confusion_matrix(y_true, y_pred, labels=np.arange(n_classes))


def per_class_accuracy(y_true, y_pred, n_classes: int = 10) -> np.ndarray:
    """Recall of each true class (length ``n_classes``); NaN for classes absent from ``y_true``."""
    matrix = confusion_matrix(y_true, y_pred, n_classes)
    support = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(support > 0, np.diag(matrix) / support, np.nan)
