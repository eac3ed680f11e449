"""``text_lattice``: one namespace per variant (heisei, reiwa_warm, reiwa_cold).

Shared blocks (``lattice``, ``model``, ``trainer``, ``evaluation``) keep their names; each
variant reads ``text`` and ``metric_prefix`` from its own block ``text_lattice.<variant>``.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.text_lattice import nodes

SHARED = {f"params:text_lattice.{b}" for b in ("lattice", "model", "trainer", "evaluation")}
OUTPUTS = ("lattice", "initial_generator", "generator", "history", "samples", "metrics", "plot")


def variant_pipeline(variant: str, warm_from: str | None = None) -> Pipeline:
    """Train on ``text_lattice.<variant>.text`` from a fresh G, or from dataset ``warm_from``."""
    steps = [
        Node(
            nodes.build_lattice,
            ["params:text", "params:text_lattice.lattice"],
            "lattice",
            name="build_lattice",
        ),
        Node(
            nodes.train_on_lattice,
            [
                "initial_generator",
                "lattice",
                "params:text_lattice.model",
                "params:text_lattice.trainer",
                "params:text_lattice.evaluation",
                "params:metric_prefix",
            ],
            ["generator", "history", "samples"],
            name="train_on_lattice",
        ),
        Node(
            nodes.evaluate_on_lattice,
            ["samples", "lattice", "params:metric_prefix"],
            "metrics",
            name="evaluate_on_lattice",
        ),
        Node(
            nodes.plot_on_lattice,
            ["samples", "lattice", "params:metric_prefix"],
            "plot",
            name="plot_on_lattice",
        ),
    ]
    if warm_from is None:
        init = Node(
            nodes.init_generator, "params:text_lattice.model", "initial_generator", name="init"
        )
        steps.insert(0, init)
    names = {name: f"text_lattice_{variant}_{name}" for name in OUTPUTS}
    return Pipeline(
        steps,
        namespace=f"text_lattice.{variant}",
        inputs=None if warm_from is None else {"initial_generator": warm_from},
        outputs={k: v for k, v in names.items() if warm_from is None or k != "initial_generator"},
        parameters=SHARED,
    )


def create_pipeline(**kwargs) -> Pipeline:
    """平成 from scratch; 令和 from the saved 平成 generator and from scratch, same budget."""
    return (
        variant_pipeline("heisei")
        + variant_pipeline("reiwa_warm", warm_from="text_lattice_heisei_generator")
        + variant_pipeline("reiwa_cold")
    )
