"""Project pipelines: every folder under ``pipelines/`` is one ``kedro run --pipelines NAME``."""

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

# The order `kedro run` (``__default__``) runs the studies in, each in its own MLflow run:
# `classifier` before the two studies it judges, `report` last (it reads the others' runs).
STUDY_ORDER = (
    "data_preparation",
    "gaussian_2d",
    "text_lattice",
    "gradient_vanishing",
    "missing_modes",
    "text_modes",
    "classifier",
    "mnist_stability",
    "stacked_mnist",
    "adda",
    "report",
)


def register_pipelines() -> dict[str, Pipeline]:
    """Register each discovered pipeline by its folder name; ``__default__`` holds them all
    (``StudySession`` runs it study by study, in ``STUDY_ORDER``)."""
    pipelines = find_pipelines(raise_errors=True)
    pipelines["__default__"] = sum(pipelines.values(), Pipeline([]))
    return pipelines
