"""Divergence guard and generator EMA of ``GANTrainer``: two pieces of its state that a recipe
change touches on their own."""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn


class TrainingDivergedError(RuntimeError):
    """A loss or a weight became NaN or infinite; ``step`` is the iteration where it was seen."""

    def __init__(self, step: int, what: str) -> None:
        self.step, self.what = step, what
        super().__init__(f"training diverged at step {step}: {what}")


class FiniteGuard:
    """Losses are queued as device tensors (``add``) and checked together (``check``), so a
    check costs one host sync however many steps it covers."""

    def __init__(self) -> None:
        self.pending: list[tuple[int, str, Tensor]] = []

    def add(self, step: int, name: str, value: Tensor) -> None:
        self.pending.append((step, name, value))

    def check(self) -> None:
        """Raise ``TrainingDivergedError`` at the first non-finite queued loss."""
        if self.pending:
            values = torch.stack([v for _, _, v in self.pending])
            bad = ~torch.isfinite(values)
            if bool(bad.any()):
                i = int(bad.nonzero()[0, 0])
                step, name, _ = self.pending[i]
                raise TrainingDivergedError(step, f"{name} is {float(values[i])}")
            self.pending.clear()

    @staticmethod
    def check_weights(modules: dict[str, nn.Module], step: int) -> None:
        """Raise ``TrainingDivergedError`` (at ``step``) naming the first non-finite parameter."""
        for label, module in modules.items():
            named = list(module.named_parameters())
            finite = torch.stack([torch.isfinite(p).all() for _, p in named])
            if not bool(finite.all()):
                name = named[int((~finite).nonzero()[0, 0])][0]
                raise TrainingDivergedError(step, f"parameter {label}.{name} is not finite")


class GeneratorEMA:
    """An exponential moving average of G's weights (``module``: ready to call, frozen, eval
    mode), starting at G's initial weights. Its batch-norm statistics are G's, copied at every
    update, unless ``recompute_bn`` is used: G's running statistics belong to G's weights, not
    to the averaged ones, so a BN generator's EMA should measure its own."""

    def __init__(self, generator: nn.Module, decay: float, copy_buffers: bool = True) -> None:
        self.averaged = AveragedModel(generator, multi_avg_fn=get_ema_multi_avg_fn(decay))
        self.averaged.n_averaged.fill_(1)
        self.module = self.averaged.module.requires_grad_(False).eval()
        self.copy_buffers = copy_buffers

    @torch.no_grad()
    def update(self, generator: nn.Module) -> None:
        self.averaged.update_parameters(generator)  # ema <- lerp(ema, G, 1 - decay)
        if self.copy_buffers:
            for e, b in zip(self.module.buffers(), generator.buffers(), strict=True):
                e.copy_(b)

    @torch.no_grad()
    def recompute_bn(self, latents: list[Tensor]) -> None:
        """Set every batch-norm layer's running mean and variance to the plain average over
        the batches ``module(z)`` for ``z`` in ``latents`` (momentum ``None``), then back to
        eval mode. Nothing else changes."""
        norms = [m for m in self.module.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
        if not norms:
            return
        momenta = [m.momentum for m in norms]
        for m in norms:
            m.reset_running_stats()
            m.momentum = None
        self.module.train()
        try:
            for z in latents:
                self.module(z)
        finally:
            for m, momentum in zip(norms, momenta, strict=True):
                m.momentum = momentum
            self.module.eval()

    def state_dict(self) -> dict:
        return self.averaged.state_dict()

    def load_state_dict(self, state: dict) -> None:
        self.averaged.load_state_dict(state)
