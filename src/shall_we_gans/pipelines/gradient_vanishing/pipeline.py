"""``gradient_vanishing``: pretrain D, then one namespace per generator loss, then compare.

Both variants load the same saved pretrained pair (``gradient_vanishing_pretrained_*``) and
train copies of it, so they start from identical weights, optimiser states and random draws.
Each variant reads its own block ``gradient_vanishing.<variant>`` (loss, metric prefix).
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.gan_nodes import sample_gaussian_data
from shall_we_gans.pipelines.gradient_vanishing import nodes


def create_pipeline(**kwargs) -> Pipeline:
    """Data -> D-only pretraining -> minimax and non-saturating G training -> metrics, figure."""
    p = "params:gradient_vanishing"
    variants = ("minimax", "non_saturating")
    pretrained = [f"gradient_vanishing_pretrained_{m}" for m in ("generator", "discriminator")]
    shared = [f"{p}.model", f"{p}.trainer", f"{p}.evaluation"]
    trained = [
        Pipeline(
            [
                Node(
                    nodes.train_from_pretrained,
                    [
                        *pretrained,
                        "gradient_vanishing_data",
                        *shared,
                        f"{p}.data",
                        f"{p}.{variant}",
                    ],
                    ["generator", "history", "samples"],
                    name="train_from_pretrained",
                )
            ],
            namespace=variant,
            inputs={*pretrained, "gradient_vanishing_data"},
            outputs={
                k: f"gradient_vanishing_{variant}_{k}" for k in ("generator", "history", "samples")
            },
            parameters={*shared, f"{p}.data", f"{p}.{variant}"},
        )
        for variant in variants
    ]
    compared = [
        f"gradient_vanishing_{v}_{kind}" for kind in ("history", "samples") for v in variants
    ]
    blocks = [f"{p}.{v}" for v in variants]
    return Pipeline(
        [
            Node(sample_gaussian_data, f"{p}.data", "gradient_vanishing_data", name="sample_data"),
            Node(
                nodes.pretrain_discriminator,
                ["gradient_vanishing_data", f"{p}.model", f"{p}.trainer", f"{p}.pretrain"],
                [*pretrained, "gradient_vanishing_pretrain_metrics"],
                name="pretrain_discriminator",
            ),
            *trained,
            Node(
                nodes.summarise_gradients,
                [f"gradient_vanishing_{v}_history" for v in variants] + blocks,
                "gradient_vanishing_metrics",
                name="summarise",
            ),
            Node(
                nodes.plot_gradients,
                [*compared, "gradient_vanishing_data", *blocks],
                "gradient_vanishing_figure",
                name="plot",
            ),
        ],
        namespace="gradient_vanishing",
        prefix_datasets_with_namespace=False,
    )
