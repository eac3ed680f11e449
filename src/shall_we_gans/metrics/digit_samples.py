"""Quality of generated digits from their predicted classes (a pretrained classifier's labels).

``digit_coverage``: how many of the 10 classes appear at all; ``class_kl``: KL of the
predicted-class histogram to the uniform distribution over the classes, natural log (0 for a
perfectly balanced set, ``log 10`` ≈ 2.30 for samples that are all one digit).
"""

from __future__ import annotations

import numpy as np

from shall_we_gans.metrics.modes import kl_to_uniform

N_DIGITS = 10


def class_counts(labels, n_classes: int = N_DIGITS) -> np.ndarray:
    """Number of samples per predicted class, shape ``(n_classes,)``."""
    if isinstance(n_classes, bool) or not isinstance(n_classes, int) or n_classes < 1:
        raise ValueError(f"n_classes must be a positive int, got {n_classes!r}")
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) == 0 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"labels must be a non-empty 1-D integer array, got {labels.dtype} {labels.shape}"
        )
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(f"labels must lie in 0–{n_classes - 1}")
    return np.bincount(labels, minlength=n_classes)


def digit_coverage(labels, n_classes: int = N_DIGITS) -> int:
    """Number of classes predicted for at least one sample."""
    return int((class_counts(labels, n_classes) > 0).sum())


def class_kl(labels, n_classes: int = N_DIGITS) -> float:
    """KL(predicted-class histogram ‖ uniform over ``n_classes``), natural log."""
    return kl_to_uniform(class_counts(labels, n_classes))


def digit_sample_metrics(labels, n_classes: int = N_DIGITS) -> dict[str, float | int]:
    """``digit_coverage`` and ``class_kl`` of one set of predicted labels."""
    counts = class_counts(labels, n_classes)
    return {"digit_coverage": int((counts > 0).sum()), "class_kl": kl_to_uniform(counts)}
