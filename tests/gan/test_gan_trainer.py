"""GANTrainer: determinism, NaN stop, checkpoints and resume, D-only phase, metrics, sampling."""

import pytest
import torch

from shall_we_gans.gan import GANTrainer, TrainingDivergedError
from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.gan.models import (
    DCGANDiscriminator,
    DCGANGenerator,
    MLPDiscriminator,
    MLPGenerator,
)
from shall_we_gans.gan.priors import build_prior

LATENT = 4
CORE_KEYS = {
    "d_loss",
    "d_real",
    "d_fake",
    "max_grad_d_over_d",
    "max_grad_d_over_d_real",
    "max_grad_logit",
    "max_grad_logit_real",
    "samples_per_s",
}


def make_trainer(data=None, extra_g_loss=None, log_metrics=None, model_seed=0, **overrides):
    torch.manual_seed(model_seed)
    g = MLPGenerator(latent_dim=LATENT, out_dim=2, width=16, depth=2)
    d = MLPDiscriminator(in_dim=2, width=16, depth=2)
    if data is None:
        data = torch.randn(256, 2, generator=torch.Generator().manual_seed(1)) + 1.0
    settings = dict(steps=6, batch_size=32, device="cpu", progress=False) | overrides
    return GANTrainer(
        g,
        d,
        build_prior("gaussian", LATENT),
        data,
        TrainerConfig(**settings),
        extra_g_loss=extra_g_loss,
        log_metrics=log_metrics or (lambda metrics, step: None),
    )


def weights(module):
    return {k: v.clone() for k, v in module.state_dict().items()}


def same_weights(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_same_seed_gives_identical_history_and_weights():
    runs = [make_trainer(seed=3, d_steps=2) for _ in range(2)]
    frames = [t.train() for t in runs]
    losses = ["d_loss", "g_loss", "d_real", "d_fake", "g_grad_norm", "max_grad_d_over_d"]
    assert frames[0][losses].equals(frames[1][losses])
    assert list(frames[0]["step"]) == list(range(6))
    assert same_weights(weights(runs[0].generator), weights(runs[1].generator))
    other = make_trainer(seed=4, d_steps=2).train()
    assert not frames[0]["d_loss"].equals(other["d_loss"])


def test_logging_frequency_does_not_change_the_trajectory():
    every_step, every_third = make_trainer(log_every=1), make_trainer(log_every=3)
    every_step.train()
    rows = every_third.train()
    assert list(rows["step"]) == [0, 3]
    assert same_weights(weights(every_step.generator), weights(every_third.generator))
    assert same_weights(weights(every_step.discriminator), weights(every_third.discriminator))


def test_metrics_callback_gets_prefixed_keys_at_logged_steps():
    calls = []
    trainer = make_trainer(
        log_every=2,
        metric_prefix="minimax",
        loss="minimax",
        log_metrics=lambda m, s: calls.append((s, m)),
    )
    trainer.train(5)
    assert [s for s, _ in calls] == [0, 2, 4]
    expected = {f"minimax.{k}" for k in CORE_KEYS | {"g_loss", "g_grad_norm"}}
    assert all(set(m) == expected for _, m in calls)
    assert all(isinstance(v, float) for _, m in calls for v in m.values())
    first = calls[0][1]
    assert 0 < first["minimax.d_real"] < 1 and first["minimax.g_grad_norm"] > 0


def test_extras_are_reported_and_used():
    seen = []

    def extra(z, x_fake, step):
        seen.append((z.shape, x_fake.shape, step))
        return 0.1 * x_fake.pow(2).mean()

    trainer = make_trainer(extra_g_loss=extra, r1_gamma=1.0, ortho_beta=1e-3, ema_decay=0.9)
    rows = trainer.train(3)
    assert seen == [((32, LATENT), (32, 2), step) for step in range(3)]
    assert (rows["d_penalty"] >= 0).all() and (rows["g_extra"] > 0).all()
    ema_w = trainer.ema.net[0].weight
    assert not torch.equal(ema_w, trainer.generator.net[0].weight)


@pytest.mark.parametrize("loss", ["hinge", "wgan_gp", "lsgan"])
def test_other_losses_train_finitely(loss):
    rows = make_trainer(loss=loss).train(3)
    assert rows[["d_loss", "g_loss"]].notna().all().all()
    if loss == "wgan_gp":
        assert (rows["d_penalty"] > 0).all()


def test_discriminator_phase_leaves_generator_unchanged():
    trainer = make_trainer()
    g_before, d_before = weights(trainer.generator), weights(trainer.discriminator)
    rows = trainer.train_discriminator(4)
    assert same_weights(g_before, weights(trainer.generator))
    assert not same_weights(d_before, weights(trainer.discriminator))
    assert set(rows.columns) == {"step", "phase"} | CORE_KEYS
    assert set(rows["phase"]) == {"discriminator"}
    joint = trainer.train(2)
    assert list(joint["step"]) == [4, 5] and set(joint["phase"]) == {"joint"}


def test_nan_in_data_stops_with_the_step_and_keeps_the_last_good_checkpoint(tmp_path):
    calls = {"n": 0}

    def sampler(n, generator):
        calls["n"] += 1
        x = torch.randn(n, 2, generator=generator)
        return x if calls["n"] <= 5 else x * float("nan")

    trainer = make_trainer(data=sampler, checkpoint_every=2, checkpoint_dir=str(tmp_path))
    with pytest.raises(TrainingDivergedError, match="step 5: d_loss is nan") as info:
        trainer.train(10)
    assert info.value.step == 5
    assert trainer.checkpoint_path.parent.parent == tmp_path  # a folder of this run's own
    state = torch.load(trainer.checkpoint_path, weights_only=True)
    assert state["step"] == 4
    assert all(torch.isfinite(v).all() for v in state["generator"].values())


def test_exploding_learning_rate_raises():
    trainer = make_trainer(lr_d=1e6, lr_g=1e6)
    with pytest.raises(TrainingDivergedError, match=r"step \d+: [dg]_loss is (nan|-?inf)") as info:
        trainer.train(20)
    assert 0 < info.value.step < 20 and f"step {info.value.step}:" in str(info.value)
    assert all(r["step"] < info.value.step for r in trainer.history)


def test_checkpoint_resume_is_bit_identical(tmp_path):
    settings = dict(ema_decay=0.9, r1_gamma=0.5, d_steps=2)
    straight = make_trainer(**settings)
    straight.train(7)
    first = make_trainer(**settings, checkpoint_every=3, checkpoint_dir=str(tmp_path))
    first.train(3)
    resumed = make_trainer(**settings, model_seed=99)  # different init: everything must load
    resumed.load_checkpoint(first.checkpoint_path)
    assert resumed.step == 3 and len(resumed.history) == 3
    resumed.train(4)
    for attr in ("generator", "discriminator", "ema"):
        assert same_weights(weights(getattr(straight, attr)), weights(getattr(resumed, attr)))
    assert [r["d_loss"] for r in straight.history] == [r["d_loss"] for r in resumed.history]
    with pytest.raises(FileNotFoundError):
        resumed.load_checkpoint(tmp_path / "missing.pt")


def test_sample_is_deterministic_and_leaves_training_state_alone():
    trainer = make_trainer(ema_decay=0.5)
    trainer.train(2)
    rng_state = trainer.rng.get_state()
    a, b = trainer.sample(100), trainer.sample(100)
    assert a.shape == (100, 2) and torch.equal(a, b)
    assert not torch.equal(a, trainer.sample(100, seed=5))
    assert not torch.equal(a, trainer.sample(100, use_ema=False))
    assert torch.equal(rng_state, trainer.rng.get_state())
    assert trainer.sample(10, truncation=0.5).shape == (10, 2)
    assert trainer.sample(0).shape[0] == 0


def test_invalid_settings_raise_value_errors():
    with pytest.raises(ValueError, match="loss"):
        TrainerConfig(steps=1, batch_size=2, loss="wasserstein")
    with pytest.raises(ValueError, match="batch_size"):
        TrainerConfig(steps=1, batch_size=0)
    with pytest.raises(ValueError, match="checkpoint_dir"):
        TrainerConfig(steps=1, batch_size=2, checkpoint_every=5)
    with pytest.raises(ValueError, match="unknown trainer settings"):
        TrainerConfig.from_dict({"steps": 1, "batch_size": 2, "lr": 1.0})
    assert TrainerConfig.from_dict({"steps": 1, "batch_size": 2, "betas": [0.0, 0.9]}).betas == (
        0.0,
        0.9,
    )
    with pytest.raises(ValueError, match="batch_size=32"):
        make_trainer(data=torch.zeros(8, 2))


def test_dcgan_images_with_penalties_and_spectral_norm():
    torch.manual_seed(0)
    g = DCGANGenerator(latent_dim=8, channels=3, width=4)
    d = DCGANDiscriminator(
        channels=3, width=4, width_mult=0.5, batch_norm=False, spectral_norm=True
    )
    config = TrainerConfig(
        steps=2, batch_size=4, device="cpu", progress=False, loss="wgan_gp", r1_gamma=1.0
    )
    images = torch.rand(8, 3, 28, 28) * 2 - 1
    trainer = GANTrainer(
        g, d, build_prior("gaussian", 8), images, config, log_metrics=lambda m, s: None
    )
    rows = trainer.train()
    assert rows[["d_loss", "g_loss", "d_penalty", "max_grad_d_over_d"]].notna().all().all()
    assert trainer.sample(5, truncation=1.0).shape == (5, 3, 28, 28)


def test_config_loss_names_match_the_losses():
    from typing import get_args

    from shall_we_gans.gan.config import LossName
    from shall_we_gans.gan.losses import LOSSES

    assert set(get_args(LossName)) == set(LOSSES)


def test_config_errors_carry_the_key_path_inside_a_schema():
    from pydantic import BaseModel, ValidationError

    class Block(BaseModel):
        trainer: TrainerConfig

    with pytest.raises(ValidationError) as err:
        Block.model_validate({"trainer": {"steps": 1, "batch_size": 2, "lr_g": -1.0}})
    assert err.value.errors()[0]["loc"] == ("trainer", "lr_g")


def test_ema_is_the_exponential_average_and_adam_is_fused_on_cpu():
    trainer = make_trainer(ema_decay=0.75)
    assert all(o.param_groups[0]["fused"] for o in (trainer.opt_g, trainer.opt_d))
    before = weights(trainer.ema)
    trainer.train(1)
    after, live = weights(trainer.ema), weights(trainer.generator)
    for k in before:  # ema <- 0.75 * ema + 0.25 * weights, after the one generator step
        assert torch.allclose(after[k], 0.75 * before[k] + 0.25 * live[k], atol=1e-6)


def test_logit_gradient_of_a_linear_d_is_its_weight_norm_and_bounds_grad_d_over_d():
    # f(x) = 3 x1 + 4 x2 - 1: ‖∇ₓf‖ = 5 on every sample; |∇ₓD/D| = σ(−f)·5 < 5
    torch.manual_seed(0)
    d = torch.nn.Linear(2, 1)
    with torch.no_grad():
        d.weight.copy_(torch.tensor([[3.0, 4.0]]))
        d.bias.fill_(-1.0)
    g = MLPGenerator(latent_dim=LATENT, out_dim=2, width=8, depth=1)
    data = torch.randn(64, 2, generator=torch.Generator().manual_seed(1))
    config = TrainerConfig(steps=1, batch_size=16, device="cpu", progress=False)
    [row] = (
        GANTrainer(g, d, build_prior("gaussian", LATENT), data, config).train().to_dict("records")
    )
    assert row["max_grad_logit"] == pytest.approx(5.0, rel=1e-6)
    assert row["max_grad_logit_real"] == pytest.approx(5.0, rel=1e-6)
    assert 0.0 < row["max_grad_d_over_d"] < 5.0
