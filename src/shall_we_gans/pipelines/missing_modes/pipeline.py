"""``missing_modes``: for the 5×5 grid (std 0.1, BourGAN's code; ``grid_pacgan``: std 0.05,
PacGAN's protocol) and the 8-ring, a single-Gaussian p_z against the Bourgain mixture, same
networks, over several seeds; each seed draws its own p_data sample and Bourgain embedding
(``nodes.draw_for_seed``), which both priors train on. One namespace per dataset and prior
(``missing_modes.grid.bourgain``, …), each reading its block ``missing_modes.<dataset>.<prior>``.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from shall_we_gans.params.missing_modes import SEED_SLOTS, merged_trainer
from shall_we_gans.pipelines import prior_nodes
from shall_we_gans.pipelines.missing_modes import nodes
from shall_we_gans.pipelines.prior_comparison import variant_pipeline

P = "params:missing_modes"
DRAWS = {"grid": nodes.draw_grid, "grid_pacgan": nodes.draw_grid, "ring": nodes.draw_ring}
TRAIN = {"gaussian": nodes.train_gaussian_seed, "bourgain": nodes.train_bourgain_seed}


def create_pipeline(**kwargs) -> Pipeline:
    """Per dataset: each seed's p_data sample and its Bourgain embedding, then both priors."""

    def prior_variant(dataset: str, prior: str) -> Pipeline:
        """One prior on one dataset: its trainer settings (``trainer``, then the prior's
        overrides, then the dataset's), its seeds, each on its own draw (and, for the Bourgain
        prior, the mixture of that draw's embedding), judged by PacGAN's protocol."""
        data, own = f"missing_modes_{dataset}", f"{P}.{dataset}.{prior}"
        overrides = [f"{P}.prior_overrides.{prior}", f"{P}.trainer_overrides.{dataset}"]
        return variant_pipeline(
            namespace=prior,
            prefix=f"{data}_{prior}",
            setup=[Node(merged_trainer, [f"{P}.trainer", *overrides], "trainer", name="trainer")],
            train=TRAIN[prior],
            train_inputs=[f"{data}_draws", f"{P}.{prior}", f"{P}.model", "trainer"]
            + [f"{P}.evaluation", f"{P}.seeds", own],
            gather=prior_nodes.gather_seeds,
            gathered=["generator", "samples"],
            slots=SEED_SLOTS,
            judge=[
                Node(
                    nodes.evaluate_modes,
                    ["samples", f"{data}_data", f"{P}.evaluation", own, f"{P}.tuning_seeds"],
                    "metrics",
                    name="evaluate",
                ),
                Node(nodes.plot_modes, ["samples", f"{data}_data", own], "plot", name="plot"),
            ],
        )

    studies = []
    for dataset, draw in DRAWS.items():
        data = f"missing_modes_{dataset}"
        steps = [
            Node(
                draw,
                [f"{P}.data.{dataset}", f"{P}.bourgain", f"{P}.seeds"],
                [f"{data}_draws", f"{data}_data"],
                name="draw_and_embed",
            )
        ]
        steps += [prior_variant(dataset, prior) for prior in ("gaussian", "bourgain")]
        studies.append(Pipeline(steps, namespace=dataset, prefix_datasets_with_namespace=False))
    return Pipeline(studies, namespace="missing_modes", prefix_datasets_with_namespace=False)
