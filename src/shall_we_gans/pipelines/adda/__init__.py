"""Adversarial Discriminative Domain Adaptation (ADDA) of a LeNet encoder between digit domains."""

from shall_we_gans.pipelines.adda.pipeline import create_pipeline

__all__ = ["create_pipeline"]
