"""``data_preparation``: digit domains (one namespace each), Stacked MNIST, previews."""

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.data_preparation import nodes


def create_pipeline(**kwargs) -> Pipeline:
    """Both offline digit domains (block ``<domain>``: load, resize, split), Stacked MNIST
    built from MNIST, and the preview figures."""
    domains = [
        Pipeline(
            [
                Node(nodes.load_digits, f"params:{domain}", f"{domain}_raw", name="load"),
                Node(
                    nodes.resize_and_split,
                    [f"{domain}_raw", f"params:{domain}"],
                    [f"{domain}_train", f"{domain}_val"],
                    name="resize_and_split",
                ),
            ],
            namespace=domain,
            prefix_datasets_with_namespace=False,
        )
        for domain in ("mnist", "optdigits")
    ]
    return Pipeline(
        [
            *domains,
            Node(
                nodes.build_stacked_mnist,
                ["mnist_train", "params:stacked_mnist.data"],
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
        ],
        namespace="data_preparation",
        prefix_datasets_with_namespace=False,
    )
