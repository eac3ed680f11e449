"""The template of "compare priors on a dataset", written once.

One variant (a prior on a dataset, and for Stacked MNIST a D size) is: its own setup nodes
(trainer settings, latent), one training node per seed slot and their gathering
(``pipelines.seed_slots``), then its judging and plotting nodes. ``variant_pipeline`` wraps
them in the variant's namespace, the way Kedro's spaceflights reuses one modelling pipeline
under two namespaces: every dataset the variant makes is named ``{prefix}_{local name}``
(so the catalog can hold it), everything it reads from outside keeps its name, and the
``params:`` it reads are the study's shared blocks (not namespaced). ``missing_modes``,
``text_modes`` and ``stacked_mnist`` build their variants with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines import prior_nodes
from shall_we_gans.pipelines.seed_slots import seed_fan_out


def latent_node(
    prior: str,
    block: str,
    embedding: str,
    trainer: str,
    output: str = "latent",
    name: str = "latent",
    bourgain: Callable = prior_nodes.bourgain_latent,
) -> Node:
    """The latent of a prior: ``gaussian`` is N(0, I) of ``{block}.gaussian``; any other is the
    Bourgain mixture of ``embedding`` (``{block}.bourgain``, the ``trainer``'s budget), made by
    ``bourgain`` (a study's own node when its block is typed otherwise)."""
    if prior in ("gaussian", "dcgan"):
        return Node(prior_nodes.gaussian_latent, f"{block}.gaussian", output, name=name)
    return Node(bourgain, [embedding, f"{block}.bourgain", trainer], output, name=name)


def variant_pipeline(
    *,
    namespace: str,
    prefix: str,
    train: Callable,
    train_inputs: list[str],
    gather: Callable,
    gathered: list[str],
    slots: int,
    judge: Sequence[Node],
    setup: Sequence[Node] = (),
) -> Pipeline:
    """``setup`` → ``train(*train_inputs, slot=i)`` for each of ``slots`` seed slots →
    ``gather`` into ``gathered`` → ``judge``, under ``namespace``; local datasets become
    ``{prefix}_{name}``."""
    base = Pipeline([*setup, *seed_fan_out(train, train_inputs, gather, gathered, slots), *judge])
    outside = base.inputs()
    return Pipeline(
        base,
        namespace=namespace,
        inputs={name for name in outside if not name.startswith("params:")},
        outputs={name: f"{prefix}_{name}" for name in base.all_outputs()},
        parameters={name for name in outside if name.startswith("params:")},
    )
