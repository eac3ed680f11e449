"""``GANTrainer``: alternating GAN training with diagnostics, checkpoints and NaN guards.

Per logged iteration the history holds ``step, phase, d_loss, d_real, d_fake,
max_grad_d_over_d, samples_per_s`` and, in joint training, ``g_loss, g_grad_norm``; plus
``d_penalty`` (R1 / WGAN-GP) and ``g_extra`` (``extra_g_loss`` + orthogonal term) when active.
``d_real``/``d_fake`` are mean ``sigmoid(f)`` on the iteration's last discriminator batch;
``max_grad_d_over_d`` is max |∇ₓD(x)| / D(x) over its generated samples x = G(z), where D → 0
and the ratio can explode, and ``max_grad_d_over_d_real`` the same over its real samples (see
``gan.diagnostics``); ``g_grad_norm`` is the L2 norm of G's gradient of the whole generator
objective. Logging never
changes the trajectory: diagnostics reuse the training forward passes and draw no random numbers.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import Tensor, nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from tqdm.auto import tqdm

from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.gan.diagnostics import grad_d_over_d_from_gradients, grad_norm, input_gradients
from shall_we_gans.gan.losses import get_loss
from shall_we_gans.gan.priors import Prior
from shall_we_gans.gan.regularizers import (
    orthogonal_regularization,
    r1_from_gradients,
    wgan_gp_penalty,
)
from shall_we_gans.runtime import resolve_device

CHECKPOINT_NAME = "latest.pt"
# Settings a resumed run may change: where and how often it saves, whether it resumes, display.
RESUMABLE_CHANGES = frozenset(
    {"steps", "checkpoint_every", "checkpoint_dir", "resume", "resume_from", "progress"}
    | {"check_finite_every"}
)
logger = logging.getLogger(__name__)
DataSource = Tensor | np.ndarray | Callable[[int, torch.Generator], Tensor]
MetricLogger = Callable[[dict[str, float], int], None]
ExtraGLoss = Callable[[Tensor, Tensor, int], Tensor]


class TrainingDivergedError(RuntimeError):
    """A loss or a weight became NaN or infinite; ``step`` is the iteration where it was seen."""

    def __init__(self, step: int, what: str) -> None:
        self.step, self.what = step, what
        super().__init__(f"training diverged at step {step}: {what}")


class CheckpointMismatchError(ValueError):
    """A checkpoint made with other settings, other data or other network shapes."""

    def __init__(self, path: Path, differences: dict[str, str]) -> None:
        self.path, self.differences = path, differences
        listed = "; ".join(f"{key}: {what}" for key, what in differences.items())
        super().__init__(
            f"checkpoint {path} does not match this run ({listed}). Resume with the settings and "
            "data it was made with, name another checkpoint with resume_from, or set "
            "resume=false to train from scratch."
        )


def discard_metrics(metrics: dict[str, float], step: int) -> None:
    """The default metric sink: the history is kept in the trainer, nothing is sent anywhere."""


def checkpoint_run_name() -> str:
    """The folder of this run's checkpoints: the active MLflow run's id, else a timestamp, the
    process id and a random tag (two runs at once never get the same one)."""
    try:
        import mlflow

        run = mlflow.active_run()
    except Exception:  # no MLflow, or no usable tracking store: a local name does
        run = None
    if run is not None:
        return run.info.run_id
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"


class GANTrainer:
    """Holds models, optimisers, EMA, RNG and step of one GAN run.

    ``data`` is a tensor (or array) of real samples, drawn in shuffled epochs without
    replacement, or a sampler ``data(n, generator) -> Tensor`` that must draw only from the
    given generator (which lives on the trainer's device). ``extra_g_loss(z, x_fake, step)`` is
    added to the generator objective (e.g. BourGAN's distance term; ``step``: the iteration).
    ``log_metrics(metrics, step)`` receives prefixed metric names on logged iterations
    (e.g. ``tracking.MlflowMetricLogger``, or ``list.append``-style callables in notebooks); by
    default they are only kept in ``history``. Models are moved to the device; build them after
    seeding for reproducible weights.
    """

    def __init__(
        self,
        generator: nn.Module,
        discriminator: nn.Module,
        prior: Prior,
        data: DataSource,
        config: TrainerConfig,
        extra_g_loss: ExtraGLoss | None = None,
        log_metrics: MetricLogger | None = None,
    ) -> None:
        self.config = config
        self.device = resolve_device(config.device)
        self.generator = generator.to(self.device)
        self.discriminator = discriminator.to(self.device)
        self.prior = prior
        self.loss = get_loss(config.loss)
        self.extra_g_loss = extra_g_loss
        self.log_metrics = discard_metrics if log_metrics is None else log_metrics
        self.rng = torch.Generator(device=self.device).manual_seed(config.seed)
        self._g_params = [p for p in self.generator.parameters() if p.requires_grad]
        self._d_params = [p for p in self.discriminator.parameters() if p.requires_grad]
        if not self._g_params or not self._d_params:
            raise ValueError("generator and discriminator need trainable parameters")
        if config.g_optimizer == "sgd":
            self.opt_g = torch.optim.SGD(self._g_params, lr=config.lr_g)
        else:
            self.opt_g = _adam(self._g_params, config.lr_g, config.betas, self.device)
        self.opt_d = _adam(self._d_params, config.lr_d, config.betas, self.device)
        self.ema: nn.Module | None = None  # the averaged generator, ready to call
        self._averaged: AveragedModel | None = None
        if config.ema_decay is not None:
            self._averaged = AveragedModel(
                self.generator, multi_avg_fn=get_ema_multi_avg_fn(config.ema_decay)
            )
            self._averaged.n_averaged.fill_(1)  # the average starts at G's initial weights
            self.ema = self._averaged.module.requires_grad_(False).eval()
        self._data, self._sampler = _prepare_data(data, config.batch_size, self.device)
        self._perm: Tensor | None = None
        self._cursor = 0
        self.step = 0
        self.history: list[dict[str, Any]] = []
        self._pending: list[tuple[int, str, Tensor]] = []
        default_check = 1 if self.device.type == "cpu" else config.log_every
        self._check_every = config.check_finite_every or default_check
        self._window = (time.perf_counter(), 0)
        self._data_id: str | None = None
        self.checkpoint_path: Path | None = None
        if config.checkpoint_dir:
            name = checkpoint_run_name()
            self.checkpoint_path = Path(config.checkpoint_dir) / name / CHECKPOINT_NAME

    # ----------------------------------------------------------------- public API
    def fit(self) -> pd.DataFrame:
        """Train until ``config.steps`` iterations in all; return the whole history.

        With ``config.resume_from`` the trainer first loads that checkpoint; with
        ``config.resume``, the newest compatible one under ``checkpoint_dir`` (none there: from
        step 0). An interrupted run thus ends with the same weights as an uninterrupted one.
        New checkpoints go to this run's own folder (``checkpoint_path``).
        """
        if self.config.resume_from:
            self.load_checkpoint(self._named_checkpoint(self.config.resume_from))
        elif self.config.resume:
            found = self._newest_compatible_checkpoint()
            if found is None:
                logger.info(
                    "resume: no checkpoint under %s, training from step 0",
                    self.config.checkpoint_dir,
                )
            else:
                self.load_checkpoint(*found)
        self.train(max(self.config.steps - self.step, 0))
        return self.history_frame()

    def train(self, steps: int | None = None) -> pd.DataFrame:
        """Alternate ``d_steps`` D steps and one G step for ``steps`` (default ``config.steps``)
        iterations; return the rows logged during this call."""
        return self._run(self.config.steps if steps is None else steps, joint=True)

    def train_discriminator(self, steps: int) -> pd.DataFrame:
        """Train only D for ``steps`` iterations; return the logged rows.

        G is frozen and runs in eval mode (batch-norm statistics and spectral-norm vectors stay
        as they are), so its whole ``state_dict`` is unchanged.
        """
        return self._run(steps, joint=False)

    def history_frame(self) -> pd.DataFrame:
        """Every logged row so far, both phases."""
        return pd.DataFrame(self.history)

    @torch.no_grad()
    def sample(
        self,
        n: int,
        truncation: float | None = None,
        use_ema: bool = True,
        seed: int | None = None,
        batch_size: int = 1024,
    ) -> Tensor:
        """``n`` generated samples on the CPU, from the EMA generator when there is one.

        Runs in eval mode with its own generator seeded by ``seed`` (default ``config.seed``), so
        it never changes the training state. ``truncation`` samples ``z`` with the truncation
        trick (Gaussian priors only).
        """
        if not isinstance(n, int) or n < 0:
            raise ValueError(f"n must be a non-negative int, got {n!r}")
        model = self.ema if use_ema and self.ema is not None else self.generator
        rng = torch.Generator(device=self.device).manual_seed(
            self.config.seed if seed is None else seed
        )
        was_training = model.training
        model.eval()
        chunks = []
        try:
            for start in range(0, n, batch_size):
                m = min(batch_size, n - start)
                if truncation is None:
                    z = self.prior.sample(m, rng, self.device)
                else:
                    z = self.prior.sample_truncated(m, truncation, rng, self.device)
                chunks.append(model(z).cpu())
        finally:
            model.train(was_training)
        if not chunks:
            return torch.empty(0)
        return torch.cat(chunks)

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue bit-identically (on CPU)."""
        return {
            "step": self.step,
            "generator": self.generator.state_dict(),
            "discriminator": self.discriminator.state_dict(),
            "ema": None if self._averaged is None else self._averaged.state_dict(),
            "opt_g": self.opt_g.state_dict(),
            "opt_d": self.opt_d.state_dict(),
            "rng_state": self.rng.get_state(),
            "torch_rng_state": torch.get_rng_state(),
            "data_perm": None if self._perm is None else self._perm.cpu(),
            "data_cursor": self._cursor,
            "history": list(self.history),
            "config": asdict(self.config),
            "data_fingerprint": self.data_fingerprint(),
        }

    def data_fingerprint(self) -> str:
        """SHA-256 of the training tensor (shape, dtype, bytes); for a sampler, its name."""
        if self._data_id is None:
            if self._data is None:
                sampler = self._sampler
                name = getattr(sampler, "__qualname__", type(sampler).__qualname__)
                self._data_id = f"sampler:{getattr(sampler, '__module__', '')}.{name}"
            else:
                data = self._data.detach().cpu().contiguous()
                digest = hashlib.sha256(f"{tuple(data.shape)}{data.dtype}".encode())
                digest.update(data.reshape(-1).view(torch.uint8).numpy().tobytes())
                self._data_id = "sha256:" + digest.hexdigest()
        return self._data_id

    def checkpoint_differences(self, state: dict[str, Any]) -> dict[str, str]:
        """What keeps ``state`` (a ``state_dict()``) from resuming this run, by key: settings
        other than ``RESUMABLE_CHANGES``, a ``step`` beyond ``steps``, the data fingerprint, and
        the generator's and discriminator's parameter names and shapes."""
        differences: dict[str, str] = {}
        saved = state.get("config")
        ours = asdict(self.config)
        if not isinstance(saved, dict):
            differences["config"] = "the checkpoint records no settings"
            saved = ours
        for key in sorted(set(saved) | set(ours)):
            if key in RESUMABLE_CHANGES:
                continue
            old, new = saved.get(key, "<absent>"), ours.get(key, "<absent>")
            if isinstance(old, list | tuple) and isinstance(new, list | tuple):
                old, new = tuple(old), tuple(new)
            if old != new:
                differences[key] = f"checkpoint {old!r}, this run {new!r}"
        step = int(state.get("step", 0))
        if step > self.config.steps:
            differences["steps"] = (
                f"checkpoint at step {step}, this run stops at {self.config.steps}"
            )
        saved_data = state.get("data_fingerprint")
        if saved_data != self.data_fingerprint():
            differences["data"] = (
                f"checkpoint {saved_data or 'not recorded'}, this run {self.data_fingerprint()}"
            )
        for label, module in (("generator", self.generator), ("discriminator", self.discriminator)):
            differences.update(_shape_differences(label, state.get(label), module))
        return differences

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore a ``state_dict()`` (also restores the global torch CPU RNG). The optimisers
        take the checkpoint's settings, ``fused`` included, as ``torch.optim`` does."""
        self.generator.load_state_dict(state["generator"])
        self.discriminator.load_state_dict(state["discriminator"])
        if (state["ema"] is None) != (self.ema is None):
            raise ValueError("checkpoint and trainer disagree on ema_decay (EMA present or not)")
        if self._averaged is not None:
            self._averaged.load_state_dict(state["ema"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])
        self.rng.set_state(state["rng_state"].cpu())
        torch.set_rng_state(state["torch_rng_state"].cpu())
        perm = state["data_perm"]
        self._perm = None if perm is None else perm.to(self.rng.device)
        self._cursor = int(state["data_cursor"])
        self.step = int(state["step"])
        self.history = list(state["history"])
        self._pending.clear()

    def save_checkpoint(self, path: str | os.PathLike | None = None) -> Path:
        """Write the complete state atomically (default ``checkpoint_path``, this run's
        ``checkpoint_dir/<run>/latest.pt``), under a temporary name of its own, then renamed.

        Checks losses and weights first: a diverged state raises and never replaces a good file.
        """
        if path is None:
            if self.checkpoint_path is None:
                raise ValueError("save_checkpoint needs a path or config.checkpoint_dir")
            path = self.checkpoint_path
        path = Path(path)
        self._check_finite(weights=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            torch.save(self.state_dict(), tmp)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return path

    def load_checkpoint(self, path: str | os.PathLike, state: dict[str, Any] | None = None) -> None:
        """Load a file written by ``save_checkpoint`` (``torch.load(weights_only=True)``: a
        crafted file runs no code) after checking it was made with this run's settings, data
        and network shapes (``CheckpointMismatchError`` otherwise). ``state``: the file's
        content when already read."""
        path = Path(path)
        if state is None:
            state = _read_checkpoint(path, self.device)
        differences = self.checkpoint_differences(state)
        if differences:
            raise CheckpointMismatchError(path, differences)
        self.load_state_dict(state)
        logger.info(
            "resumed from %s at step %d (training to step %d)", path, self.step, self.config.steps
        )

    def _named_checkpoint(self, name: str) -> Path:
        """``resume_from`` as a file, a run folder or a run id under ``checkpoint_dir``."""
        candidates = [Path(name), Path(name) / CHECKPOINT_NAME]
        if self.config.checkpoint_dir:
            folder = Path(self.config.checkpoint_dir) / name
            candidates += [folder / CHECKPOINT_NAME, folder]
        for candidate in candidates:
            if candidate.is_file():
                return candidate
        tried = ", ".join(str(c) for c in candidates)
        raise FileNotFoundError(f"resume_from={name!r}: no checkpoint file at {tried}")

    def _newest_compatible_checkpoint(self) -> tuple[Path, dict[str, Any]] | None:
        """The newest checkpoint under ``checkpoint_dir`` (``*/latest.pt``, and ``latest.pt``
        of older versions) that this run can resume, with its content; ``None`` when there is
        none at all; ``CheckpointMismatchError`` for the newest when none is compatible."""
        folder = Path(self.config.checkpoint_dir)
        found = [*folder.glob(f"*/{CHECKPOINT_NAME}"), folder / CHECKPOINT_NAME]
        found = sorted((p for p in found if p.is_file()), key=_mtime, reverse=True)
        refused: list[tuple[Path, dict[str, str]]] = []
        for path in found:
            try:
                state = _read_checkpoint(path, self.device)
            except ValueError as exc:
                refused.append((path, {"file": str(exc)}))
                continue
            differences = self.checkpoint_differences(state)
            if not differences:
                for skipped, why in refused:
                    logger.warning(
                        "resume: skipped the newer %s (%s)", skipped, ", ".join(sorted(why))
                    )
                return path, state
            refused.append((path, differences))
        if not refused:
            return None
        path, differences = refused[0]
        if len(refused) > 1:
            differences = differences | {
                "others": f"{len(refused) - 1} older checkpoint(s) under {folder} differ too"
            }
        raise CheckpointMismatchError(path, differences)

    # ----------------------------------------------------------------- the loop
    def _run(self, steps: int, joint: bool) -> pd.DataFrame:
        if not isinstance(steps, int) or isinstance(steps, bool) or steps < 0:
            raise ValueError(f"steps must be a non-negative int, got {steps!r}")
        cfg = self.config
        first_row = len(self.history)
        desc = (cfg.metric_prefix or "gan") + (" D-only" if not joint else "")
        bar = tqdm(total=steps, disable=not cfg.progress, desc=desc, leave=False)
        self._window = (time.perf_counter(), 0)
        self.generator.train(joint)  # D-only: G in eval mode, so not even its buffers change
        self.discriminator.train()
        try:
            for _ in range(steps):
                log = self.step % cfg.log_every == 0
                stats = self._iteration(joint, log)
                self._window = (self._window[0], self._window[1] + 1)
                if log or (self.step + 1) % self._check_every == 0:
                    self._check_finite()
                if log:
                    self._record(stats, joint, bar)
                self.step += 1
                bar.update(1)
                if cfg.checkpoint_every and self.step % cfg.checkpoint_every == 0:
                    self.save_checkpoint()
            self._check_finite(weights=True)
            if cfg.checkpoint_every and steps and self.step % cfg.checkpoint_every:
                self.save_checkpoint()
        finally:
            bar.close()
            flush = getattr(self.log_metrics, "flush", None)
            if callable(flush):
                flush()
        return pd.DataFrame(self.history[first_row:])

    def _iteration(self, joint: bool, log: bool) -> dict[str, Tensor]:
        stats: dict[str, Tensor] = {}
        n_d = self.config.d_steps if joint else 1
        for i in range(n_d):
            stats = self._d_step(log and i == n_d - 1)
        if joint:
            stats.update(self._g_step(log))
        return stats

    def _real_batch(self, n: int) -> Tensor:
        if self._sampler is not None:
            return self._sampler(n, self.rng).to(self.device)
        if self._perm is None or self._cursor + n > len(self._data):
            self._perm = torch.randperm(len(self._data), generator=self.rng, device=self.rng.device)
            self._cursor = 0
        idx = self._perm[self._cursor : self._cursor + n]
        self._cursor += n
        return self._data[idx.to(self._data.device)]

    def _d_step(self, log: bool) -> dict[str, Tensor]:
        cfg, D = self.config, self.discriminator
        x_real = self._real_batch(cfg.batch_size)
        z = self.prior.sample(cfg.batch_size, self.rng, self.device)
        with torch.no_grad():
            x_fake = self.generator(z)
        if log or cfg.r1_gamma > 0:
            x_real = x_real.detach().requires_grad_(True)
        if log:  # input gradients for the diagnostic; the parameters' gradients are unchanged
            x_fake = x_fake.detach().requires_grad_(True)
        real_logits, fake_logits = D(x_real), D(x_fake)
        d_loss = self.loss.d_loss(real_logits, fake_logits)
        penalty = None
        grads = None
        if cfg.r1_gamma > 0:
            grads = input_gradients(real_logits, x_real, create_graph=True)
            penalty = r1_from_gradients(grads, cfg.r1_gamma)
        if self.loss.uses_gradient_penalty:
            gp = wgan_gp_penalty(D, x_real, x_fake, cfg.gp_lambda, self.rng)
            penalty = gp if penalty is None else penalty + gp
        stats: dict[str, Tensor] = {"d_loss": d_loss.detach()}
        if log:
            if grads is None:
                grads = input_gradients(real_logits, x_real)
            stats["d_real"] = torch.sigmoid(real_logits.detach()).mean()
            stats["d_fake"] = torch.sigmoid(fake_logits.detach()).mean()
            fake_grads = input_gradients(fake_logits, x_fake)
            stats["max_grad_d_over_d"] = grad_d_over_d_from_gradients(fake_logits, fake_grads).max()
            stats["max_grad_d_over_d_real"] = grad_d_over_d_from_gradients(real_logits, grads).max()
        total = d_loss
        self._pending.append((self.step, "d_loss", stats["d_loss"]))
        if penalty is not None:
            stats["d_penalty"] = penalty.detach()
            self._pending.append((self.step, "d_penalty", stats["d_penalty"]))
            total = d_loss + penalty
        self.opt_d.zero_grad(set_to_none=True)
        total.backward()
        self.opt_d.step()
        return stats

    def _g_step(self, log: bool) -> dict[str, Tensor]:
        cfg = self.config
        z = self.prior.sample(cfg.batch_size, self.rng, self.device)
        for p in self._d_params:
            p.requires_grad_(False)
        try:
            x_fake = self.generator(z)
            g_loss = self.loss.g_loss(self.discriminator(x_fake))
        finally:
            for p in self._d_params:
                p.requires_grad_(True)
        stats: dict[str, Tensor] = {"g_loss": g_loss.detach()}
        self._pending.append((self.step, "g_loss", stats["g_loss"]))
        extra = None if self.extra_g_loss is None else self.extra_g_loss(z, x_fake, self.step)
        if cfg.ortho_beta > 0:
            ortho = orthogonal_regularization(self.generator, cfg.ortho_beta)
            extra = ortho if extra is None else extra + ortho
        total = g_loss
        if extra is not None:
            stats["g_extra"] = extra.detach()
            self._pending.append((self.step, "g_extra", stats["g_extra"]))
            total = g_loss + extra
        self.opt_g.zero_grad(set_to_none=True)
        total.backward()
        if log:
            stats["g_grad_norm"] = grad_norm(self._g_params)
        self.opt_g.step()
        if self.ema is not None:
            self._update_ema()
        return stats

    @torch.no_grad()
    def _update_ema(self) -> None:
        self._averaged.update_parameters(self.generator)  # ema <- lerp(ema, G, 1 - decay)
        for e, b in zip(self.ema.buffers(), self.generator.buffers(), strict=True):
            e.copy_(b)

    def _record(self, stats: dict[str, Tensor], joint: bool, bar: tqdm) -> None:
        values = {k: float(v) for k, v in stats.items()}  # one host sync per logged step
        start, iterations = self._window
        now = time.perf_counter()
        per_iteration = self.config.batch_size * (self.config.d_steps if joint else 1)
        values["samples_per_s"] = per_iteration * iterations / max(now - start, 1e-9)
        self._window = (now, 0)
        self.history.append(
            {"step": self.step, "phase": "joint" if joint else "discriminator", **values}
        )
        prefix = self.config.metric_prefix.rstrip(".")
        named = {f"{prefix}.{k}" if prefix else k: v for k, v in values.items()}
        self.log_metrics(named, self.step)
        bar.set_postfix(
            {k: f"{v:.3g}" for k, v in values.items() if k.endswith("loss")}, refresh=False
        )

    def _check_finite(self, weights: bool = False) -> None:
        """Raise ``TrainingDivergedError`` at the first non-finite pending loss (or weight)."""
        if self._pending:
            values = torch.stack([v for _, _, v in self._pending])
            bad = ~torch.isfinite(values)
            if bool(bad.any()):
                i = int(bad.nonzero()[0, 0])
                step, name, _ = self._pending[i]
                raise TrainingDivergedError(step, f"{name} is {float(values[i])}")
            self._pending.clear()
        if weights:
            modules = {"generator": self.generator, "discriminator": self.discriminator}
            for label, module in modules.items():
                named = list(module.named_parameters())
                finite = torch.stack([torch.isfinite(p).all() for _, p in named])
                if not bool(finite.all()):
                    name = named[int((~finite).nonzero()[0, 0])][0]
                    raise TrainingDivergedError(
                        max(self.step - 1, 0), f"parameter {label}.{name} is not finite"
                    )


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return float("-inf")


def _read_checkpoint(path: Path, device: torch.device) -> dict[str, Any]:
    """A checkpoint's content, loaded with ``weights_only=True``; ``FileNotFoundError`` when
    missing, ``ValueError`` naming the file when it cannot be read."""
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint file not found: {path}")
    try:
        state = torch.load(path, map_location=device, weights_only=True)
    except Exception as exc:
        raise ValueError(
            f"checkpoint {path} cannot be read ({type(exc).__name__}: {exc}); it is truncated, "
            "corrupt or not a checkpoint of GANTrainer: delete it, or name another with "
            "resume_from"
        ) from exc
    if not isinstance(state, dict) or "generator" not in state or "step" not in state:
        raise ValueError(f"checkpoint {path} is not a checkpoint of GANTrainer")
    return state


def _shape_differences(label: str, saved: Any, module: nn.Module) -> dict[str, str]:
    """Parameter and buffer names and shapes of ``saved`` (a state dict) against ``module``."""
    if not isinstance(saved, dict):
        return {label: "the checkpoint holds no weights"}
    ours = module.state_dict()
    differences = {}
    for name in sorted(set(saved) | set(ours)):
        old = tuple(saved[name].shape) if name in saved else None
        new = tuple(ours[name].shape) if name in ours else None
        if old != new:
            shown = [("absent" if s is None else f"shape {s}") for s in (old, new)]
            differences[f"{label}.{name}"] = f"checkpoint {shown[0]}, this run {shown[1]}"
    return differences


def _adam(
    params: list[Tensor], lr: float, betas: tuple[float, float], device: torch.device
) -> torch.optim.Adam:
    """Adam, fused into one kernel per step on CPU and CUDA (on CPU the default per-tensor
    loop costs about 15 % of a small MLP GAN's step)."""
    fused = device.type in ("cpu", "cuda") and all(p.is_floating_point() for p in params)
    return torch.optim.Adam(params, lr=lr, betas=betas, fused=fused or None)


def _prepare_data(
    data: DataSource, batch_size: int, device: torch.device
) -> tuple[Tensor | None, Callable[[int, torch.Generator], Tensor] | None]:
    """Return ``(tensor on device, None)`` or ``(None, sampler)``."""
    if callable(data) and not isinstance(data, Tensor | np.ndarray):
        return None, data
    if not isinstance(data, Tensor | np.ndarray):
        raise ValueError(f"data must be a tensor, an array or a sampler, got {type(data).__name__}")
    tensor = torch.as_tensor(data)
    if not tensor.is_floating_point():
        tensor = tensor.float()
    if tensor.ndim < 2 or len(tensor) < batch_size:
        raise ValueError(
            f"data must have shape (N, ...) with N >= batch_size={batch_size}, "
            f"got {tuple(tensor.shape)}"
        )
    return tensor.to(device), None
