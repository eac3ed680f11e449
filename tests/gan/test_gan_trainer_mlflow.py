"""The trainer logs only to the sink it is given; the MLflow sink writes to its own run."""

import mlflow
import pytest
import torch

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.gan.models import MLPDiscriminator, MLPGenerator
from shall_we_gans.gan.priors import build_prior
from shall_we_gans.gan.trainer import GANTrainer


def make_trainer(steps: int, log_metrics=None) -> GANTrainer:
    torch.manual_seed(0)
    config = TrainerConfig(
        steps=steps, batch_size=8, device="cpu", progress=False, log_every=2, metric_prefix="ns"
    )
    return GANTrainer(
        MLPGenerator(latent_dim=3, width=8, depth=1),
        MLPDiscriminator(width=8, depth=1),
        build_prior("uniform", 3),
        torch.randn(32, 2),
        config,
        log_metrics=log_metrics,
    )


def test_default_sink_sends_nothing_even_inside_a_run():
    with mlflow.start_run() as run:
        trainer = make_trainer(3)
        trainer.train()
    assert len(trainer.history) == 2  # kept in the trainer
    assert mlflow.MlflowClient().get_run(run.info.run_id).data.metrics == {}


def test_mlflow_sink_logs_to_its_run_even_when_another_is_active():
    from shall_we_gans.tracking import MlflowMetricLogger

    target = (
        mlflow.MlflowClient()
        .create_run(mlflow.MlflowClient().create_experiment("sink"))
        .info.run_id
    )
    with mlflow.start_run() as other:
        make_trainer(5, MlflowMetricLogger(run_id=target)).train()
    history = mlflow.MlflowClient().get_metric_history(target, "ns.g_grad_norm")
    assert sorted(m.step for m in history) == [0, 2, 4]
    assert mlflow.MlflowClient().get_run(other.info.run_id).data.metrics == {}


def test_mlflow_sink_needs_a_run():
    from shall_we_gans.tracking import MlflowMetricLogger

    with pytest.raises(ValueError, match="run_id or an active MLflow run"):
        MlflowMetricLogger()


def test_mlflow_sink_flushes_after_flush_seconds():
    from shall_we_gans.tracking import MlflowMetricLogger

    with mlflow.start_run() as run:
        log = MlflowMetricLogger(flush_seconds=0.0)
        log({"a": 1.0}, 0)  # sent at once: nothing waits in the buffer
        history = mlflow.MlflowClient().get_metric_history(run.info.run_id, "a")
    assert [m.value for m in history] == [1.0]


def test_logger_batches_calls_and_flushes_at_the_end(monkeypatch):
    from shall_we_gans.tracking import MlflowMetricLogger

    calls = []
    original = mlflow.MlflowClient.log_batch
    monkeypatch.setattr(
        mlflow.MlflowClient,
        "log_batch",
        lambda self, run_id, metrics=(), **kw: (
            calls.append(len(metrics)) or original(self, run_id, metrics=metrics, **kw)
        ),
    )
    with mlflow.start_run() as run:
        log = MlflowMetricLogger(prefix="x.", batch=10, flush_seconds=1e9)
        for step in range(7):
            log({"a": step, "b": -step}, step)  # 2 values a step: a batch every 5 steps
        log.flush()
    assert calls == [10, 4]
    history = mlflow.MlflowClient().get_metric_history(run.info.run_id, "x.b")
    assert [m.value for m in sorted(history, key=lambda m: m.step)] == [-s for s in range(7)]


def test_logger_as_context_manager_flushes_when_the_loop_raises():
    from shall_we_gans.tracking import MlflowMetricLogger

    with mlflow.start_run() as run:
        try:
            with MlflowMetricLogger(prefix="y.") as log:
                for step in range(3):
                    log({"loss": float(step)}, step)
                raise RuntimeError("training stopped")
        except RuntimeError:
            pass
    history = mlflow.MlflowClient().get_metric_history(run.info.run_id, "y.loss")
    assert sorted(m.step for m in history) == [0, 1, 2]


def test_failed_flush_does_not_hide_the_training_error(monkeypatch):
    from shall_we_gans.tracking import MlflowMetricLogger

    def broken(self, *args, **kwargs):
        raise OSError("store unreachable")

    monkeypatch.setattr(mlflow.MlflowClient, "log_batch", broken)
    stopped = pytest.raises(RuntimeError, match="training stopped")
    with mlflow.start_run(), stopped, MlflowMetricLogger() as log:
        log({"loss": 1.0}, 0)
        raise RuntimeError("training stopped")
