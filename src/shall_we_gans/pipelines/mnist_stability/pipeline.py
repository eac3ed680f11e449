"""``mnist_stability``: the same DCGAN on MNIST as four variants (``naive``, ``sn_d``,
``sn_dg``, ``hinge_sn``), each its own namespace reading ``mnist_stability.<variant>``; judged
by ``mnist_classifier`` (made by the ``classifier`` pipeline, which must have run once)."""

from kedro.pipeline import Node, Pipeline

from shall_we_gans.params.mnist_stability import VARIANTS
from shall_we_gans.pipelines.data_preparation import create_pipeline as data_preparation
from shall_we_gans.pipelines.mnist_stability import nodes


def create_pipeline(**kwargs) -> Pipeline:
    """MNIST (the slice of ``data_preparation`` that makes it), the classifier's features of
    the real digits, then per variant: monitored training and judging; one figure pair."""
    p = "params:mnist_stability"
    shared = [f"{p}.model", f"{p}.trainer", f"{p}.monitoring"]
    judged = ["mnist_classifier", "mnist_stability_reference"]
    variants = [
        Pipeline(
            [
                Node(
                    nodes.train_variant,
                    ["mnist_train", *judged, *shared, f"{p}.{variant}"],
                    ["generator", "run"],
                    name="train",
                ),
                Node(
                    nodes.evaluate_variant,
                    [
                        "generator",
                        "run",
                        *judged,
                        f"{p}.model",
                        f"{p}.evaluation",
                        f"{p}.{variant}",
                    ],
                    "metrics",
                    name="evaluate",
                ),
            ],
            namespace=variant,
            inputs={"mnist_train", *judged},
            outputs={k: f"mnist_stability_{variant}_{k}" for k in ("generator", "run", "metrics")},
            parameters={*shared, f"{p}.evaluation", f"{p}.{variant}"},
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
