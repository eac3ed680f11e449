"""The trainer's default logger writes to the active MLflow run and is silent without one."""

import mlflow
import pytest
import torch

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.gan.models import MLPDiscriminator, MLPGenerator
from shall_we_gans.gan.priors import build_prior
from shall_we_gans.gan.trainer import GANTrainer


def make_trainer(steps: int) -> GANTrainer:
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
    )


def test_default_logger_uses_the_active_run_only():
    make_trainer(2).train()  # no active run: nothing to log to, no error
    with mlflow.start_run() as run:
        make_trainer(5).train()
    history = mlflow.MlflowClient().get_metric_history(run.info.run_id, "ns.g_grad_norm")
    assert sorted(m.step for m in history) == [0, 2, 4]


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
    log = MlflowMetricLogger(prefix="x.", batch=10)
    with mlflow.start_run() as run:
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
