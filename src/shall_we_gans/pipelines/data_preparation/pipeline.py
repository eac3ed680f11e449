"""``data_preparation``: digit domains (namespaced per domain), Stacked MNIST, previews."""

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.data_preparation import nodes


def digits_pipeline(domain: str) -> Pipeline:
    """Load, resize and split one digit domain; datasets ``{domain}_raw|train|val``."""
    return Pipeline(
        [
            Node(nodes.load_digits, "params:source", "raw", name="load_digits"),
            Node(
                nodes.resize_and_split,
                ["raw", "params:image_size", "params:val_fraction", "params:seed"],
                ["train", "val"],
                name="resize_and_split",
            ),
        ],
        namespace=domain,
        outputs={name: f"{domain}_{name}" for name in ("raw", "train", "val")},
    )


def create_pipeline(**kwargs) -> Pipeline:
    """Both offline digit domains, Stacked MNIST built from MNIST, and the preview figures."""
    return (
        digits_pipeline("mnist")
        + digits_pipeline("optdigits")
        + Pipeline(
            [
                Node(
                    nodes.build_stacked_mnist,
                    ["mnist_train", "params:stacked_mnist.n", "params:stacked_mnist.seed"],
                    "stacked_mnist",
                    name="build_stacked_mnist",
                ),
                Node(
                    nodes.preview_digits,
                    ["mnist_train", "optdigits_raw", "stacked_mnist"],
                    "digits_preview",
                    name="preview_digits",
                ),
                Node(
                    nodes.preview_toy_distributions,
                    "params:toy_preview",
                    "toy_distributions_preview",
                    name="preview_toy_distributions",
                ),
                Node(
                    nodes.summarise_digits,
                    ["mnist_train", "mnist_val", "optdigits_raw"],
                    "data_preparation_metrics",
                    name="summarise_digits",
                ),
            ]
        )
    )
