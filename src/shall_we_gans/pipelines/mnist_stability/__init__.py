"""A naive DCGAN on MNIST crashes while max |∇ₓD/D| on G(z) grows; spectral norm keeps it stable."""

from shall_we_gans.pipelines.mnist_stability.pipeline import create_pipeline

__all__ = ["create_pipeline"]
