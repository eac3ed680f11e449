"""``text_modes``: the uniform "OMRON" lattice, single Gaussian p_z (namespace
``text_modes.text.gaussian``) against the Bourgain mixture (``text_modes.text.bourgain``),
same networks and budget; each reads its block ``text_modes.text.<prior>``."""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from shall_we_gans.params.missing_modes import SEED_SLOTS, merged_trainer
from shall_we_gans.pipelines import prior_nodes
from shall_we_gans.pipelines.prior_comparison import latent_node, variant_pipeline
from shall_we_gans.pipelines.text_modes import nodes

P = "params:text_modes"


def create_pipeline(**kwargs) -> Pipeline:
    """Lattice, samples, their Bourgain embedding and the ideal sampler's metrics, then both
    priors."""

    def prior_variant(prior: str) -> Pipeline:
        """One prior: its trainer settings (``trainer``, then the prior's overrides), its latent,
        its seeds, judged on the glyphs."""
        own = f"{P}.text.{prior}"
        trainer = Node(
            merged_trainer,
            [f"{P}.trainer", f"{P}.prior_overrides.{prior}"],
            "trainer",
            name="trainer",
        )
        latent = latent_node(prior, P, "text_modes_embedding", "trainer")
        return variant_pipeline(
            namespace=f"text.{prior}",
            prefix=f"text_modes_{prior}",
            setup=[trainer, latent],
            train=prior_nodes.train_seed,
            train_inputs=["text_modes_points", "latent", f"{P}.model", "trainer"]
            + [f"{P}.evaluation", f"{P}.seeds", own],
            gather=prior_nodes.gather_seeds,
            gathered=["generator", "samples"],
            slots=SEED_SLOTS,
            judge=[
                Node(
                    nodes.evaluate_support,
                    ["samples", "text_modes_lattice", own, f"{P}.tuning_seeds"],
                    "metrics",
                    name="evaluate",
                ),
                Node(
                    nodes.plot_support, ["samples", "text_modes_lattice", own], "plot", name="plot"
                ),
            ],
        )

    steps = [
        Node(
            nodes.build_text_data,
            f"{P}.data",
            ["text_modes_points", "text_modes_lattice"],
            name="build_data",
        ),
        Node(
            prior_nodes.embed_data_points,
            ["text_modes_points", f"{P}.bourgain"],
            "text_modes_embedding",
            name="embed",
        ),
        Node(
            nodes.ideal_support,
            ["text_modes_lattice", f"{P}.evaluation", f"{P}.seeds"],
            "text_modes_ideal_metrics",
            name="ideal",
        ),
    ]
    steps += [prior_variant(prior) for prior in ("gaussian", "bourgain")]
    return Pipeline(steps, namespace="text_modes", prefix_datasets_with_namespace=False)
