"""Stacked MNIST: modes covered out of 1,000, a Gaussian p_z against the Bourgain mixture."""

from shall_we_gans.pipelines.stacked_mnist.pipeline import create_pipeline

__all__ = ["create_pipeline"]
