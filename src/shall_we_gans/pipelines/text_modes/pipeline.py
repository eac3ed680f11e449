"""``text_modes``: the uniform "OMRON" lattice, single Gaussian p_z (namespace
``text_modes.gaussian``) against the Bourgain mixture (``text_modes.bourgain``), same networks
and budget."""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.missing_modes import nodes as prior_nodes
from shall_we_gans.pipelines.missing_modes.pipeline import named, namespaced, train_node
from shall_we_gans.pipelines.text_modes import nodes

P = "params:text_modes"


def variant_pipeline(prior: str) -> Pipeline:
    """Train, judge and plot one prior (namespace ``text_modes.{prior}``)."""
    steps = [
        train_node(P, prior, prefix=prior),
        Node(
            named(nodes.evaluate_support, "evaluate_support", prefix=prior),
            ["samples", "lattice"],
            "metrics",
            name="evaluate",
        ),
        Node(
            named(nodes.plot_support, "plot_support", prefix=prior),
            ["samples", "lattice"],
            "plot",
            name="plot",
        ),
    ]
    inputs = {"points": "text_modes_points", "lattice": "text_modes_lattice"}
    if prior == "bourgain":
        inputs["embedding"] = "text_modes_embedding"
    outputs = {k: f"text_modes_{prior}_{k}" for k in ("generator", "samples", "metrics", "plot")}
    return namespaced(steps, f"text_modes.{prior}", inputs, outputs)


def create_pipeline(**kwargs) -> Pipeline:
    """Lattice, samples and their Bourgain embedding, then both priors."""
    data = Pipeline(
        [
            Node(
                nodes.build_text_data,
                f"{P}.data",
                ["text_modes_points", "text_modes_lattice"],
                name="text_modes_build_data",
            ),
            Node(
                prior_nodes.embed_data_points,
                ["text_modes_points", f"{P}.bourgain"],
                "text_modes_embedding",
                name="text_modes_embed",
            ),
        ]
    )
    return data + variant_pipeline("gaussian") + variant_pipeline("bourgain")
