"""Parameter block of ``report``: what each study's table shows and the papers' numbers."""

from __future__ import annotations

from pydantic import Field, model_validator

from shall_we_gans.params.common import Block


class ReportRow(Block):
    """One line of a study's table. ``metric``: the MLflow key (its per-seed values, when the
    study logs them, are ``<head>.seedN.<last>``). ``paper``/``source``: the published or
    anchor number and where it is from. ``ideal``: the best possible value, or ``ideal_metric``:
    the run's metric holding it (a ceiling measured on real data). ``gate``: the run's metric
    that says whether ``metric`` means anything (e.g. Stacked MNIST's ``channel_agreement``:
    modes counted on samples that are not digits count the classifier's noise); below
    ``gate_min`` the row is marked ``gate_label`` and not compared with the paper; so it is when
    ``far`` (e.g. the cell's Fréchet distance) exceeds ``far_factor`` × ``far_ref`` (the real
    data's own), which catches what ``gate`` alone lets through (a collapsed generator's blank
    images that two classifiers read alike)."""

    metric: str = Field(min_length=1)
    what: str
    paper: float | None = None
    source: str | None = None
    ideal: float | None = None
    ideal_metric: str | None = None
    headline: bool = False  # also shown in the README's results table
    gate: str | None = None
    gate_min: float | None = None
    gate_label: str = "below its quality gate"
    far: str | None = None
    far_ref: str | None = None
    far_factor: float = Field(default=10.0, gt=0.0)

    @model_validator(mode="after")
    def _check(self) -> ReportRow:
        if self.paper is not None and not self.source:
            raise ValueError(f"{self.metric}: a paper number needs its source")
        if self.ideal is not None and self.ideal_metric is not None:
            raise ValueError(f"{self.metric}: give ideal or ideal_metric, not both")
        if (self.gate is None) != (self.gate_min is None):
            raise ValueError(f"{self.metric}: gate and gate_min go together")
        return self


class StudyReport(Block):
    """A study's section: its title, a note, the run parameters worth showing, its rows and
    the figures (artifact names of its run) to copy beside the report."""

    title: str
    note: str = ""
    params: list[str] = []
    rows: list[ReportRow] = Field(min_length=1)
    figures: list[str] = []


class ReportBlock(Block):
    """``experiment_prefix``: ``mlflow.yml``'s experiment name; study ``S`` is read from the
    newest FINISHED run named ``S`` in experiment ``<prefix>.S`` that ran at the own parameters
    of one of ``profiles`` (no ``--params``, no ``conf/local`` keys); ``allow_overrides``: the
    newest, whatever its parameters."""

    experiment_prefix: str = Field(min_length=1)
    profiles: list[str] = Field(default=["base", "cpu"], min_length=1)
    allow_overrides: bool = False
    studies: dict[str, StudyReport] = Field(min_length=1)


SCHEMAS = {"report": ReportBlock}
