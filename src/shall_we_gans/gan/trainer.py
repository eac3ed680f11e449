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

import os
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
DataSource = Tensor | np.ndarray | Callable[[int, torch.Generator], Tensor]
MetricLogger = Callable[[dict[str, float], int], None]
ExtraGLoss = Callable[[Tensor, Tensor, int], Tensor]


class TrainingDivergedError(RuntimeError):
    """A loss or a weight became NaN or infinite; ``step`` is the iteration where it was seen."""

    def __init__(self, step: int, what: str) -> None:
        self.step, self.what = step, what
        super().__init__(f"training diverged at step {step}: {what}")


def discard_metrics(metrics: dict[str, float], step: int) -> None:
    """The default metric sink: the history is kept in the trainer, nothing is sent anywhere."""


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

    # ----------------------------------------------------------------- public API
    def fit(self) -> pd.DataFrame:
        """Train until ``config.steps`` iterations in all; return the whole history.

        With ``config.resume`` the trainer first loads ``checkpoint_dir/latest.pt`` when it
        exists, so an interrupted run ends with the same weights as an uninterrupted one.
        """
        checkpoint = Path(self.config.checkpoint_dir or ".") / CHECKPOINT_NAME
        if self.config.resume and checkpoint.is_file():
            self.load_checkpoint(checkpoint)
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
        }

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
        """Write the complete state atomically (default ``checkpoint_dir/latest.pt``).

        Checks losses and weights first: a diverged state raises and never replaces a good file.
        """
        if path is None:
            if not self.config.checkpoint_dir:
                raise ValueError("save_checkpoint needs a path or config.checkpoint_dir")
            path = Path(self.config.checkpoint_dir) / CHECKPOINT_NAME
        path = Path(path)
        self._check_finite(weights=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        torch.save(self.state_dict(), tmp)
        os.replace(tmp, path)
        return path

    def load_checkpoint(self, path: str | os.PathLike) -> None:
        """Load a file written by ``save_checkpoint``."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"checkpoint file not found: {path}")
        self.load_state_dict(torch.load(path, map_location=self.device, weights_only=True))

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
