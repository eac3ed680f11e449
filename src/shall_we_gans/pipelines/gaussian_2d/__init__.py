"""One GAN on a 2-D Gaussian with a 256-d uniform prior, judged by mean and covariance."""

from shall_we_gans.pipelines.gaussian_2d.pipeline import create_pipeline

__all__ = ["create_pipeline"]
