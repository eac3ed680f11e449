"""``text_modes``: the uniform "OMRON" lattice, single Gaussian p_z (namespace
``text_modes.text.gaussian``) against the Bourgain mixture (``text_modes.text.bourgain``),
same networks and budget; each reads its block ``text_modes.text.<prior>``."""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines import prior_nodes
from shall_we_gans.pipelines.text_modes import nodes


def create_pipeline(**kwargs) -> Pipeline:
    """Lattice, samples and their Bourgain embedding, then per prior: its latent, training
    over seeds, judging and plotting."""
    p = "params:text_modes"
    shared = {f"{p}.{b}" for b in ("model", "trainer", "evaluation", "seeds")}
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
    ]
    for prior in ("gaussian", "bourgain"):
        own = f"{p}.text.{prior}"
        steps.append(
            Pipeline(
                [
                    latents[prior],
                    Node(
                        prior_nodes.train_over_seeds,
                        ["text_modes_points", "latent", f"{p}.model", f"{p}.trainer"]
                        + [f"{p}.evaluation", f"{p}.seeds", own],
                        ["generator", "samples"],
                        name="train",
                    ),
                    Node(
                        nodes.evaluate_support,
                        ["samples", "text_modes_lattice", own],
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
                    k: f"text_modes_{prior}_{k}"
                    for k in ("latent", "generator", "samples", "metrics", "plot")
                },
                parameters={*shared, own, f"{p}.{prior}"},
            )
        )
    return Pipeline(steps, namespace="text_modes", prefix_datasets_with_namespace=False)
