"""``text_lattice``: one namespace per variant (heisei, reiwa_warm, reiwa_cold).

Shared blocks (``lattice``, ``model``, ``trainer``, ``evaluation``) keep their names; each
variant reads its own block ``text_lattice.<variant>`` (text, metric prefix). ``reiwa_warm``
starts from the saved 平成 generator, the others from a fresh one.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.gan_nodes import init_generator
from shall_we_gans.pipelines.text_lattice import nodes


def create_pipeline(**kwargs) -> Pipeline:
    """平成 from scratch; 令和 from the saved 平成 generator and from scratch, same budget."""
    p = "params:text_lattice"
    shared = [f"{p}.model", f"{p}.trainer", f"{p}.evaluation", f"{p}.curve"]
    warm_from = {"reiwa_warm": "text_lattice_heisei_generator"}
    variants = []
    for variant in ("heisei", "reiwa_warm", "reiwa_cold"):
        own = f"{p}.{variant}"
        init = [Node(init_generator, f"{p}.model", "initial_generator", name="init")]
        steps = [
            Node(nodes.build_lattice, [own, f"{p}.lattice"], "lattice", name="build_lattice"),
            Node(
                nodes.train_on_lattice,
                ["initial_generator", "lattice", *shared, own],
                ["generator", "history", "samples", "curve"],
                name="train_on_lattice",
            ),
            Node(
                nodes.evaluate_on_lattice,
                ["samples", "lattice", "curve", f"{p}.evaluation", f"{p}.curve", own],
                "metrics",
                name="evaluate_on_lattice",
            ),
            Node(
                nodes.plot_on_lattice, ["samples", "lattice", own], "plot", name="plot_on_lattice"
            ),
        ]
        outputs = ["lattice", "generator", "history", "samples", "curve", "metrics", "plot"]
        if variant not in warm_from:
            steps, outputs = init + steps, ["initial_generator", *outputs]
        variants.append(
            Pipeline(
                steps,
                namespace=variant,
                inputs={"initial_generator": warm_from[variant]} if variant in warm_from else None,
                outputs={k: f"text_lattice_{variant}_{k}" for k in outputs},
                parameters={*shared, own, f"{p}.lattice"},
            )
        )
    compare = Node(
        nodes.plot_warm_start,
        ["text_lattice_reiwa_warm_curve", "text_lattice_reiwa_cold_curve", f"{p}.curve"],
        "text_lattice_warm_start",
        name="plot_warm_start",
    )
    return Pipeline(
        [*variants, compare], namespace="text_lattice", prefix_datasets_with_namespace=False
    )
