"""``stacked_mnist``: the counter's ceiling on real data, then per prior (``dcgan``: N(0, I);
``bourgan``: the Bourgain mixture of stacked training images) and D size (``d025``, ``d050``,
``d100``) one namespace ``stacked_mnist.<prior>.<d_size>`` reading its own block; judged by
``mnist_classifier`` (made by the ``classifier`` pipeline, which must have run once)."""

from kedro.pipeline import Node, Pipeline

from shall_we_gans.params.stacked_mnist import D_SIZES, PRIORS, SEED_SLOTS
from shall_we_gans.pipelines import prior_nodes
from shall_we_gans.pipelines.data_preparation import create_pipeline as data_preparation
from shall_we_gans.pipelines.seed_slots import seed_fan_out, slot_outputs
from shall_we_gans.pipelines.stacked_mnist import nodes


def create_pipeline(**kwargs) -> Pipeline:
    """Stacked MNIST (the slice of ``data_preparation`` that makes it), the real-data ceiling,
    the embedding, both latents, six variants (one training node per seed slot, then their
    gathering: ``pipelines.seed_slots``), the table and the coverage curves."""
    p = "params:stacked_mnist"
    shared = [f"{p}.model", f"{p}.trainer", f"{p}.evaluation", f"{p}.seeds"]
    variants = []
    for prior in PRIORS:
        for d_size in D_SIZES:
            own = f"{p}.{prior}.{d_size}"
            names = {
                k: f"stacked_mnist_{prior}_{d_size}_{k}" for k in ("samples", "metrics", "scores")
            }
            variants.append(
                Pipeline(
                    [
                        *seed_fan_out(
                            nodes.train_ladder_seed,
                            ["stacked_mnist", f"stacked_mnist_{prior}_latent", "mnist_classifier"]
                            + [*shared, own],
                            nodes.gather_ladder_seeds,
                            ["generator", names["samples"], "coverage"],
                            SEED_SLOTS,
                        ),
                        Node(
                            nodes.count_modes,
                            [names["samples"], "mnist_classifier", f"{p}.evaluation", own],
                            [names["metrics"], names["scores"]],
                            name="count_modes",
                        ),
                        Node(nodes.plot_samples, [names["samples"], own], "plot", name="plot"),
                    ],
                    namespace=f"{prior}.{d_size}",
                    inputs={"stacked_mnist", f"stacked_mnist_{prior}_latent", "mnist_classifier"},
                    outputs={
                        **{v: v for v in names.values()},
                        **{
                            k: f"stacked_mnist_{prior}_{d_size}_{k}"
                            for k in ("generator", "coverage", "plot")
                        },
                        **slot_outputs(f"stacked_mnist_{prior}_{d_size}", SEED_SLOTS),
                    },
                    parameters={*shared, own},
                )
            )
    ladder = [(prior, d) for prior in PRIORS for d in D_SIZES]
    study = Pipeline(
        [
            Node(
                nodes.count_real_modes,
                ["mnist_val", "mnist_classifier", f"{p}.real"],
                ["stacked_mnist_real_metrics", "stacked_mnist_real_scores"],
                name="count_real_modes",
            ),
            Node(
                nodes.embed_stacked_images,
                ["stacked_mnist", "mnist_classifier", f"{p}.bourgain"],
                "stacked_mnist_embedding",
                name="embed",
            ),
            Node(
                prior_nodes.gaussian_latent,
                f"{p}.gaussian",
                "stacked_mnist_dcgan_latent",
                name="dcgan_latent",
            ),
            Node(
                nodes.bourgan_latent,
                ["stacked_mnist_embedding", f"{p}.bourgain", f"{p}.trainer"],
                "stacked_mnist_bourgan_latent",
                name="bourgan_latent",
            ),
            *variants,
            Node(
                nodes.plot_table,
                [f"{p}.paper", "stacked_mnist_real_scores"]
                + [f"stacked_mnist_{prior}_{d}_scores" for prior, d in ladder],
                "stacked_mnist_table",
                name="plot_table",
            ),
            Node(
                nodes.plot_coverage,
                [f"stacked_mnist_{prior}_{d}_coverage" for prior, d in ladder],
                "stacked_mnist_coverage",
                name="plot_coverage",
            ),
        ],
        namespace="stacked_mnist",
        prefix_datasets_with_namespace=False,
    )
    return data_preparation().to_outputs("stacked_mnist", "mnist_val") + study
