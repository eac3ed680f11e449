"""ParallelRunner: the same metrics as SequentialRunner, all in the pipeline's one MLflow run."""

from __future__ import annotations

import pickle

import pytest
from kedro.runner import ParallelRunner
from kedro_mlflow.io.artifacts import MlflowArtifactDataset

from shall_we_gans.runner.workers import make_picklable, threads_per_worker
from shall_we_gans.tracking import retry_locked
from tests.runners import model_metrics, run_with


@pytest.mark.slow
def test_parallel_runner_logs_the_sequential_metrics_into_the_pipelines_run(
    sequential, tmp_path_factory
):
    _, seq_run, seq_client = sequential
    root = tmp_path_factory.mktemp("par") / "project"
    project, run, client = run_with(root, "text_modes", ParallelRunner(max_workers=2))
    assert model_metrics(run) == model_metrics(seq_run)
    # training histories logged inside the workers: every step, in the one run
    for key in ("gaussian.seed1.d_loss", "bourgain.seed0.g_loss"):
        steps = [m.step for m in client.get_metric_history(run.info.run_id, key)]
        assert steps == [m.step for m in seq_client.get_metric_history(seq_run.info.run_id, key)]
    assert run.data.params == seq_run.data.params
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"text_modes_gaussian.png", "text_modes_bourgain.png"} <= artifacts
    assert (project / "data/08_reporting/text_modes_bourgain.png").exists()


def test_workers_times_threads_fit_the_cores():
    assert threads_per_worker(2, cores=2) == 1
    assert threads_per_worker(2, cores=8) == 4
    assert threads_per_worker(16, cores=8) == 1


def test_artifact_datasets_pickle_after_make_picklable(tmp_path):
    from kedro.io import DataCatalog

    figure = {"type": "matplotlib.MatplotlibDataset", "filepath": str(tmp_path / "f.png")}
    catalog = DataCatalog({"plot": MlflowArtifactDataset(dataset=figure)})
    make_picklable(catalog)
    copy = pickle.loads(pickle.dumps(catalog["plot"]))
    assert copy._filepath == catalog["plot"]._filepath and copy.run_id is None


def test_a_locked_store_is_retried():
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("(sqlite3.OperationalError) database is locked")
        return "logged"

    assert retry_locked(flaky, delay=0.001) == "logged" and len(calls) == 3
    with pytest.raises(ValueError):
        retry_locked(lambda: (_ for _ in ()).throw(ValueError("other")), delay=0.001)


def test_threads_per_workload_and_their_overrides(monkeypatch):
    from shall_we_gans import cpu

    monkeypatch.delenv(cpu.THREADS_ENV, raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    assert cpu.threads_for("training") == 1  # small networks: one thread is fastest
    assert cpu.threads_for("embedding") == cpu.threads_for("image_training") == cpu.usable_cores()
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert cpu.threads_for("embedding") == 1
    monkeypatch.setenv(cpu.THREADS_ENV, "3")  # the runner's budget wins
    assert cpu.threads_for("training") == 3


def test_each_node_gets_its_studys_workload():
    from kedro.pipeline import node

    from shall_we_gans.runner.workers import workload

    def one(x):
        return x

    def named(name):
        return node(one, "a", "b", name=name)

    assert workload(named("missing_modes.grid.gaussian.trainer")) == "training"
    assert workload(named("stacked_mnist.bourgan.d025.train_seed0")) == "image_training"
    assert workload(named("adda.pretrain_source")) == "image_training"
    assert workload(named("missing_modes.grid.embed")) == "embedding"
