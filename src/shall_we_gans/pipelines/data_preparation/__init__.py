"""Digit domains, Stacked MNIST and previews of the toy distributions."""

from shall_we_gans.pipelines.data_preparation.pipeline import create_pipeline

__all__ = ["create_pipeline"]
