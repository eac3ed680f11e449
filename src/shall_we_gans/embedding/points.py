"""Input checks for the embedding: flatten to (N, D) float32 or float64, find duplicate rows."""

from __future__ import annotations

import numpy as np

METRICS = ("euclidean", "l1")


def check_metric(metric: str) -> str:
    """Return ``metric`` when it is supported, else raise one clear ValueError."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    return metric


def as_point_matrix(points) -> np.ndarray:
    """``points`` (N, ...) as a C-contiguous (N, D) float32 or float64 array of finite numbers.

    float32 and float64 input is used as is (no copy when already contiguous); other dtypes
    become float64.
    """
    try:
        array = np.asarray(points)
        if array.dtype not in (np.float32, np.float64):
            array = array.astype(np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"points must be a numeric array of shape (N, ...), got {err}") from None
    if array.ndim == 0 or array.shape[0] == 0 or array.size == 0:
        raise ValueError(f"points must hold at least one non-empty point, got shape {array.shape}")
    flat = np.ascontiguousarray(array.reshape(array.shape[0], -1))
    if not np.isfinite(flat).all():
        raise ValueError("points must be finite (no NaN or inf)")
    return flat


def unique_rows(x: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the first copy of each distinct row and, per row, its distinct-row number.

    Rows are grouped by an exact integer hash of their bits (wrap-around arithmetic does not
    depend on the summation order; -0.0 is hashed as 0.0), then checked for equality; a hash
    collision between different rows falls back to numpy's exact row sort.
    """
    int_type = np.int64 if x.dtype.itemsize == 8 else np.int32
    multipliers = np.random.default_rng(seed).integers(1, 2**62, size=x.shape[1]) * 2 + 1
    keys = np.empty(len(x), dtype=np.int64)
    chunks = [slice(start, start + 4096) for start in range(0, len(x), 4096)]
    for rows in chunks:  # integer dot products wrap around modulo 2**64
        bits = (x[rows] + x.dtype.type(0)).view(int_type)  # + 0 turns -0.0 into 0.0
        keys[rows] = bits.astype(np.int64) @ multipliers
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if not all(np.array_equal(x[rows], x[first[inverse[rows]]]) for rows in chunks):
        _, first, inverse = np.unique(x + 0, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
    order = np.argsort(first, kind="stable")  # number distinct rows by first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return first[order], rank[inverse]
