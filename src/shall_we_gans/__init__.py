"""Shall We GANs: runnable, tracked, reproducible GAN experiments."""

import warnings

# Third-party warnings a user cannot act on (the fix is in those libraries), filtered when
# `kedro` first imports the project: OmegaConf's deprecation of `register_new_resolver`
# (called by kedro and kedro-mlflow) and mlflow's pyfunc advice printed on import.
warnings.filterwarnings("ignore", message=r"register_new_resolver\(\) is deprecated")
warnings.filterwarnings("ignore", message=r".*Add type hints to the `predict` method")

__version__ = "0.1.0"
