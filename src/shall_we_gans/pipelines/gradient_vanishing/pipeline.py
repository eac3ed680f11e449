"""``gradient_vanishing``: pretrain D, then one namespace per generator loss, then compare.

Both variants load the same saved pretrained pair (``gradient_vanishing_pretrained_*``) and
train copies of it, so they start from identical weights, optimiser states and random draws.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.gaussian_2d.nodes import sample_gaussian_data
from shall_we_gans.pipelines.gradient_vanishing import nodes

VARIANTS = ("minimax", "non_saturating")
PRETRAINED = (
    "gradient_vanishing_pretrained_generator",
    "gradient_vanishing_pretrained_discriminator",
)
VARIANT_BLOCKS = [f"params:gradient_vanishing.{v}" for v in VARIANTS]
SHARED = {f"params:gradient_vanishing.{b}" for b in ("model", "trainer", "evaluation")}


def variant_pipeline(variant: str) -> Pipeline:
    """Train the pretrained pair with ``gradient_vanishing.<variant>.loss``."""
    train = Node(
        nodes.train_from_pretrained,
        [
            *PRETRAINED,
            "gradient_vanishing_data",
            "params:gradient_vanishing.model",
            "params:gradient_vanishing.trainer",
            "params:gradient_vanishing.evaluation",
            "params:loss",
            "params:metric_prefix",
        ],
        ["generator", "history", "samples"],
        name="train_from_pretrained",
    )
    return Pipeline(
        [train],
        namespace=f"gradient_vanishing.{variant}",
        inputs={*PRETRAINED, "gradient_vanishing_data"},
        outputs={
            k: f"gradient_vanishing_{variant}_{k}" for k in ("generator", "history", "samples")
        },
        parameters=SHARED,
    )


def create_pipeline(**kwargs) -> Pipeline:
    """Data -> D-only pretraining -> minimax and non-saturating G training -> metrics, figure."""
    compared = [
        f"gradient_vanishing_{variant}_{kind}"
        for kind in ("history", "samples")
        for variant in VARIANTS
    ]
    return (
        Pipeline(
            [
                Node(
                    sample_gaussian_data,
                    "params:gradient_vanishing.data",
                    "gradient_vanishing_data",
                    name="gradient_vanishing_sample_data",
                ),
                Node(
                    nodes.pretrain_discriminator,
                    [
                        "gradient_vanishing_data",
                        "params:gradient_vanishing.model",
                        "params:gradient_vanishing.trainer",
                        "params:gradient_vanishing.pretrain",
                    ],
                    [*PRETRAINED, "gradient_vanishing_pretrain_metrics"],
                    name="gradient_vanishing_pretrain_discriminator",
                ),
            ]
        )
        + sum((variant_pipeline(v) for v in VARIANTS), Pipeline([]))
        + Pipeline(
            [
                Node(
                    nodes.summarise_gradients,
                    [*compared, "params:gradient_vanishing.data", *VARIANT_BLOCKS],
                    "gradient_vanishing_metrics",
                    name="gradient_vanishing_summarise",
                ),
                Node(
                    nodes.plot_gradients,
                    [*compared, "gradient_vanishing_data", *VARIANT_BLOCKS],
                    "gradient_vanishing_figure",
                    name="gradient_vanishing_plot",
                ),
            ]
        )
    )
