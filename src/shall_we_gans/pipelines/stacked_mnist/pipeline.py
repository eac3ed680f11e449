"""``stacked_mnist``: the counter's ceiling on real data, then per prior (``dcgan``: N(0, I);
``bourgan``: the Bourgain mixture of stacked training images) and D size (``d025``, ``d050``,
``d100``) one namespace ``stacked_mnist.<prior>.<d_size>`` reading its own block; judged by
``mnist_classifier`` and checked by ``mnist_second_classifier`` (both made by the ``classifier``
pipeline, which must have run once)."""

from kedro.pipeline import Node, Pipeline

from shall_we_gans.params.stacked_mnist import D_SIZES, PRIORS, SEED_SLOTS
from shall_we_gans.pipelines.data_preparation import create_pipeline as data_preparation
from shall_we_gans.pipelines.prior_comparison import latent_node, variant_pipeline
from shall_we_gans.pipelines.stacked_mnist import nodes

P = "params:stacked_mnist"
LADDER = [(prior, d) for prior in PRIORS for d in D_SIZES]
# the two classifiers (``classifier`` pipeline) and the real images' features they judge with
JUDGES = ["mnist_classifier", "mnist_second_classifier", "stacked_mnist_reference_features"]


def create_pipeline(**kwargs) -> Pipeline:
    """Stacked MNIST (the slice of ``data_preparation`` that makes it), the real-data ceiling,
    the embedding, both latents, six variants, the table and the coverage curves."""

    def ladder_variant(prior: str, d_size: str) -> Pipeline:
        """One prior at one D size: its seeds, their modes counted, their samples drawn."""
        own = f"{P}.{prior}.{d_size}"
        shared = [f"{P}.model", f"{P}.trainer", f"{P}.evaluation", f"{P}.seeds"]
        return variant_pipeline(
            namespace=f"{prior}.{d_size}",
            prefix=f"stacked_mnist_{prior}_{d_size}",
            train=nodes.train_ladder_seed,
            train_inputs=["stacked_mnist", f"stacked_mnist_{prior}_latent", *JUDGES[:2]]
            + [*shared, own],
            gather=nodes.gather_ladder_seeds,
            gathered=["generator", "samples", "coverage"],
            slots=SEED_SLOTS,
            judge=[
                Node(
                    nodes.count_modes,
                    ["samples", *JUDGES, f"{P}.evaluation", own],
                    ["metrics", "scores"],
                    name="count_modes",
                ),
                Node(nodes.plot_samples, ["samples", own], "plot", name="plot"),
            ],
        )

    gaussian = latent_node(
        "dcgan", P, "", "", output="stacked_mnist_dcgan_latent", name="dcgan_latent"
    )
    bourgain = Node(
        nodes.bourgan_latent,
        ["stacked_mnist_embedding", f"{P}.bourgain", f"{P}.trainer"]
        + ["stacked_mnist", "mnist_classifier"],
        ["stacked_mnist_bourgan_latent", "stacked_mnist_bourgain_metrics"],
        name="bourgan_latent",
    )
    study = Pipeline(
        [
            Node(
                nodes.reference_features,
                ["stacked_mnist", "mnist_classifier", f"{P}.real"],
                "stacked_mnist_reference_features",
                name="reference_features",
            ),
            Node(
                nodes.count_real_modes,
                ["mnist_val", *JUDGES, f"{P}.real", f"{P}.evaluation"],
                ["stacked_mnist_real_metrics", "stacked_mnist_real_scores"],
                name="count_real_modes",
            ),
            Node(
                nodes.embed_stacked_images,
                ["stacked_mnist", "mnist_classifier", f"{P}.bourgain"],
                "stacked_mnist_embedding",
                name="embed",
            ),
            gaussian,
            bourgain,
            *[ladder_variant(prior, d_size) for prior, d_size in LADDER],
            Node(
                nodes.plot_table,
                [f"{P}.paper", "stacked_mnist_real_scores"]
                + [f"stacked_mnist_{prior}_{d}_scores" for prior, d in LADDER],
                "stacked_mnist_table",
                name="plot_table",
            ),
            Node(
                nodes.plot_coverage,
                [f"stacked_mnist_{prior}_{d}_coverage" for prior, d in LADDER],
                "stacked_mnist_coverage",
                name="plot_coverage",
            ),
        ],
        namespace="stacked_mnist",
        prefix_datasets_with_namespace=False,
    )
    return data_preparation().to_outputs("stacked_mnist", "mnist_val") + study
