"""GAN building blocks: models, losses, priors, regularisers, diagnostics, the trainer, and
``run_gan``, the one place that runs a GAN from a ``GANRunSpec``."""

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.gan.guards import TrainingDivergedError
from shall_we_gans.gan.losses import GANLoss, get_loss
from shall_we_gans.gan.models import build_discriminator, build_generator
from shall_we_gans.gan.priors import Prior, build_prior
from shall_we_gans.gan.run import GANRun, GANRunSpec, run_gan, seeded
from shall_we_gans.gan.sinks import MemorySink, MetricSink, discard_metrics
from shall_we_gans.gan.trainer import GANTrainer

__all__ = [
    "GANLoss",
    "GANRun",
    "GANRunSpec",
    "GANTrainer",
    "MemorySink",
    "MetricSink",
    "Prior",
    "TrainerConfig",
    "TrainingDivergedError",
    "build_discriminator",
    "build_generator",
    "build_prior",
    "discard_metrics",
    "get_loss",
    "run_gan",
    "seeded",
]
