"""``missing_modes`` and ``text_modes`` end to end on a tiny budget (2 seeds, few steps)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from shall_we_gans.data.text_lattice import TextLattice
from shall_we_gans.data.toy import grid, ring
from shall_we_gans.gan import TrainerConfig
from shall_we_gans.params import ParameterError, validate_parameters
from shall_we_gans.params.missing_modes import (
    BourgainSpec,
    GridData,
    ModesEvaluation,
    RingData,
    TrainerOverride,
    merged_trainer,
)
from shall_we_gans.pipelines.missing_modes import create_pipeline
from shall_we_gans.pipelines.missing_modes.nodes import draw_for_seed, draw_grid, draw_ring
from shall_we_gans.pipelines.prior_nodes import (
    bourgain_latent,
    embed_data_points,
    held_out,
)
from shall_we_gans.pipelines.text_modes.nodes import ideal_support
from tests.parameters import base_parameters, with_value


@pytest.fixture(scope="module")
def modes_project(tiny_run):
    return tiny_run("missing_modes")


@pytest.fixture(scope="module")
def text_project(tiny_run):
    return tiny_run("text_modes")


def test_missing_modes_logs_means_and_per_seed_values(modes_project):
    project, run = modes_project
    metrics = run.data.metrics
    for dataset, k in (("grid", 25), ("grid_pacgan", 25), ("ring", 8)):
        for prior in ("gaussian", "bourgain"):
            key = f"{dataset}.{prior}"
            assert 0 <= metrics[f"{key}.modes_covered"] <= k
            assert 0.0 <= metrics[f"{key}.hq_fraction"] <= 1.0
            assert 0.0 <= metrics[f"{key}.kl_to_uniform"] <= math.log(k) + 1e-9
            seeds = [metrics[f"{key}.seed{s}.modes_covered"] for s in (0, 1)]
            assert metrics[f"{key}.modes_covered"] == pytest.approx(np.mean(seeds))
            assert (project / f"data/08_reporting/missing_modes_{dataset}_{prior}.png").exists()
    assert "grid.bourgain.seed1.g_extra" in metrics  # the BourGAN distance term is trained


def test_each_prior_and_dataset_trains_with_its_own_trainer_settings():
    trainer = TrainerConfig(steps=10, batch_size=512)
    tuned = TrainerOverride(lr_g=2e-4, batch_size=128)
    ring = merged_trainer(trainer, tuned, TrainerOverride(batch_size=256))
    assert (ring.steps, ring.batch_size, ring.lr_g) == (10, 256, 2e-4)  # the dataset's wins
    assert merged_trainer(trainer, tuned, TrainerOverride()).batch_size == 128
    assert merged_trainer(trainer, TrainerOverride(), TrainerOverride()) == trainer
    for dataset in ("grid", "grid_pacgan", "ring"):
        for prior in ("gaussian", "bourgain"):
            name = f"missing_modes.{dataset}.{prior}.train_seed0"
            [train] = create_pipeline().only_nodes(name).nodes
            assert f"missing_modes_{dataset}_{prior}_trainer" in train.inputs
            [made] = create_pipeline().only_nodes(f"missing_modes.{dataset}.{prior}.trainer").nodes
            assert made.inputs == [
                "params:missing_modes.trainer",
                f"params:missing_modes.prior_overrides.{prior}",
                f"params:missing_modes.trainer_overrides.{dataset}",
            ]


GRID = GridData(kind="grid", k=5, spacing=2.0, std=0.1, n=300, seed=1000)
RING = RingData(kind="ring", n_modes=8, radius=1.0, std=0.01, n=300, seed=1000)


@pytest.mark.parametrize("spec", [GRID, RING])
def test_each_seed_draws_its_own_data_and_embedding(spec):
    """Seed s: data seed spec.seed + s, embedding seed bourgain.seed + s; the same seed gives
    the same draw, another seed another sample, other embedded points and another map."""
    spec_bourgain = bourgain(n_points=40, seed=2000)
    first, again, other = (draw_for_seed(spec, spec_bourgain, s) for s in (10, 10, 11))
    assert np.array_equal(first.toy.points, again.toy.points)
    assert np.array_equal(first.embedding.coords, again.embedding.coords)
    assert not np.array_equal(first.toy.points, other.toy.points)
    assert not np.array_equal(first.embedding.coords, other.embedding.coords)
    assert np.array_equal(first.toy.centres, other.toy.centres) and first.toy.std == spec.std
    expected = grid(300, std=0.1, seed=1010) if spec.kind == "grid" else ring(300, seed=1010)
    assert np.array_equal(first.toy.points, expected.points)
    reseeded = embed_data_points(first.toy.points, bourgain(n_points=40, seed=2010))
    assert np.array_equal(first.embedding.coords, reseeded.coords)


def test_draw_nodes_draw_every_seed_and_hand_on_the_mixture():
    spec_bourgain = bourgain(n_points=40, seed=2000)
    draws, toy = draw_grid(GRID, spec_bourgain, [11, 10])
    assert list(draws) == [11, 10] and toy is draws[11].toy
    assert np.array_equal(draws[10].toy.points, draw_for_seed(GRID, spec_bourgain, 10).toy.points)
    ring_draws, ring_toy = draw_ring(RING, spec_bourgain, [10])
    assert len(ring_toy.centres) == 8 and set(ring_draws) == {10}


def test_both_priors_of_a_dataset_train_on_its_per_seed_draws():
    pipeline = create_pipeline()
    for dataset in ("grid", "grid_pacgan", "ring"):
        [draw] = pipeline.only_nodes(f"missing_modes.{dataset}.draw_and_embed").nodes
        assert f"params:missing_modes.data.{dataset}" in draw.inputs
        assert "params:missing_modes.seeds" in draw.inputs
        for prior in ("gaussian", "bourgain"):
            [train] = pipeline.only_nodes(f"missing_modes.{dataset}.{prior}.train_seed0").nodes
            assert train.inputs[:2] == [
                f"missing_modes_{dataset}_draws",
                f"params:missing_modes.{prior}",
            ]
    assert not [n.name for n in pipeline.nodes if n.name.endswith(".latent")]


def test_grid_pacgan_is_pacgans_grid():
    params = validate_parameters(base_parameters())["missing_modes"]
    pacgan, grid_ = params.data["grid_pacgan"], params.data["grid"]
    assert (pacgan.kind, pacgan.k, pacgan.spacing, pacgan.std) == ("grid", 5, 2.0, 0.05)
    assert grid_.std == 0.1 and params.evaluation.n == 2500 and params.evaluation.n_sigma == 3


def test_text_modes_logs_support_metrics_beside_the_ideal_ones(text_project):
    project, run = text_project
    metrics = run.data.metrics
    for prior in ("gaussian", "bourgain"):
        for name in ("on_support", "support_coverage"):
            assert 0.0 <= metrics[f"{prior}.{name}"] <= 1.0
            assert metrics[f"{prior}.{name}"] <= metrics[f"ideal.{name}"]
        assert (project / f"data/08_reporting/text_modes_{prior}.png").exists()
    assert metrics["ideal.on_support"] == metrics["ideal.seed1.on_support"] == 1.0
    assert 0.0 < metrics["ideal.seed0.support_coverage"] < 1.0  # 200 draws, ~500 points


def test_ideal_support_values_are_those_of_draws_from_the_lattice():
    """Three points, 4 draws per seed with the judged samples' seeds: coverage is the share of
    points drawn at least once, on-support 1."""
    lattice = TextLattice(
        support=np.array([[0.0, 0.0], [0.5, 0.0], [0.5, 0.5]], np.float32), step=0.5, text="x"
    )
    evaluation = ModesEvaluation(n=4, seed=7)
    metrics = ideal_support(lattice, evaluation, [0, 3])
    expected = []
    for seed in (0, 3):
        drawn = np.random.default_rng(7 + seed).integers(0, 3, size=4)  # sample_lattice's draw
        expected.append(len(np.unique(drawn)) / 3)
        assert metrics[f"ideal.seed{seed}.support_coverage"]["value"] == pytest.approx(expected[-1])
        assert metrics[f"ideal.seed{seed}.on_support"]["value"] == 1.0
    assert metrics["ideal.support_coverage"]["value"] == pytest.approx(np.mean(expected))


def bourgain(**changes) -> BourgainSpec:
    return BourgainSpec(**{"n_points": 50, "seed": 0, "sigma": 1e-3, "alpha": 0.1, **changes})


def steps(n: int) -> TrainerConfig:
    return TrainerConfig(steps=n, batch_size=8)


@pytest.mark.parametrize("variant", ["paper", "official"])
def test_bourgain_latent_prior_sits_on_the_embedding(variant):
    """paper: the raw map, noise sigma · its RMS; official: the map centred and scaled to unit
    RMS per coordinate, noise sigma; either way beta pairs with the centres."""
    toy = grid(400, seed=0)
    spec = bourgain(n_points=50, sigma=1e-3, variant=variant)
    embedding = embed_data_points(toy.points, spec)
    latent = bourgain_latent(embedding, spec, steps(100))
    prior, term = latent.prior, latent.extra_g_loss
    import torch

    raw = embedding.coords / embedding.beta
    rms = np.sqrt(np.mean((raw - raw.mean(axis=0)) ** 2))
    assert embedding.rms == pytest.approx(rms)
    if variant == "paper":
        centres, beta, sigma = raw, embedding.beta, 1e-3 * rms
    else:
        centres, beta, sigma = (raw - raw.mean(axis=0)) / rms, embedding.beta * rms, 1e-3
    assert np.allclose(prior.centres.numpy(), centres, atol=1e-5)
    assert prior.sigma == pytest.approx(sigma) and term.beta == pytest.approx(beta)
    z = prior.sample(256, torch.Generator().manual_seed(0))
    near = torch.cdist(z, torch.as_tensor(centres, dtype=z.dtype)).min(dim=1).values
    assert near.max() < 10 * sigma * np.sqrt(prior.dim)  # about sigma·√dim from a centre
    # the generator term is zero for a map that scales latent distances by its beta exactly
    assert term(z, term.beta * z, 0).item() == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("repetitions", [5, 30])
def test_mixture_sigma_does_not_move_with_the_subsets_per_level(repetitions):
    """Centres have unit RMS per coordinate whatever t, so sigma is relative to their spread;
    the raw map's spread grows with t."""
    spec = bourgain(n_points=200, jl=False, repetitions=repetitions)
    embedding = embed_data_points(grid(2000, seed=0).points, spec)
    centres, beta = embedding.normalised()
    assert np.allclose(centres.mean(axis=0), 0.0, atol=1e-9)
    assert np.sqrt(np.mean(centres**2)) == pytest.approx(1.0)
    # distances keep their ratio to the data: beta pairs with the centres as with the raw map
    raw = embedding.coords / embedding.beta
    assert np.linalg.norm(centres[0] - centres[1]) * beta == pytest.approx(
        np.linalg.norm(raw[0] - raw[1]) * embedding.beta
    )


def test_official_variant_is_the_official_codes_embedding():
    spec = bourgain(n_points=64, variant="official")
    assert spec.embedding_options == {"jl": False, "repetitions": 5}
    embedding = embed_data_points(grid(200, seed=0).points, spec)
    assert (embedding.levels, embedding.repetitions, embedding.dim) == (6, 5, 30)
    paper = bourgain(n_points=64)
    assert paper.embedding_options == {"jl": True, "repetitions": None}
    with pytest.raises(ValidationError, match="variant official fixes jl: false"):
        bourgain(variant="official", jl=True)
    with pytest.raises(ValidationError, match="repetitions: 5"):
        bourgain(variant="official", repetitions=30)


@pytest.mark.parametrize(
    ("schedule", "switch_step"),
    [({"alpha_final": 0.1, "alpha_final_fraction": 0.25}, 1500), ({"alpha_final": 0.1}, 1500)],
)
def test_bourgain_term_switches_for_the_last_fraction_of_the_steps(schedule, switch_step):
    spec = bourgain(n_points=20, sigma=0.01, alpha=1.0, **schedule)
    embedding = embed_data_points(grid(100, seed=0).points, spec)
    term = bourgain_latent(embedding, spec, steps(2000)).extra_g_loss
    assert term.switch_step == switch_step  # the fraction defaults to the schema's 0.25
    assert (term.weight(switch_step - 1), term.weight(switch_step)) == (1.0, 0.1)


def test_embedding_takes_the_repetitions_per_level():
    points = grid(200, seed=0).points
    default = embed_data_points(points, bourgain(n_points=64, jl=False))
    more = embed_data_points(points, bourgain(n_points=64, jl=False, repetitions=9))
    assert (default.levels, default.repetitions) == (6, 6)  # t = ceil(log2 64) by default
    assert more.repetitions == 9 and more.coords.shape == (64, 6 * 9)


def test_embedding_refuses_more_points_than_data():
    with pytest.raises(ValueError, match="bourgain.n_points"):
        embed_data_points(np.zeros((10, 2), np.float32), bourgain(n_points=20))


def test_tuning_seeds_are_never_evaluated():
    samples = {10: np.zeros((4, 2)), 3: np.zeros((4, 2))}
    assert held_out(samples, [0, 1]) is samples
    with pytest.raises(ValueError, match=r"seeds \[3\] are tuning seeds"):
        held_out(samples, [3, 4])
    params = with_value(base_parameters(), "missing_modes.seeds", [9, 10])
    with pytest.raises(ParameterError, match=r"seeds \[9\] are also tuning_seeds"):
        validate_parameters(params)
