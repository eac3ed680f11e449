"""One training node per (variant, seed slot), gathered in slot order (``pipelines.seed_slots``)."""

from __future__ import annotations

import pickle

import pytest
from kedro.validation.type_extractor import TypeExtractor

from shall_we_gans.params import ParameterError, validate_parameters
from shall_we_gans.params.missing_modes import SEED_SLOTS, MlpPair
from shall_we_gans.params.stacked_mnist import SEED_SLOTS as STACKED_SLOTS
from shall_we_gans.pipelines import prior_nodes
from shall_we_gans.pipelines.missing_modes import create_pipeline as missing_modes
from shall_we_gans.pipelines.seed_slots import SeedSlot
from shall_we_gans.pipelines.stacked_mnist import create_pipeline as stacked_mnist
from shall_we_gans.pipelines.text_modes import create_pipeline as text_modes
from tests.parameters import base_parameters, with_value


@pytest.mark.parametrize(
    ("pipeline", "variants", "slots"),
    [
        (
            missing_modes,
            [f"missing_modes.{d}.{p}" for d in ("grid", "ring") for p in ("gaussian", "bourgain")],
            SEED_SLOTS,
        ),
        (text_modes, [f"text_modes.text.{p}" for p in ("gaussian", "bourgain")], SEED_SLOTS),
        (
            stacked_mnist,
            [
                f"stacked_mnist.{p}.{d}"
                for p in ("dcgan", "bourgan")
                for d in ("d025", "d050", "d100")
            ],
            STACKED_SLOTS,
        ),
    ],
)
def test_every_variant_trains_each_seed_slot_in_its_own_node(pipeline, variants, slots):
    built = pipeline()
    names = {n.name for n in built.nodes}
    for variant in variants:
        trains = [f"{variant}.train_seed{i}" for i in range(slots)]
        assert set(trains) <= names and f"{variant}.train_seed{slots}" not in names
        [gather] = built.only_nodes(f"{variant}.gather_seeds").nodes
        # the gather node reads every slot of its own variant, in slot order
        producers = [built.only_nodes_with_outputs(i).nodes[0].name for i in gather.inputs]
        assert producers == trains


def test_seed_slot_keeps_the_type_hints_and_pickles():
    slot = SeedSlot(prior_nodes.train_seed, 2)
    assert pickle.loads(pickle.dumps(slot)).slot == 2
    [node] = missing_modes().only_nodes("missing_modes.grid.gaussian.train_seed1").nodes
    hints = TypeExtractor({"p": missing_modes()}).extract_types_from_pipelines()
    assert hints["missing_modes.model"] is MlpPair  # Kedro builds the typed block
    assert node.func.slot == 1


def test_an_unused_slot_trains_nothing_and_gather_keeps_slot_order():
    nothing = prior_nodes.train_seed(None, None, None, None, None, [7], None, slot=1)
    assert nothing == {}
    runs = [{7: prior_nodes.SeedRun("g7", "s7")}, {}, {3: prior_nodes.SeedRun("g3", "s3")}]
    assert prior_nodes.gather_seeds(*runs) == ("g7", {7: "s7", 3: "s3"})


def test_more_seeds_than_slots_are_refused():
    params = with_value(base_parameters(), "missing_modes.seeds", list(range(SEED_SLOTS + 1)))
    with pytest.raises(ParameterError, match="missing_modes.seeds.*at most 5 seeds"):
        validate_parameters(params)
