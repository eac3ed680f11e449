"""max |grad_x D| / D and gradient norms against hand-computed values."""

import math

import pytest
import torch
from torch import nn

from shall_we_gans.gan.diagnostics import (
    grad_d_over_d,
    grad_norm,
    input_gradients,
    max_grad_d_over_d,
)


def linear_d(w, b):
    layer = nn.Linear(len(w), 1)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([w]))
        layer.bias.fill_(b)
    return nn.Sequential(layer, nn.Flatten(0))


def test_grad_d_over_d_for_a_linear_logit():
    # f(x) = 3 x1 + 4 x2 - 1: |grad f| = 5, so |grad D| / D = (1 - sigmoid(f)) * 5
    d = linear_d([3.0, 4.0], -1.0)
    x = torch.tensor([[0.0, 0.0], [1.0, 1.0], [-1.0, 0.0]])
    f = torch.tensor([-1.0, 6.0, -4.0], dtype=torch.float64)
    expected = (5.0 * (1.0 - torch.sigmoid(f))).float()  # exact in float64
    xg = x.clone().requires_grad_(True)
    assert torch.allclose(grad_d_over_d(d(xg), xg), expected)
    assert max_grad_d_over_d(d, x) == pytest.approx(5.0 / (1.0 + math.exp(-4.0)), rel=1e-6)


def test_grad_d_over_d_stays_finite_when_d_is_tiny():
    d = linear_d([1.0, 0.0], -200.0)  # D = sigmoid(-200) underflows in float32
    assert max_grad_d_over_d(d, torch.zeros(3, 2)) == pytest.approx(1.0)


def test_input_gradients_zero_when_unused_and_requires_grad_inputs():
    x = torch.randn(3, 2, requires_grad=True)
    out = torch.ones(3, requires_grad=True)
    assert torch.equal(input_gradients(out, x), torch.zeros(3, 2))
    with pytest.raises(ValueError, match="require grad"):
        input_gradients(out, torch.randn(3, 2))


def test_grad_norm_over_parameters():
    a, b, c = (nn.Parameter(torch.zeros(2)) for _ in range(3))
    a.grad, b.grad = torch.tensor([3.0, 0.0]), torch.tensor([0.0, 4.0])
    assert grad_norm([a, b, c]).item() == pytest.approx(5.0)
    assert grad_norm([c]).item() == 0.0
