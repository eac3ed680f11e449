"""``adda``: source classifier -> adapted target encoder -> evaluation on held-out target data.

Source and target are ``adda.source`` / ``adda.target`` (domain name, root, split, download,
sample count, seed), e.g. ``--params "adda.target.name=usps,adda.target.root=/data/USPS"``.
"""

from kedro.pipeline import Node, Pipeline

from shall_we_gans.pipelines.adda import nodes


def create_pipeline(**kwargs) -> Pipeline:
    """Prepare both domains, pretrain on the source, adapt (from the source encoder, and from
    scratch for contrast), evaluate, plot."""
    return Pipeline(
        [
            Node(
                nodes.prepare_source,
                ["params:adda.source", "params:adda.image_size"],
                ["adda_source_train", "adda_source_val"],
                name="prepare_source",
            ),
            Node(
                nodes.prepare_target,
                ["params:adda.target", "params:adda.image_size"],
                ["adda_target_adapt", "adda_target_eval"],
                name="prepare_target",
            ),
            Node(
                nodes.pretrain_source,
                ["adda_source_train", "adda_source_val", "params:adda.classifier"],
                ["adda_source_classifier", "adda_source_history"],
                name="pretrain_source",
            ),
            Node(
                nodes.adapt_target_encoder,
                [
                    "adda_source_classifier",
                    "adda_source_train",
                    "adda_target_adapt",
                    "params:adda.adaptation",
                ],
                ["adda_target_encoder", "adda_discriminator", "adda_adaptation_history"],
                name="adapt_target_encoder",
            ),
            Node(
                nodes.adapt_scratch_encoder,
                [
                    "adda_source_classifier",
                    "adda_source_train",
                    "adda_target_adapt",
                    "params:adda.adaptation",
                ],
                ["adda_scratch_encoder", "adda_scratch_history"],
                name="adapt_scratch_encoder",
            ),
            Node(
                nodes.evaluate_adaptation,
                [
                    "adda_source_classifier",
                    "adda_target_encoder",
                    "adda_scratch_encoder",
                    "adda_source_val",
                    "adda_target_eval",
                ],
                ["adda_metrics", "adda_confusion_matrices"],
                name="evaluate",
            ),
            Node(
                nodes.plot_features,
                [
                    "adda_source_classifier",
                    "adda_target_encoder",
                    "adda_source_val",
                    "adda_target_eval",
                    "params:adda.projection",
                ],
                ["adda_features_pca", "adda_features_tsne"],
                name="plot_features",
            ),
        ],
        namespace="adda",
        prefix_datasets_with_namespace=False,
    )
