"""``run_gan``: the one recipe that runs a GAN (seeding rule, sink handed in, schedule, EMA)."""

from __future__ import annotations

import torch

from shall_we_gans.gan import (
    GANRun,
    GANRunSpec,
    MemorySink,
    TrainerConfig,
    build_prior,
    run_gan,
    seeded,
)
from shall_we_gans.gan.guards import GeneratorEMA
from shall_we_gans.gan.models import (
    DCGANDiscriminator,
    DCGANGenerator,
    MLPDiscriminator,
    MLPGenerator,
)


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


def test_recompute_bn_sets_the_plain_average_of_the_batches():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    ema = GeneratorEMA(net, decay=0.5)
    latents = [torch.randn(16, 3) for _ in range(3)]
    ema.recompute_bn(latents)
    bn = ema.module[1]
    with torch.no_grad():
        hidden = [ema.module[0](z) for z in latents]
    means = torch.stack([h.mean(0) for h in hidden])
    variances = torch.stack([h.var(0, unbiased=True) for h in hidden])
    assert torch.allclose(bn.running_mean, means.mean(0), atol=1e-6)
    assert torch.allclose(bn.running_var, variances.mean(0), atol=1e-6)
    assert not ema.module.training and bn.momentum == 0.1


def test_the_ema_generator_measures_its_own_batch_norm_statistics():
    images = torch.rand(64, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1

    def trained(bn_batches: int) -> GANRun:
        trainer = TrainerConfig(
            steps=5, batch_size=16, device="cpu", progress=False, ema_decay=0.5,
            ema_bn_batches=bn_batches, lr_g=1e-2,
        )  # fmt: skip
        return run_gan(
            spec(
                generator=lambda: DCGANGenerator(8, width=4),
                discriminator=lambda: DCGANDiscriminator(width=4),
                prior=build_prior("gaussian", 8),
                data=images,
                trainer=trainer,
            )
        )

    copied, own = trained(0), trained(2)
    g_stats = copied.gan.generator.fc[1].running_mean
    assert torch.equal(copied.generator().fc[1].running_mean, g_stats)  # G's, copied
    first = own.generator().fc[1].running_mean
    assert not torch.allclose(first, own.gan.generator.fc[1].running_mean)  # its own
    assert torch.equal(own.generator().fc[1].running_mean, first)  # seeded: the same again
    assert torch.equal(own.sample(8, seed=1), own.sample(8, seed=1))


def test_bf16_runs_the_networks_in_bfloat16_and_keeps_losses_float32():
    seen = []

    def build_g():
        g = DCGANGenerator(8, width=4)
        g.deconv.register_forward_hook(lambda m, i, out: seen.append(out.dtype))
        return g

    images = torch.rand(64, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    trainer = TrainerConfig(steps=3, batch_size=16, device="cpu", progress=False, precision="bf16")
    run = run_gan(
        spec(
            generator=build_g,
            discriminator=lambda: DCGANDiscriminator(width=4),
            prior=build_prior("gaussian", 8),
            data=images,
            trainer=trainer,
        )
    )
    assert torch.bfloat16 in seen
    history = run.gan.history_frame()
    assert history[["d_loss", "g_loss", "max_grad_d_over_d"]].notna().all().all()
    assert run.sample(4, seed=0).dtype == torch.float32  # sampling stays float32
