"""``missing_modes``: for the 5×5 grid (std 0.1, BourGAN's code; ``grid_pacgan``: std 0.05,
PacGAN's protocol) and the 8-ring, a single-Gaussian p_z against the Bourgain mixture, same
networks, over several seeds. One namespace per dataset and
prior (``missing_modes.grid.bourgain``, …), each reading its block
``missing_modes.<dataset>.<prior>``.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from shall_we_gans.params.missing_modes import SEED_SLOTS
from shall_we_gans.pipelines import prior_nodes
from shall_we_gans.pipelines.missing_modes import nodes
from shall_we_gans.pipelines.seed_slots import seed_fan_out, slot_outputs


def create_pipeline(**kwargs) -> Pipeline:
    """Per dataset: p_data samples and their Bourgain embedding; then per prior: its trainer
    settings (``trainer``, then the prior's overrides, then the dataset's), its latent, one
    training node per seed slot and their gathering (``pipelines.seed_slots``), judging and
    plotting."""
    p = "params:missing_modes"
    samplers = {
        "grid": nodes.sample_grid,
        "grid_pacgan": nodes.sample_grid,
        "ring": nodes.sample_ring,
    }
    latents = {
        "gaussian": Node(prior_nodes.gaussian_latent, f"{p}.gaussian", "latent", name="latent"),
        "bourgain": Node(
            prior_nodes.bourgain_latent,
            ["embedding", f"{p}.bourgain", "trainer"],
            "latent",
            name="latent",
        ),
    }
    shared = {f"{p}.{b}" for b in ("model", "evaluation", "seeds", "tuning_seeds")}
    studies = []
    for dataset, sampler in samplers.items():
        names = {k: f"missing_modes_{dataset}_{k}" for k in ("points", "data", "embedding")}
        steps = [
            Node(sampler, f"{p}.data.{dataset}", [names["points"], names["data"]], name="sample"),
            Node(
                prior_nodes.embed_data_points,
                [names["points"], f"{p}.bourgain"],
                names["embedding"],
                name="embed",
            ),
        ]
        for prior in ("gaussian", "bourgain"):
            own = f"{p}.{dataset}.{prior}"
            overrides = [f"{p}.prior_overrides.{prior}", f"{p}.trainer_overrides.{dataset}"]
            steps.append(
                Pipeline(
                    [
                        Node(
                            prior_nodes.dataset_trainer,
                            [f"{p}.trainer", *overrides],
                            "trainer",
                            name="trainer",
                        ),
                        latents[prior],
                        *seed_fan_out(
                            prior_nodes.train_seed,
                            ["points", "latent", f"{p}.model", "trainer", f"{p}.evaluation"]
                            + [f"{p}.seeds", own],
                            prior_nodes.gather_seeds,
                            ["generator", "samples"],
                            SEED_SLOTS,
                        ),
                        Node(
                            nodes.evaluate_modes,
                            ["samples", "data", f"{p}.evaluation", own, f"{p}.tuning_seeds"],
                            "metrics",
                            name="evaluate",
                        ),
                        Node(nodes.plot_modes, ["samples", "data", own], "plot", name="plot"),
                    ],
                    namespace=prior,
                    inputs={
                        k: v for k, v in names.items() if k != "embedding" or prior != "gaussian"
                    },
                    outputs={
                        **{
                            k: f"missing_modes_{dataset}_{prior}_{k}"
                            for k in ("trainer", "latent", "generator", "samples")
                            + ("metrics", "plot")
                        },
                        **slot_outputs(f"missing_modes_{dataset}_{prior}", SEED_SLOTS),
                    },
                    parameters={*shared, own, f"{p}.{prior}", f"{p}.trainer", *overrides},
                )
            )
        studies.append(Pipeline(steps, namespace=dataset, prefix_datasets_with_namespace=False))
    return Pipeline(studies, namespace="missing_modes", prefix_datasets_with_namespace=False)
