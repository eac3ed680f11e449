"""Wiring, spaceflights style: slices of pipelines run by ``SequentialRunner`` on an in-memory
catalog that holds the typed parameter objects Kedro would build (no session, no files)."""

from __future__ import annotations

import pytest
from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner
from kedro.validation import ParameterValidator
from kedro.validation.utils import resolve_nested_dict_path

from shall_we_gans.gan import TrainerConfig
from shall_we_gans.pipelines.gaussian_2d import create_pipeline as gaussian_2d
from shall_we_gans.pipelines.missing_modes import create_pipeline as missing_modes
from shall_we_gans.settings import CONFIG_LOADER_ARGS
from tests.kedro_project import PROJECT_ROOT, nested


def catalog_for(pipeline: Pipeline, tiny: dict) -> DataCatalog:
    """An in-memory catalog holding every ``params:`` input of ``pipeline`` as Kedro makes it:
    conf/base with ``tiny`` (``--params``) merged in, then Kedro's own typed validation."""
    loader = OmegaConfigLoader(
        str(PROJECT_ROOT / "conf"), runtime_params=nested(tiny), **CONFIG_LOADER_ARGS
    )
    typed = ParameterValidator({"slice": pipeline}).validate_raw_params(loader["parameters"])
    catalog = DataCatalog()
    for name in pipeline.inputs():
        if name.startswith("params:"):
            catalog[name] = MemoryDataset(resolve_nested_dict_path(typed, name[7:]))
    return catalog


def test_gaussian_2d_training_slice_feeds_the_evaluation():
    tiny = {"gaussian_2d.data.n": 200, "gaussian_2d.trainer.steps": 5}
    tiny |= {"gaussian_2d.trainer.batch_size": 64, "gaussian_2d.evaluation.n": 50}
    pipeline = gaussian_2d().only_nodes(
        "gaussian_2d.sample_data", "gaussian_2d.train_gan", "gaussian_2d.evaluate"
    )
    catalog = catalog_for(pipeline, tiny)
    assert isinstance(catalog["params:gaussian_2d.trainer"].load(), TrainerConfig)
    outputs = SequentialRunner().run(pipeline, catalog)
    metrics = outputs["gaussian_2d_metrics"].load()
    assert set(metrics) == {"mean_error", "cov_error"}


@pytest.mark.parametrize("prior", ["gaussian", "bourgain"])
def test_missing_modes_variant_reads_its_namespace_block(prior):
    tiny = {
        "missing_modes.data.grid.n": 300,
        "missing_modes.seeds": [13],  # not one of the tuning seeds (0-9)
        "missing_modes.bourgain.n_points": 50,
        "missing_modes.trainer.steps": 4,
        "missing_modes.trainer.batch_size": 32,
        "missing_modes.evaluation.n": 100,
    }
    pipeline = missing_modes().to_outputs(f"missing_modes_grid_{prior}_metrics")
    catalog = catalog_for(pipeline, tiny)
    outputs = SequentialRunner().run(pipeline, catalog)
    metrics = outputs[f"missing_modes_grid_{prior}_metrics"].load()
    assert set(metrics) == {
        f"grid.{prior}.{name}"
        for name in ("modes_covered", "hq_fraction", "kl_to_uniform")
        for name in (name, f"seed13.{name}")
    }
