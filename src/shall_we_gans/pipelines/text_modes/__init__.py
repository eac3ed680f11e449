"""Single Gaussian p_z vs the Bourgain mixture on the uniform "OMRON" lattice distribution."""

from shall_we_gans.pipelines.text_modes.pipeline import create_pipeline

__all__ = ["create_pipeline"]
