"""GAN building blocks: models, losses, priors, regularisers, diagnostics and the trainer."""

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.gan.losses import GANLoss, get_loss
from shall_we_gans.gan.models import build_discriminator, build_generator
from shall_we_gans.gan.priors import Prior, build_prior
from shall_we_gans.gan.trainer import GANTrainer, TrainingDivergedError

__all__ = [
    "GANLoss",
    "GANTrainer",
    "Prior",
    "TrainerConfig",
    "TrainingDivergedError",
    "build_discriminator",
    "build_generator",
    "build_prior",
    "get_loss",
]
