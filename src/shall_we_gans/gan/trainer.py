"""``GANTrainer``: alternating GAN training with diagnostics, checkpoints and NaN guards.

Per logged iteration the history holds ``step, phase, d_loss, d_real, d_fake,
max_grad_d_over_d, max_grad_d_over_d_real, max_grad_logit, max_grad_logit_real,
samples_per_s`` and, in joint training, ``g_loss, g_grad_norm``; plus ``d_penalty`` (R1 /
WGAN-GP) and ``g_extra`` (``extra_g_loss`` + orthogonal term) when active. ``d_real``/``d_fake``
are mean ``sigmoid(f)`` on the iteration's last discriminator batch; ``max_grad_d_over_d`` is
max |∇ₓD(x)| / D(x) over its generated samples x = G(z), where D → 0 and the ratio can explode,
and ``max_grad_d_over_d_real`` the same over its real samples (see ``gan.diagnostics``);
``max_grad_logit`` and ``max_grad_logit_real`` are max ‖∇ₓf(x)‖ of D's logit f over the same
samples (|∇ₓD/D| = σ(−f)·‖∇ₓf‖, and the σ factor can hide a growing gradient when f stays
large, as under a hinge loss); ``g_grad_norm`` is the L2 norm of G's gradient of the whole
generator objective. Logging never changes the trajectory: diagnostics reuse the training
forward passes and draw no random numbers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
import torch
from torch import Tensor, nn
from tqdm.auto import tqdm

from shall_we_gans.gan import checkpoint as ckpt
from shall_we_gans.gan.batches import DataSource, RealBatches
from shall_we_gans.gan.checkpoint import CheckpointMixin
from shall_we_gans.gan.config import TrainerConfig
from shall_we_gans.gan.diagnostics import (
    grad_d_over_d_from_gradients,
    grad_norm,
    input_gradients,
    per_sample_norm,
)
from shall_we_gans.gan.guards import FiniteGuard, GeneratorEMA
from shall_we_gans.gan.losses import get_loss
from shall_we_gans.gan.priors import Prior
from shall_we_gans.gan.regularizers import (
    orthogonal_regularization,
    r1_from_gradients,
    wgan_gp_penalty,
)
from shall_we_gans.gan.sinks import MetricSink, discard_metrics, flush
from shall_we_gans.runtime import resolve_device

logger = logging.getLogger(__name__)
ExtraGLoss = Callable[[Tensor, Tensor, int], Tensor]


class GANTrainer(CheckpointMixin):
    """Holds models, optimisers, EMA, RNG and step of one GAN run.

    ``data`` is a tensor (or array) of real samples, drawn in shuffled epochs without
    replacement, or a sampler ``data(n, generator) -> Tensor`` that must draw only from the
    given generator (which lives on the trainer's device). ``extra_g_loss(z, x_fake, step)`` is
    added to the generator objective (e.g. BourGAN's distance term; ``step``: the iteration).
    ``log_metrics(metrics, step)`` receives prefixed metric names on logged iterations
    (a metric sink: ``gan.sinks.MemorySink``, ``tracking.MlflowMetricLogger``, any callable); by
    default they are only kept in ``history``. ``run_name``: the folder of this run's
    checkpoints under ``checkpoint_dir`` (a pipeline passes its MLflow run id; ``None``: a local
    name, ``gan.checkpoint.local_run_name``). Models are moved to the device; build them after
    seeding for reproducible weights (``gan.run.run_gan`` does both).
    """

    def __init__(
        self,
        generator: nn.Module,
        discriminator: nn.Module,
        prior: Prior,
        data: DataSource,
        config: TrainerConfig,
        extra_g_loss: ExtraGLoss | None = None,
        log_metrics: MetricSink | None = None,
        run_name: str | None = None,
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
        self._ema = None
        if config.ema_decay is not None:
            own_bn = config.ema_bn_batches > 0
            self._ema = GeneratorEMA(generator, config.ema_decay, copy_buffers=not own_bn)
        self._ema_bn_step: int | None = None  # the step the EMA's BN statistics were made at
        self.ema: nn.Module | None = None if self._ema is None else self._ema.module
        self.batches = RealBatches(data, config.batch_size, self.device, self.rng)
        self.step = 0
        self.history: list[dict[str, Any]] = []
        self._guard = FiniteGuard()
        default_check = 1 if self.device.type == "cpu" else config.log_every
        self._check_every = config.check_finite_every or default_check
        self._window = (time.perf_counter(), 0)
        self.checkpoint_path: Path | None = None
        if config.checkpoint_dir:
            self.checkpoint_path = ckpt.run_checkpoint_path(config.checkpoint_dir, run_name)

    # ----------------------------------------------------------------- public API
    def fit(self) -> pd.DataFrame:
        """Train until ``config.steps`` iterations in all; return the whole history.

        With ``config.resume_from`` the trainer first loads that checkpoint; with
        ``config.resume``, the newest compatible one under ``checkpoint_dir`` (none there: from
        step 0). An interrupted run thus ends with the same weights as an uninterrupted one.
        New checkpoints go to this run's own folder (``checkpoint_path``).
        """
        self.resume()
        self.train(max(self.config.steps - self.step, 0))
        return self.history_frame()

    def resume(self) -> None:
        """Load ``config.resume_from``, or with ``config.resume`` the newest compatible
        checkpoint under ``checkpoint_dir``; nothing when neither is set or none is found.
        A schedule that trains in chunks calls this first, as ``fit`` does."""
        found = ckpt.resume_point(self.config, self.device, self.checkpoint_differences)
        if found is not None:
            self.load_checkpoint(*found)

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
        if use_ema:
            self.refresh_ema()
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

    @torch.no_grad()
    def refresh_ema(self) -> None:
        """With ``ema_bn_batches``, recompute the EMA generator's batch-norm statistics on its
        own samples (latents from a generator seeded with ``config.seed``: the same statistics
        for the same weights), once per training step reached."""
        cfg = self.config
        if self._ema is None or not cfg.ema_bn_batches or self._ema_bn_step == self.step:
            return
        rng = torch.Generator(device=self.device).manual_seed(cfg.seed)
        draws = range(cfg.ema_bn_batches)
        self._ema.recompute_bn([self.prior.sample(cfg.batch_size, rng, self.device) for _ in draws])
        self._ema_bn_step = self.step

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue bit-identically (on CPU)."""
        return {
            "step": self.step,
            "generator": self.generator.state_dict(),
            "discriminator": self.discriminator.state_dict(),
            "ema": None if self._ema is None else self._ema.state_dict(),
            "opt_g": self.opt_g.state_dict(),
            "opt_d": self.opt_d.state_dict(),
            "rng_state": self.rng.get_state(),
            "torch_rng_state": torch.get_rng_state(),
            **self.batches.state(),
            "history": list(self.history),
            "config": asdict(self.config),
            "data_fingerprint": self.data_fingerprint(),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore a ``state_dict()`` (also restores the global torch CPU RNG). The optimisers
        take the checkpoint's settings, ``fused`` included, as ``torch.optim`` does."""
        self.generator.load_state_dict(state["generator"])
        self.discriminator.load_state_dict(state["discriminator"])
        if (state["ema"] is None) != (self.ema is None):
            raise ValueError("checkpoint and trainer disagree on ema_decay (EMA present or not)")
        if self._ema is not None:
            self._ema.load_state_dict(state["ema"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])
        self.rng.set_state(state["rng_state"].cpu())
        torch.set_rng_state(state["torch_rng_state"].cpu())
        self.batches.load_state(state)
        self.step = int(state["step"])
        self.history = list(state["history"])
        self._guard.pending.clear()
        self._ema_bn_step = None

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
            flush(self.log_metrics)
        return pd.DataFrame(self.history[first_row:])

    def _iteration(self, joint: bool, log: bool) -> dict[str, Tensor]:
        stats: dict[str, Tensor] = {}
        n_d = self.config.d_steps if joint else 1
        for i in range(n_d):
            stats = self._d_step(log and i == n_d - 1)
        if joint:
            stats.update(self._g_step(log))
        return stats

    def _d_step(self, log: bool) -> dict[str, Tensor]:
        cfg, D = self.config, self.discriminator
        x_real = self.batches.next(cfg.batch_size)
        z = self.prior.sample(cfg.batch_size, self.rng, self.device)
        with torch.no_grad(), self._autocast():
            x_fake = self.generator(z).float()
        if log or cfg.r1_gamma > 0:
            x_real = x_real.detach().requires_grad_(True)
        if log:  # input gradients for the diagnostic; the parameters' gradients are unchanged
            x_fake = x_fake.detach().requires_grad_(True)
        with self._autocast():
            real_logits, fake_logits = D(x_real).float(), D(x_fake).float()
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
            stats["max_grad_logit"] = per_sample_norm(fake_grads.detach()).max()
            stats["max_grad_logit_real"] = per_sample_norm(grads.detach()).max()
        total = d_loss
        self._guard.add(self.step, "d_loss", stats["d_loss"])
        if penalty is not None:
            stats["d_penalty"] = penalty.detach()
            self._guard.add(self.step, "d_penalty", stats["d_penalty"])
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
            with self._autocast():
                x_fake = self.generator(z).float()
                fake_logits = self.discriminator(x_fake).float()
            g_loss = self.loss.g_loss(fake_logits)
        finally:
            for p in self._d_params:
                p.requires_grad_(True)
        stats: dict[str, Tensor] = {"g_loss": g_loss.detach()}
        self._guard.add(self.step, "g_loss", stats["g_loss"])
        extra = None if self.extra_g_loss is None else self.extra_g_loss(z, x_fake, self.step)
        if cfg.ortho_beta > 0:
            ortho = orthogonal_regularization(self.generator, cfg.ortho_beta)
            extra = ortho if extra is None else extra + ortho
        total = g_loss
        if extra is not None:
            stats["g_extra"] = extra.detach()
            self._guard.add(self.step, "g_extra", stats["g_extra"])
            total = g_loss + extra
        self.opt_g.zero_grad(set_to_none=True)
        total.backward()
        if log:
            stats["g_grad_norm"] = grad_norm(self._g_params)
        self.opt_g.step()
        if self._ema is not None:
            self._ema.update(self.generator)
        return stats

    def _autocast(self) -> torch.autocast:
        """The networks' forward passes in bfloat16 with ``precision: bf16`` (losses, penalties
        and diagnostics stay float32); a no-op context otherwise."""
        bf16 = self.config.precision == "bf16"
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=bf16)

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
        self._guard.check()
        if weights:
            modules = {"generator": self.generator, "discriminator": self.discriminator}
            self._guard.check_weights(modules, max(self.step - 1, 0))


def _adam(
    params: list[Tensor], lr: float, betas: tuple[float, float], device: torch.device
) -> torch.optim.Adam:
    """Adam, fused into one kernel per step on CPU and CUDA (on CPU the default per-tensor
    loop costs about 15 % of a small MLP GAN's step)."""
    fused = device.type in ("cpu", "cuda") and all(p.is_floating_point() for p in params)
    return torch.optim.Adam(params, lr=lr, betas=betas, fused=fused or None)
