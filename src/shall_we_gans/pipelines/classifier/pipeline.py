"""``classifier``: MNIST (prepared by ``data_preparation``'s ``mnist`` nodes) -> LeNet."""

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.classifier import nodes
from shall_we_gans.pipelines.data_preparation import create_pipeline as data_preparation


def create_pipeline(**kwargs) -> Pipeline:
    """Load and split MNIST (the slice of ``data_preparation`` that makes it), train LeNet
    (``mnist_classifier``) and the second classifier (``mnist_second_classifier``)."""
    return data_preparation().to_outputs("mnist_train", "mnist_val") + Pipeline(
        [
            Node(
                nodes.train_mnist_classifier,
                ["mnist_train", "mnist_val", "params:classifier"],
                ["mnist_classifier", "mnist_classifier_history", "mnist_classifier_metrics"],
                name="train_mnist_classifier",
            ),
            Node(
                nodes.train_second_classifier,
                ["mnist_train", "mnist_val", "mnist_classifier", "params:second_classifier"],
                [
                    "mnist_second_classifier",
                    "mnist_second_classifier_history",
                    "mnist_second_classifier_metrics",
                ],
                name="train_second_classifier",
            ),
        ],
        namespace="classifier",
        prefix_datasets_with_namespace=False,
    )
