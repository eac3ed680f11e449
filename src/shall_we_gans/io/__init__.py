"""Kedro dataset classes of the project (use the full dotted path in the catalog)."""

from shall_we_gans.io.atomic import AtomicCSVDataset, AtomicMatplotlibDataset, AtomicPickleDataset
from shall_we_gans.io.torch_module import TorchModuleDataset

__all__ = [
    "AtomicCSVDataset",
    "AtomicMatplotlibDataset",
    "AtomicPickleDataset",
    "TorchModuleDataset",
]
