"""LeNet source classifier on MNIST (also the Stacked MNIST mode counter)."""

from shall_we_gans.pipelines.classifier.pipeline import create_pipeline

__all__ = ["create_pipeline"]
