"""``classifier``: MNIST (prepared by ``data_preparation``'s ``mnist`` namespace) -> LeNet."""

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.classifier import nodes
from shall_we_gans.pipelines.data_preparation import digits_pipeline


def create_pipeline(**kwargs) -> Pipeline:
    """Load and split MNIST, train LeNet, save ``mnist_classifier``."""
    return digits_pipeline("mnist") + Pipeline(
        [
            Node(
                nodes.train_mnist_classifier,
                ["mnist_train", "mnist_val", "params:classifier"],
                ["mnist_classifier", "mnist_classifier_history", "mnist_classifier_metrics"],
                name="train_mnist_classifier",
            )
        ]
    )
