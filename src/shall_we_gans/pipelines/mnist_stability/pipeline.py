"""``mnist_stability``: the same DCGAN on MNIST as seven variants (``VARIANTS``: naive, then
what might stop its crash alone and together), each over ``mnist_stability.seeds`` in its own
namespace reading ``mnist_stability.<variant>``; judged by ``mnist_classifier`` (made by the
``classifier`` pipeline, which must have run once)."""

from kedro.pipeline import Node, Pipeline

from shall_we_gans.params.mnist_stability import VARIANTS
from shall_we_gans.pipelines.data_preparation import create_pipeline as data_preparation
from shall_we_gans.pipelines.mnist_stability import nodes


def create_pipeline(**kwargs) -> Pipeline:
    """MNIST (the slice of ``data_preparation`` that makes it), the classifier's features of
    the real digits, then per variant: monitored training and judging of every seed, and its
    crash rates; one figure pair."""
    p = "params:mnist_stability"
    shared = [f"{p}.seeds", f"{p}.model", f"{p}.trainer", f"{p}.monitoring", f"{p}.evaluation"]
    judged = ["mnist_classifier", "mnist_stability_reference"]
    variants = [
        Pipeline(
            [
                Node(
                    nodes.train_variant,
                    ["mnist_train", *judged, *shared, f"{p}.{variant}"],
                    ["generator", "run", "outcomes"],
                    name="train",
                ),
                Node(
                    nodes.variant_metrics,
                    ["outcomes", f"{p}.{variant}"],
                    "metrics",
                    name="rates",
                ),
            ],
            namespace=variant,
            inputs={"mnist_train", *judged},
            outputs={
                k: f"mnist_stability_{variant}_{k}"
                for k in ("generator", "run", "outcomes", "metrics")
            },
            parameters={*shared, f"{p}.{variant}"},
        )
        for variant in VARIANTS
    ]
    study = Pipeline(
        [
            Node(
                nodes.reference_features,
                ["mnist_train", "mnist_classifier"],
                "mnist_stability_reference",
                name="reference_features",
            ),
            Node(
                nodes.real_ceiling,
                ["mnist_val", "mnist_classifier", "mnist_stability_reference"],
                "mnist_stability_real_metrics",
                name="real_ceiling",
            ),
            *variants,
            Node(
                nodes.plot_stability,
                [f"mnist_stability_{v}_run" for v in VARIANTS],
                ["mnist_stability_grad_ratio", "mnist_stability_samples"],
                name="plot",
            ),
        ],
        namespace="mnist_stability",
        prefix_datasets_with_namespace=False,
    )
    return data_preparation().to_outputs("mnist_train", "mnist_val") + study
