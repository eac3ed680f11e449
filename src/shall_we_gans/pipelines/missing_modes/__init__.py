"""Single Gaussian p_z vs the Bourgain mixture on disconnected 2-D modes (grid and ring)."""

from shall_we_gans.pipelines.missing_modes.pipeline import create_pipeline

__all__ = ["create_pipeline"]
