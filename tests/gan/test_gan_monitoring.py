"""Crash detection: divergence and collapse after learning are reported with their step; a
healthy run and a run that never learned are not crashes."""

import numpy as np
import pytest
import torch

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.gan.models import (
    DCGANDiscriminator,
    DCGANGenerator,
    MLPDiscriminator,
    MLPGenerator,
)
from shall_we_gans.gan.monitoring import MonitoringSpec, StabilityRun, train_with_monitoring
from shall_we_gans.gan.priors import build_prior
from shall_we_gans.gan.trainer import GANTrainer

LATENT = 4


def make_trainer(steps=40, **overrides):
    torch.manual_seed(0)
    g = MLPGenerator(latent_dim=LATENT, out_dim=2, width=16, depth=2)
    d = MLPDiscriminator(in_dim=2, width=16, depth=2)
    data = torch.randn(256, 2, generator=torch.Generator().manual_seed(1)) + 1.0
    settings = dict(steps=steps, batch_size=32, device="cpu", progress=False) | overrides
    return GANTrainer(g, d, build_prior("gaussian", LATENT), data, TrainerConfig(**settings))


def monitor(trainer, judge, chunk_steps, log_metrics=None, **settings):
    """``train_with_monitoring`` with a ``MonitoringSpec`` of ``chunk_steps`` and ``settings``."""
    spec = MonitoringSpec(chunk_steps=chunk_steps, **settings)
    return train_with_monitoring(trainer, judge, spec, log_metrics=log_metrics)


def healthy_judge(samples):
    return {"digit_classes": 10, "fd": float(samples.square().mean())}


def test_healthy_run_trains_every_chunk_and_is_not_crashed():
    logged = []
    trainer = make_trainer(steps=40, metric_prefix="toy")
    run = monitor(
        trainer, healthy_judge, 10, n_samples=64, log_metrics=lambda m, s: logged.append((s, m))
    )
    assert isinstance(run, StabilityRun)
    assert (run.crashed, run.crash_step, run.reason) == (0, None, "")
    assert trainer.step == 40
    assert run.chunks["step"].tolist() == [10, 20, 30, 40]
    columns = ("max_grad_d_over_d", "max_grad_d_over_d_real", "max_grad_logit", "fd")
    for column in (*columns, "max_grad_logit_real", "d_real", "d_fake"):
        assert np.isfinite(run.chunks[column]).all(), column
    assert run.chunks["digit_classes"].tolist() == [10] * 4
    assert len(run.history) == 40
    # the chunk's peak is the max of its steps' values
    first = run.history[run.history.step < 10]["max_grad_d_over_d"].max()
    assert run.chunks["max_grad_d_over_d"].iloc[0] == pytest.approx(first)
    assert run.strips.shape == (4, 0)  # 2-D samples: no image strips
    assert [s for s, _ in logged] == [10, 20, 30, 40, 40]
    assert set(logged[0][1]) == {"toy.digit_classes", "toy.fd"}
    assert logged[-1][1] == {"toy.crashed": 0.0, "toy.never_learned": 0.0}  # no crash step


def test_the_same_samples_are_judged_after_every_chunk():
    seen = []
    trainer = make_trainer(steps=20)
    monitor(trainer, lambda x: seen.append(x.clone()) or {}, 10, n_samples=16)
    assert torch.equal(seen[-1], trainer.sample(16, seed=12345))
    assert not torch.equal(seen[0], seen[1])  # same z, a generator that moved


def test_a_diverging_run_is_crashed_at_its_step_and_keeps_what_came_before():
    trainer = make_trainer(steps=200, lr_d=1e38, lr_g=1e38, betas=(0.0, 0.0))
    run = monitor(trainer, healthy_judge, 5, n_samples=32)
    assert run.crashed == 1
    assert run.reason.startswith("diverged")
    assert run.crash_step is not None and run.crash_step < 200
    assert trainer.step < 200  # stopped there
    assert run.chunks["step"].iloc[-1] == trainer.step
    assert len(run.chunks) == len(run.strips) >= 1


class NanLoss:
    """Non-saturating D loss that turns NaN from a given call on."""

    def __init__(self, base, nan_from_call):
        self.base, self.calls, self.nan_from = base, 0, nan_from_call
        self.uses_gradient_penalty = False

    def d_loss(self, real, fake):
        self.calls += 1
        loss = self.base.d_loss(real, fake)
        return loss * float("nan") if self.calls > self.nan_from else loss

    def g_loss(self, fake):
        return self.base.g_loss(fake)


def test_a_nan_loss_is_crashed_at_the_step_where_it_appeared():
    trainer = make_trainer(steps=40)
    trainer.loss = NanLoss(trainer.loss, nan_from_call=13)  # calls 1..13 fine: step 13 is NaN
    run = monitor(trainer, healthy_judge, 5, n_samples=32)
    assert (run.crashed, run.crash_step) == (1, 13)
    assert run.chunks["step"].tolist()[:2] == [5, 10]  # the chunks measured before the crash
    assert np.isfinite(run.chunks["max_grad_d_over_d"].iloc[:2]).all()


def test_a_collapse_reported_by_the_judge_is_a_crash_at_the_end_of_that_chunk():
    calls = []

    def judge(samples):
        calls.append(1)
        return {"digit_classes": 10 if len(calls) == 1 else 1, "fd": 1.0}

    trainer = make_trainer(steps=50)
    run = monitor(trainer, judge, 10, n_samples=16)
    assert (run.crashed, run.crash_step) == (1, 20)
    assert "1 digit classes" in run.reason
    assert trainer.step == 20  # stops at a crash by default
    continued = monitor(
        make_trainer(steps=50), lambda x: {"digit_classes": 1}, 10, stop_on_crash=False
    )
    assert (continued.crashed, continued.crash_step, len(continued.chunks)) == (1, 10, 5)


def test_fd_threshold_counts_once_the_run_learned():
    judge = lambda samples: {"digit_classes": 10, "fd": 500.0}  # noqa: E731
    run = monitor(make_trainer(steps=30), judge, 10, max_fd=100.0, learned_classes=8)
    assert (run.crashed, run.crash_step) == (1, 20)  # chunk 1 shows it learned, chunk 2 judged
    assert "fd 500" in run.reason
    assert monitor(make_trainer(steps=30), judge, 10).crashed == 0  # no max_fd


def judge_from(classes):
    """A judge that reports ``classes[k]`` digit classes at its k-th call."""
    calls = iter(classes)
    return lambda samples: {"digit_classes": float(next(calls))}


@pytest.mark.parametrize(
    ("classes", "crashed", "crash_step", "never_learned"),
    [
        ([3, 9, 10, 2, 1], 1, 40, 0),  # learned at step 20, collapsed at 40
        ([1, 1, 2, 1, 1], 0, None, 1),  # never made digits: not a crash
        ([5, 7, 7, 2, 1], 0, None, 1),  # never reached 8 classes, whatever came after
        ([8, 9, 5, 3, 9], 0, None, 0),  # a dip to 3 is not a collapse to <= 2
        ([9, 2, 9, 9, 9], 1, 20, 0),  # a recovery keeps the first crash
    ],
)
def test_crash_and_never_learned_on_hand_made_class_histories(
    classes, crashed, crash_step, never_learned
):
    run = monitor(
        make_trainer(steps=50),
        judge_from(classes),
        10,
        n_samples=8,
        learned_classes=8,
        stop_on_crash=False,
    )
    assert (run.crashed, run.crash_step, run.never_learned) == (crashed, crash_step, never_learned)
    assert len(run.chunks) == 5  # scored at the same step as every other run


def test_a_diverged_run_is_a_crash_even_before_it_learned():
    trainer = make_trainer(steps=200, lr_d=1e38, lr_g=1e38, betas=(0.0, 0.0))
    run = monitor(trainer, judge_from([1] * 40), 5, learned_classes=8, stop_on_crash=False)
    assert (run.crashed, run.never_learned) == (1, 0)
    assert run.reason.startswith("diverged")


def test_image_samples_give_uint8_strips_per_chunk():
    torch.manual_seed(0)
    g = DCGANGenerator(latent_dim=8, width=4)
    d = DCGANDiscriminator(width=4, batch_norm=False)
    data = torch.rand(64, 1, 28, 28) * 2 - 1
    config = TrainerConfig(steps=4, batch_size=16, device="cpu", progress=False)
    trainer = GANTrainer(g, d, build_prior("gaussian", 8), data, config)
    run = monitor(trainer, lambda x: {}, 2, n_samples=8, strip_size=5)
    assert run.strips.shape == (2, 5, 1, 28, 28)
    assert run.strips.dtype == np.uint8


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"chunk_steps": 0}, "chunk_steps"),
        ({"min_classes": -1}, "min_classes"),
        ({"max_fd": 0.0}, "max_fd"),
        ({"learned_classes": 2}, "learned_classes"),
    ],
)
def test_bad_settings_raise(kwargs, name):
    settings = {"chunk_steps": 5} | kwargs
    with pytest.raises(ValueError, match=name):
        MonitoringSpec(**settings)
