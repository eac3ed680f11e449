"""``missing_modes``: for the 5×5 grid and the 8-ring, a single-Gaussian p_z against the
Bourgain mixture, same networks and budget, over several seeds (namespaces ``grid.gaussian``,
``grid.bourgain``, ``ring.gaussian``, ``ring.bourgain``)."""

from __future__ import annotations

from functools import partial

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.missing_modes import nodes

P = "params:missing_modes"


def named(func, name: str, **fixed):
    """``func`` with ``fixed`` keyword arguments bound, under a readable node function name."""
    bound = partial(func, **fixed)
    bound.__name__ = name
    return bound


def train_node(params: str, prior: str, prefix: str, trainer: str | None = None) -> Node:
    """The ``train`` node of one prior, reading the ``params`` block (``params:<pipeline>``);
    the Bourgain prior also takes the free input ``embedding``. ``trainer``: the dataset
    holding the trainer settings (default: ``<params>.trainer``)."""
    trainer = trainer or f"{params}.trainer"
    shared = [f"{params}.model", trainer, f"{params}.evaluation", f"{params}.seeds"]
    if prior == "gaussian":
        func, own = nodes.train_gaussian_prior, ["points", f"{params}.gaussian"]
    else:
        func, own = nodes.train_bourgain_prior, ["points", "embedding", f"{params}.bourgain"]
    return Node(
        named(func, func.__name__, prefix=prefix),
        [*own, *shared],
        ["generator", "samples"],
        name="train",
    )


def namespaced(steps: list[Node], namespace: str, inputs: dict, outputs: dict) -> Pipeline:
    """``steps`` under ``namespace``, free datasets mapped by ``inputs``/``outputs`` and
    parameters left shared."""
    return Pipeline(
        steps,
        namespace=namespace,
        inputs=inputs,
        outputs=outputs,
        parameters={i for step in steps for i in step.inputs if i.startswith("params:")},
    )


def variant_pipeline(dataset: str, prior: str) -> Pipeline:
    """Train, judge and plot one prior on one dataset (namespace ``{dataset}.{prior}``)."""
    prefix = f"{dataset}.{prior}"
    steps = [
        train_node(P, prior, prefix, trainer="trainer"),
        Node(
            named(nodes.evaluate_modes, "evaluate_modes", prefix=prefix),
            ["samples", "data", f"{P}.evaluation"],
            "metrics",
            name="evaluate",
        ),
        Node(
            named(nodes.plot_modes, "plot_modes", prefix=prefix),
            ["samples", "data"],
            "plot",
            name="plot",
        ),
    ]
    outputs = {
        k: f"missing_modes_{dataset}_{prior}_{k}"
        for k in ("generator", "samples", "metrics", "plot")
    }
    inputs = {k: f"missing_modes_{dataset}_{k}" for k in ("data", "points", "trainer")}
    if prior == "bourgain":
        inputs["embedding"] = f"missing_modes_{dataset}_embedding"
    return namespaced(steps, prefix, inputs, outputs)


def dataset_pipeline(dataset: str) -> Pipeline:
    """p_data samples, the Bourgain embedding of some of them and the dataset's trainer
    settings, then both priors."""
    data = Pipeline(
        [
            Node(
                named(nodes.dataset_trainer, "dataset_trainer", dataset=dataset),
                [f"{P}.trainer", f"{P}.trainer_overrides"],
                f"missing_modes_{dataset}_trainer",
                name=f"missing_modes_{dataset}_trainer",
            ),
            Node(
                nodes.sample_modes_data,
                f"{P}.data.{dataset}",
                [f"missing_modes_{dataset}_points", f"missing_modes_{dataset}_data"],
                name=f"missing_modes_{dataset}_sample_data",
            ),
            Node(
                nodes.embed_data_points,
                [f"missing_modes_{dataset}_points", f"{P}.bourgain"],
                f"missing_modes_{dataset}_embedding",
                name=f"missing_modes_{dataset}_embed",
            ),
        ]
    )
    return data + variant_pipeline(dataset, "gaussian") + variant_pipeline(dataset, "bourgain")


def create_pipeline(**kwargs) -> Pipeline:
    """Grid and ring, each with both priors."""
    return dataset_pipeline("grid") + dataset_pipeline("ring")
