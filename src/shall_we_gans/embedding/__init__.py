"""Bourgain embedding of sampled data points into a low-dimensional l2 latent space (BourGAN)."""

from shall_we_gans.embedding.bourgain import (
    BourgainEmbedding,
    bourgain_embedding,
    embed,
    embedding_shape,
)
from shall_we_gans.embedding.points import METRICS

__all__ = ["METRICS", "BourgainEmbedding", "bourgain_embedding", "embed", "embedding_shape"]
