"""GANs on uniform text lattices: 平成, then 令和 warm-started from it and from scratch."""

from shall_we_gans.pipelines.text_lattice.pipeline import create_pipeline

__all__ = ["create_pipeline"]
