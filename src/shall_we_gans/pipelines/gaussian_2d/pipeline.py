"""``gaussian_2d``: sample p_data, train one GAN, judge 10,000 samples, plot them."""

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.gan_nodes import sample_gaussian_data
from shall_we_gans.pipelines.gaussian_2d import nodes


def create_pipeline(**kwargs) -> Pipeline:
    """Data -> trained generator (+ history, samples) -> metrics and scatter."""
    return Pipeline(
        [
            Node(
                sample_gaussian_data,
                "params:gaussian_2d.data",
                "gaussian_2d_data",
                name="sample_data",
            ),
            Node(
                nodes.train_gaussian_gan,
                [
                    "gaussian_2d_data",
                    "params:gaussian_2d.model",
                    "params:gaussian_2d.trainer",
                    "params:gaussian_2d.evaluation",
                ],
                ["gaussian_2d_generator", "gaussian_2d_history", "gaussian_2d_samples"],
                name="train_gan",
            ),
            Node(
                nodes.evaluate_gaussian,
                ["gaussian_2d_samples", "params:gaussian_2d.data"],
                "gaussian_2d_metrics",
                name="evaluate",
            ),
            Node(
                nodes.plot_gaussian,
                ["gaussian_2d_samples", "params:gaussian_2d.data", "params:gaussian_2d.evaluation"],
                "gaussian_2d_scatter",
                name="plot",
            ),
        ],
        namespace="gaussian_2d",
        prefix_datasets_with_namespace=False,
    )
