"""A D that rejects every sample: the minimax G gradient vanishes, the non-saturating one not."""

from shall_we_gans.pipelines.gradient_vanishing.pipeline import create_pipeline

__all__ = ["create_pipeline"]
