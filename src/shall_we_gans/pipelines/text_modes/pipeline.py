"""``text_modes``: the uniform "OMRON" lattice, single Gaussian p_z (namespace
``text_modes.text.gaussian``) against the Bourgain mixture (``text_modes.text.bourgain``),
same networks and budget; each reads its block ``text_modes.text.<prior>``."""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from shall_we_gans.params.missing_modes import SEED_SLOTS
from shall_we_gans.pipelines import prior_nodes
from shall_we_gans.pipelines.seed_slots import seed_fan_out, slot_outputs
from shall_we_gans.pipelines.text_modes import nodes


def create_pipeline(**kwargs) -> Pipeline:
    """Lattice, samples, their Bourgain embedding and the ideal sampler's metrics, then per
    prior: its latent, one training node per seed slot and their gathering
    (``pipelines.seed_slots``), judging and plotting."""
    p = "params:text_modes"
    shared = {f"{p}.{b}" for b in ("model", "trainer", "evaluation", "seeds", "tuning_seeds")}
    latents = {
        "gaussian": Node(prior_nodes.gaussian_latent, f"{p}.gaussian", "latent", name="latent"),
        "bourgain": Node(
            prior_nodes.bourgain_latent,
            ["text_modes_embedding", f"{p}.bourgain", f"{p}.trainer"],
            "latent",
            name="latent",
        ),
    }
    steps = [
        Node(
            nodes.build_text_data,
            f"{p}.data",
            ["text_modes_points", "text_modes_lattice"],
            name="build_data",
        ),
        Node(
            prior_nodes.embed_data_points,
            ["text_modes_points", f"{p}.bourgain"],
            "text_modes_embedding",
            name="embed",
        ),
        Node(
            nodes.ideal_support,
            ["text_modes_lattice", f"{p}.evaluation", f"{p}.seeds"],
            "text_modes_ideal_metrics",
            name="ideal",
        ),
    ]
    for prior in ("gaussian", "bourgain"):
        own = f"{p}.text.{prior}"
        steps.append(
            Pipeline(
                [
                    latents[prior],
                    *seed_fan_out(
                        prior_nodes.train_seed,
                        ["text_modes_points", "latent", f"{p}.model", f"{p}.trainer"]
                        + [f"{p}.evaluation", f"{p}.seeds", own],
                        prior_nodes.gather_seeds,
                        ["generator", "samples"],
                        SEED_SLOTS,
                    ),
                    Node(
                        nodes.evaluate_support,
                        ["samples", "text_modes_lattice", own, f"{p}.tuning_seeds"],
                        "metrics",
                        name="evaluate",
                    ),
                    Node(
                        nodes.plot_support,
                        ["samples", "text_modes_lattice", own],
                        "plot",
                        name="plot",
                    ),
                ],
                namespace=f"text.{prior}",
                inputs={"text_modes_points", "text_modes_lattice"}
                | ({"text_modes_embedding"} if prior == "bourgain" else set()),
                outputs={
                    **{
                        k: f"text_modes_{prior}_{k}"
                        for k in ("latent", "generator", "samples", "metrics", "plot")
                    },
                    **slot_outputs(f"text_modes_{prior}", SEED_SLOTS),
                },
                parameters={*shared, own, f"{p}.{prior}"},
            )
        )
    return Pipeline(steps, namespace="text_modes", prefix_datasets_with_namespace=False)
