"""``resume: true`` after a killed run ends with exactly the weights of an uninterrupted run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

from shall_we_gans.gan import GANTrainer, TrainerConfig, build_prior
from shall_we_gans.gan.models import MLPDiscriminator, MLPGenerator
from shall_we_gans.runtime import seed_everything

SETTINGS = dict(
    steps=60,
    batch_size=32,
    seed=3,
    lr_g=1e-3,
    lr_d=1e-3,
    ema_decay=0.9,
    r1_gamma=0.5,
    d_steps=2,
    checkpoint_every=10,
    log_every=1,
    progress=False,
)


def make_trainer(checkpoint_dir: str, resume: bool = False, log=None) -> GANTrainer:
    seed_everything(3)
    generator = MLPGenerator(8, 2, width=16, depth=2)
    discriminator = MLPDiscriminator(2, width=16, depth=2)
    data = torch.randn(500, 2, generator=torch.Generator().manual_seed(0))
    config = TrainerConfig(**SETTINGS, checkpoint_dir=checkpoint_dir, resume=resume)
    return GANTrainer(
        generator,
        discriminator,
        build_prior("gaussian", 8),
        data,
        config,
        log_metrics=log or (lambda metrics, step: None),
    )


KILLED_RUN = """
import os, signal, sys
sys.path.insert(0, {tests!r})
from test_gan_trainer_resume import make_trainer

def kill_at_step_37(metrics, step):
    if step == 37:  # after the checkpoint of step 30, before the one of step 40
        os.kill(os.getpid(), signal.SIGKILL)

make_trainer({folder!r}, log=kill_at_step_37).fit()
"""


@pytest.mark.slow
def test_resume_after_kill_matches_the_uninterrupted_run(tmp_path):
    folder = tmp_path / "ckpt"
    script = KILLED_RUN.format(tests=str(Path(__file__).parent), folder=str(folder))
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], timeout=120)
    assert done.returncode == -9  # killed mid-way
    assert torch.load(folder / "latest.pt", weights_only=True)["step"] == 30

    resumed = make_trainer(str(folder), resume=True)
    resumed.fit()
    reference = make_trainer(str(tmp_path / "reference"))
    reference.fit()

    assert resumed.step == reference.step == 60
    for name, module in (("generator", "generator"), ("discriminator", "discriminator")):
        ours = getattr(resumed, module).state_dict()
        theirs = getattr(reference, module).state_dict()
        for key in theirs:
            assert torch.equal(ours[key], theirs[key]), f"{name}.{key}"
    for key, value in reference.ema.state_dict().items():
        assert torch.equal(resumed.ema.state_dict()[key], value), f"ema.{key}"


def test_resume_without_a_checkpoint_starts_from_scratch(tmp_path):
    fresh = make_trainer(str(tmp_path / "empty"), resume=True)
    fresh.fit()
    assert fresh.step == 60
