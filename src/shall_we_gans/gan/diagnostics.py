"""Training diagnostics: input gradients, ``max |grad_x D(x)| / D(x)`` and gradient norms.

With ``D(x) = sigmoid(f(x))``: ``grad_x D = sigmoid(f) (1 - sigmoid(f)) grad_x f``, so
``|grad_x D| / D = (1 - sigmoid(f)) |grad_x f| = sigmoid(-f) |grad_x f|`` (stable for any ``f``).
Per-sample gradients come from ``grad_x sum_i f(x_i)``, which equals ``grad_x f(x_i)`` row by row
when samples do not interact inside D (true without batch norm in training mode).
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor, nn


def input_gradients(outputs: Tensor, inputs: Tensor, create_graph: bool = False) -> Tensor:
    """Gradient of ``outputs.sum()`` w.r.t. ``inputs`` (zeros when ``outputs`` ignore them).

    The graph is kept, so the same ``outputs`` can still be back-propagated afterwards.
    """
    if not inputs.requires_grad:
        raise ValueError("inputs must require grad (the tensor the outputs were computed from)")
    (grad,) = torch.autograd.grad(
        outputs.sum(), inputs, create_graph=create_graph, retain_graph=True, allow_unused=True
    )
    return torch.zeros_like(inputs) if grad is None else grad


def per_sample_norm(x: Tensor) -> Tensor:
    """L2 norm of each row of ``x`` over all non-batch dimensions, shape ``(N,)``."""
    return torch.linalg.vector_norm(x.reshape(len(x), -1), dim=1)


def grad_d_over_d_from_gradients(logits: Tensor, grads: Tensor) -> Tensor:
    """``|grad_x D| / D`` per sample from logits ``f`` (N,) and ``grad_x f`` (N, ...)."""
    return torch.sigmoid(-logits.detach().reshape(-1)) * per_sample_norm(grads.detach())


def grad_d_over_d(logits: Tensor, inputs: Tensor) -> Tensor:
    """``|grad_x D(x)| / D(x)`` per sample for logits computed from ``inputs`` (requires grad)."""
    return grad_d_over_d_from_gradients(logits, input_gradients(logits, inputs))


def max_grad_d_over_d(discriminator: nn.Module, x: Tensor) -> float:
    """``max_i |grad_x D(x_i)| / D(x_i)`` over the batch ``x`` with ``D = sigmoid(discriminator)``.

    Runs one extra forward pass in the module's current mode.
    """
    x = x.detach().requires_grad_(True)
    return float(grad_d_over_d(discriminator(x), x).max())


def grad_norm(parameters: Iterable[nn.Parameter]) -> Tensor:
    """Total L2 norm of the ``.grad`` of ``parameters`` (those without a gradient count as 0)."""
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.zeros(())
    return torch.nn.utils.get_total_norm(grads)
