"""``run_gan``: the one recipe that runs a GAN (seeding rule, sink handed in, schedule, EMA)."""

from __future__ import annotations

import torch

from shall_we_gans.gan import (
    GANRunSpec,
    MemorySink,
    TrainerConfig,
    build_prior,
    run_gan,
    seeded,
)
from shall_we_gans.gan.models import MLPDiscriminator, MLPGenerator


def spec(**changes) -> GANRunSpec:
    trainer = TrainerConfig(
        steps=6, batch_size=16, device="cpu", progress=False, log_every=2, metric_prefix="toy"
    )
    settings = dict(
        generator=lambda: MLPGenerator(4, 2, width=8, depth=1),
        discriminator=lambda: MLPDiscriminator(2, width=8, depth=1),
        prior=build_prior("gaussian", 4),
        data=torch.randn(64, 2, generator=torch.Generator().manual_seed(0)),
        trainer=trainer,
        seed=5,
    )
    return GANRunSpec(**settings | changes)


def test_g_is_drawn_with_the_seed_and_d_with_the_seed_plus_one():
    untrained = run_gan(spec(schedule=lambda gan: None)).gan
    g = seeded(lambda: MLPGenerator(4, 2, width=8, depth=1), 5)
    d = seeded(lambda: MLPDiscriminator(2, width=8, depth=1), 6)
    for mine, expected in ((untrained.generator, g), (untrained.discriminator, d)):
        assert all(torch.equal(v, expected.state_dict()[k]) for k, v in mine.state_dict().items())


def test_the_sink_handed_in_gets_every_logged_step_and_the_caller_rng_is_left_alone():
    torch.manual_seed(123)
    before = torch.get_rng_state()
    sink = MemorySink()
    run = run_gan(spec(), sink)
    assert torch.equal(torch.get_rng_state(), before)
    assert [step for step, _ in sink.history("toy.d_loss")] == [0, 2, 4]
    assert sink.latest()["toy.g_loss"] == run.gan.history[-1]["g_loss"]


def test_same_spec_same_samples_and_the_schedule_outcome_is_kept():
    first, second = run_gan(spec()), run_gan(spec())
    assert torch.equal(first.sample(32, seed=1), second.sample(32, seed=1))
    other = run_gan(spec(seed=6))
    assert not torch.equal(first.sample(32, seed=1), other.sample(32, seed=1))
    halves = run_gan(spec(schedule=lambda gan: [len(gan.train(3)), len(gan.train(3))]))
    assert halves.outcome == [2, 1] and halves.gan.step == 6  # logged rows per call


def test_the_trained_generator_is_the_ema_copy_on_the_cpu_in_eval_mode():
    run = run_gan(spec(trainer=TrainerConfig(steps=4, batch_size=16, device="cpu", ema_decay=0.9)))
    trained = run.generator()
    assert not trained.training and trained is not run.gan.ema
    ema = run.gan.ema.state_dict()
    assert all(torch.equal(v, ema[k]) for k, v in trained.state_dict().items())
    raw = run.generator(use_ema=False).state_dict()
    assert any(not torch.equal(v, raw[k]) for k, v in trained.state_dict().items())
