"""``resume: true`` after a killed run ends with exactly the weights of an uninterrupted run;
a checkpoint made with other settings, data or shapes is refused by name; each run keeps its
checkpoints in a folder of its own."""

from __future__ import annotations

import logging
import pickle
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import torch

from shall_we_gans.gan import GANRunSpec, GANTrainer, TrainerConfig, build_prior
from shall_we_gans.gan.checkpoint import CheckpointMismatchError, named_checkpoint
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


def make_trainer(
    checkpoint_dir: str,
    resume: bool = False,
    log=None,
    data_seed: int = 0,
    g_width: int = 16,
    **changes,
) -> GANTrainer:
    seed_everything(3)
    generator = MLPGenerator(8, 2, width=g_width, depth=2)
    discriminator = MLPDiscriminator(2, width=16, depth=2)
    data = torch.randn(500, 2, generator=torch.Generator().manual_seed(data_seed))
    settings = SETTINGS | {"checkpoint_dir": checkpoint_dir, "resume": resume} | changes
    config = TrainerConfig(**settings)
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
    (checkpoint,) = folder.glob("*/latest.pt")  # the killed run's own folder
    assert torch.load(checkpoint, weights_only=True)["step"] == 30

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


def finished_run(folder, **changes) -> GANTrainer:
    trainer = make_trainer(str(folder), **changes)
    trainer.fit()
    assert trainer.checkpoint_path.is_file()
    return trainer


@pytest.mark.parametrize(
    ("changes", "keys"),
    [
        ({"lr_g": 2e-3}, ["lr_g"]),
        ({"data_seed": 1}, ["data"]),
        ({"lr_g": 2e-3, "data_seed": 1, "loss": "hinge"}, ["data", "loss", "lr_g"]),
        ({"steps": 50}, ["steps"]),  # the checkpoint is at step 60
    ],
    ids=["setting", "data", "several", "fewer-steps"],
)
def test_resume_with_other_settings_or_data_names_the_keys_and_the_file(tmp_path, changes, keys):
    first = finished_run(tmp_path)
    resumed = make_trainer(str(tmp_path), resume=True, **changes)
    with pytest.raises(CheckpointMismatchError) as error:
        resumed.fit()
    assert sorted(error.value.differences) == keys
    assert str(first.checkpoint_path) in str(error.value)
    assert all(f"{key}:" in str(error.value) for key in keys)
    assert resumed.step == 0  # nothing loaded


def test_a_shape_mismatch_names_the_parameters_not_a_raw_size_mismatch(tmp_path):
    first = finished_run(tmp_path)
    with pytest.raises(CheckpointMismatchError) as error:
        make_trainer(str(tmp_path), resume=True, g_width=32).fit()
    message = str(error.value)
    assert "size mismatch" not in message and str(first.checkpoint_path) in message
    assert "generator.net.0.weight" in error.value.differences
    assert "shape (16, 8)" in message and "shape (32, 8)" in message


def test_a_longer_run_resumes_and_says_from_which_step(tmp_path, caplog):
    first = finished_run(tmp_path)
    longer = make_trainer(str(tmp_path), resume=True, steps=70, checkpoint_every=5, progress=True)
    with caplog.at_level(logging.INFO, logger="shall_we_gans.gan"):
        longer.fit()
    assert longer.step == 70
    assert f"resumed from {first.checkpoint_path} at step 60" in caplog.text
    assert longer.checkpoint_path != first.checkpoint_path  # its own folder, the old one kept
    assert torch.load(first.checkpoint_path, weights_only=True)["step"] == 60


def test_resume_picks_the_newest_compatible_checkpoint_or_the_one_named(tmp_path, caplog):
    compatible = finished_run(tmp_path, steps=20)
    newer = finished_run(tmp_path, steps=30)  # newer and compatible too: the one resume picks
    other = finished_run(tmp_path, steps=40, lr_d=5e-3)  # newest, but other settings

    picked = make_trainer(str(tmp_path), resume=True)
    with caplog.at_level(logging.INFO, logger="shall_we_gans.gan"):
        picked.fit()
    assert f"resumed from {newer.checkpoint_path} at step 30" in caplog.text
    assert f"skipped the newer {other.checkpoint_path} (lr_d" in caplog.text
    assert picked.step == 60 and len(picked.history) == 60

    named = make_trainer(str(tmp_path), resume_from=compatible.checkpoint_path.parent.name)
    named.load_checkpoint(named_checkpoint(named.config.resume_from, named.config.checkpoint_dir))
    assert named.step == 20
    with pytest.raises(CheckpointMismatchError, match="lr_d"):
        make_trainer(str(tmp_path), resume_from=str(other.checkpoint_path)).fit()
    with pytest.raises(FileNotFoundError, match="no checkpoint file"):
        make_trainer(str(tmp_path), resume_from="no-such-run").fit()


class Payload:
    def __reduce__(self):
        return (Path.touch, (Path(__file__).parent / "never-created-by-a-checkpoint",))


def test_a_crafted_checkpoint_is_not_executed(tmp_path):
    marker = Path(__file__).parent / "never-created-by-a-checkpoint"
    crafted = tmp_path / "someone" / "latest.pt"
    crafted.parent.mkdir()
    crafted.write_bytes(pickle.dumps(Payload()))
    with pytest.raises(CheckpointMismatchError, match="cannot be read"):
        make_trainer(str(tmp_path), resume=True).fit()
    with pytest.raises(ValueError, match="cannot be read"):
        make_trainer(str(tmp_path), resume_from="someone").fit()
    assert not marker.exists()


def test_two_runs_at_once_never_share_a_checkpoint(tmp_path):
    errors: list[BaseException] = []
    trainers = [make_trainer(str(tmp_path), checkpoint_every=1, steps=40) for _ in range(2)]

    def run(trainer):
        try:
            trainer.fit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(t,)) for t in trainers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    paths = {t.checkpoint_path for t in trainers}
    assert len(paths) == 2 and all(p.parent.parent == tmp_path for p in paths)
    for path in paths:
        assert torch.load(path, weights_only=True)["step"] == 40
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["latest.pt"] * 2


def test_the_checkpoint_folder_is_the_run_name_handed_in(tmp_path):
    seed_everything(3)
    trainer = GANTrainer(
        MLPGenerator(8, 2, width=16, depth=2),
        MLPDiscriminator(2, width=16, depth=2),
        build_prior("gaussian", 8),
        torch.randn(500, 2, generator=torch.Generator().manual_seed(0)),
        TrainerConfig(**SETTINGS | {"checkpoint_dir": str(tmp_path), "steps": 10}),
        run_name="run-abc",
    )
    trainer.fit()
    assert trainer.checkpoint_path == tmp_path / "run-abc" / "latest.pt"
    assert trainer.checkpoint_path.is_file()


def test_a_node_checkpoints_in_the_folder_of_its_mlflow_run(tmp_path):
    import mlflow

    from shall_we_gans.pipelines.gan_nodes import train

    spec = GANRunSpec(
        generator=lambda: MLPGenerator(8, 2, width=16, depth=2),
        discriminator=lambda: MLPDiscriminator(2, width=16, depth=2),
        prior=build_prior("gaussian", 8),
        data=torch.randn(500, 2, generator=torch.Generator().manual_seed(0)),
        trainer=TrainerConfig(**SETTINGS | {"checkpoint_dir": str(tmp_path), "steps": 10}),
        seed=3,
    )
    with mlflow.start_run() as run:
        trained = train(spec).gan
    assert trained.checkpoint_path == tmp_path / run.info.run_id / "latest.pt"
    assert trained.checkpoint_path.is_file()
