"""Shall We GANs: runnable, tracked, reproducible GAN experiments."""

__version__ = "0.1.0"
