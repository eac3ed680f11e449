"""``TorchModuleDataset``: weights plus rebuild arguments; loading never runs code from data/."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import torch
from kedro.io.core import DatasetError

from shall_we_gans.adaptation.models import ClassifierHead, LeNetEncoder, SourceClassifier
from shall_we_gans.gan.models import DCGANGenerator, MLPGenerator
from shall_we_gans.io import TorchModuleDataset
from shall_we_gans.modules import build_module, module_spec


@pytest.mark.parametrize(
    "make",
    [
        lambda: MLPGenerator(4, 2, width=8, depth=2, batch_norm=True),
        lambda: DCGANGenerator(8, channels=3, width=4, spectral_norm=True),
        lambda: SourceClassifier(LeNetEncoder(channels=(8, 16)), ClassifierHead(dropout=0.2)),
    ],
    ids=["mlp", "dcgan-sn", "lenet-wide"],
)
def test_round_trip_gives_the_same_function(tmp_path, make):
    torch.manual_seed(0)
    module = make().eval()
    dataset = TorchModuleDataset(filepath=str(tmp_path / "m.pt"))
    dataset.save(module)
    loaded = dataset.load()
    assert type(loaded) is type(module) and not loaded.training
    x = torch.randn(3, 1, 28, 28) if isinstance(module, SourceClassifier) else torch.randn(3, 8)
    if isinstance(module, MLPGenerator):
        x = torch.randn(3, 4)
    assert torch.equal(loaded(x), module(x))
    assert not list(tmp_path.glob(".*partial"))  # written under a temporary name, then renamed


class Payload:
    def __reduce__(self):
        return (Path.touch, (Path(__file__).parent / "never-created",))


def test_a_crafted_pickle_is_not_executed(tmp_path):
    marker = Path(__file__).parent / "never-created"
    path = tmp_path / "m.pt"
    path.write_bytes(pickle.dumps(Payload()))
    with pytest.raises(DatasetError, match="rerun the pipeline"):
        TorchModuleDataset(filepath=str(path)).load()
    assert not marker.exists()


def test_specs_only_rebuild_this_packages_modules():
    spec = module_spec(MLPGenerator(4, 2, width=8, depth=1))
    assert spec["class"] == "shall_we_gans.gan.models:MLPGenerator"
    with pytest.raises(ValueError, match="not a class of this package"):
        build_module({"class": "os:system", "args": {"command": "true"}})
    with pytest.raises(ValueError, match="not a rebuildable module"):
        build_module({"class": "shall_we_gans.runtime:seed_everything", "args": {"seed": 0}})
