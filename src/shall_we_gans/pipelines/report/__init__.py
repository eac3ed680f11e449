"""``report``: every measured number beside its paper's, read from the studies' MLflow runs."""

from shall_we_gans.pipelines.report.pipeline import create_pipeline

__all__ = ["create_pipeline"]
