"""R1, WGAN-GP, orthogonal regularisation and the BourGAN term on hand-computable cases."""

import pytest
import torch
from torch import nn

from shall_we_gans.gan.regularizers import (
    BourganDistanceTerm,
    bourgan_distance_loss,
    orthogonal_regularization,
    r1_penalty,
    target_over_data,
    wgan_gp_penalty,
)


class Linear2d(nn.Module):
    """f(x) = w . x + b with a fixed w."""

    def __init__(self, w):
        super().__init__()
        self.w = nn.Parameter(torch.tensor(w))
        self.b = nn.Parameter(torch.zeros(()))

    def forward(self, x):
        return x @ self.w + self.b


class Constant(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Parameter(torch.tensor(0.3))

    def forward(self, x):
        return self.c.expand(len(x))


def test_r1_is_zero_for_a_discriminator_constant_in_x():
    x = torch.randn(6, 2)
    assert r1_penalty(Constant(), x, gamma=10.0).item() == 0.0
    flat = Linear2d([0.0, 0.0])
    assert r1_penalty(flat, x, gamma=10.0).item() == 0.0


def test_r1_of_a_linear_discriminator_and_its_gradient():
    d = Linear2d([3.0, 4.0])
    x = torch.randn(6, 2)
    penalty = r1_penalty(d, x, gamma=2.0)
    assert penalty.item() == pytest.approx(0.5 * 2.0 * 25.0)
    penalty.backward()  # d/dw (gamma/2 |w|^2) = gamma * w
    assert torch.allclose(d.w.grad, torch.tensor([6.0, 8.0]))


def test_r1_reuses_given_logits():
    d = Linear2d([1.0, 2.0])
    x = torch.randn(4, 2).requires_grad_(True)
    assert r1_penalty(d, x, 4.0, real_logits=d(x)).item() == pytest.approx(2.0 * 5.0)


def test_wgan_gp_known_cases():
    x_real, x_fake = torch.randn(8, 2), torch.randn(8, 2)
    g = torch.Generator().manual_seed(0)
    # |grad f| = |w| = 5 everywhere: lam * (5 - 1)^2
    assert wgan_gp_penalty(Linear2d([3.0, 4.0]), x_real, x_fake, 10.0, g).item() == pytest.approx(
        160.0
    )
    # unit-norm gradient: no penalty; constant critic: lam * (0 - 1)^2
    assert wgan_gp_penalty(Linear2d([0.6, 0.8]), x_real, x_fake, 10.0, g).item() == pytest.approx(
        0.0, abs=1e-6
    )
    assert wgan_gp_penalty(Constant(), x_real, x_fake, 10.0, g).item() == pytest.approx(10.0)


def test_wgan_gp_evaluates_on_interpolates():
    class Quadratic(nn.Module):  # f(x) = |x|^2 / 2, grad = x
        def forward(self, x):
            return 0.5 * x.pow(2).sum(dim=1)

    x_real = torch.tensor([[2.0, 0.0]])
    x_fake = torch.tensor([[4.0, 0.0]])  # any interpolate has |grad| in [2, 4]
    gp = wgan_gp_penalty(Quadratic(), x_real, x_fake, 1.0, torch.Generator().manual_seed(3))
    assert 1.0 <= gp.item() <= 9.0
    with pytest.raises(ValueError, match="x_real"):
        wgan_gp_penalty(Quadratic(), x_real, torch.zeros(2, 2))


def test_orthogonal_regularization_is_zero_for_orthogonal_weights():
    q, _ = torch.linalg.qr(torch.randn(5, 5))
    layer = nn.Linear(5, 5)
    with torch.no_grad():
        layer.weight.copy_(q)
    assert orthogonal_regularization(layer, 1.0, "full").item() == pytest.approx(0.0, abs=1e-8)
    assert orthogonal_regularization(layer, 1.0).item() == pytest.approx(0.0, abs=1e-8)
    with torch.no_grad():  # orthogonal rows of norm 3: only the full form penalises the norms
        layer.weight.mul_(3.0)
    assert orthogonal_regularization(layer, 1.0).item() == pytest.approx(0.0, abs=1e-6)
    assert orthogonal_regularization(layer, 0.5, "full").item() == pytest.approx(
        0.5 * 5 * 64, rel=1e-5
    )


def test_orthogonal_regularization_known_value_and_conv_weights():
    layer = nn.Linear(2, 2, bias=False)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[1.0, 1.0], [1.0, 0.0]]))
    # W W^T = [[2, 1], [1, 1]]: off-diagonal 2 * 1^2; full adds (2-1)^2 + (1-1)^2
    assert orthogonal_regularization(layer, 1.0).item() == pytest.approx(2.0)
    assert orthogonal_regularization(layer, 1.0, "full").item() == pytest.approx(3.0)
    conv = nn.Conv2d(3, 4, 3)
    assert orthogonal_regularization(conv, 1.0).item() > 0
    with pytest.raises(ValueError, match="off_diagonal"):
        orthogonal_regularization(conv, 1.0, "diag")


def test_bourgan_term_is_zero_when_distances_match_and_positive_otherwise():
    z = torch.randn(10, 3)
    beta = 2.5
    rotation, _ = torch.linalg.qr(torch.randn(3, 3))
    x = beta * z @ rotation + 1.0  # an isometry times beta: |x1 - x2| = beta |z1 - z2|
    assert bourgan_distance_loss(x, z, beta).item() == pytest.approx(0.0, abs=1e-8)
    # halving every distance: each log gap is log 2, so the loss is alpha * log(2)^2
    loss = bourgan_distance_loss(0.5 * x, z, beta, alpha=0.1)
    assert loss.item() == pytest.approx(0.1 * torch.log(torch.tensor(2.0)).item() ** 2, rel=1e-4)


def test_bourgan_term_has_finite_gradient_for_collapsed_samples():
    x = torch.zeros(4, 2, requires_grad=True)
    loss = bourgan_distance_loss(x, torch.randn(4, 5), beta=1.0)
    loss.backward()
    assert torch.isfinite(loss) and torch.isfinite(x.grad).all()
    with pytest.raises(ValueError, match="batch size"):
        bourgan_distance_loss(torch.zeros(1, 2), torch.zeros(1, 5), 1.0)


def test_bourgan_term_switches_to_its_final_weight_at_the_switch_step():
    z, x = torch.randn(8, 3), torch.randn(8, 2)
    term = BourganDistanceTerm(beta=2.0, alpha=1.0, alpha_final=0.1, switch_step=5)
    assert [term.weight(s) for s in (0, 4, 5, 9)] == [1.0, 1.0, 0.1, 0.1]
    unit = bourgan_distance_loss(x, z, 2.0, alpha=1.0).item()
    assert term(z, x, 4).item() == pytest.approx(unit)
    assert term(z, x, 5).item() == pytest.approx(0.1 * unit)
    constant = BourganDistanceTerm(beta=2.0, alpha=0.3)  # alpha_final None: the paper's term
    assert constant.weight(10**6) == 0.3
    with pytest.raises(ValueError, match="switch_step"):
        BourganDistanceTerm(beta=2.0, alpha=1.0, alpha_final=0.1)


def test_bourgan_term_measures_samples_through_the_embeddings_features():
    z, x = torch.randn(8, 3), torch.randn(8, 2)
    doubling = nn.Linear(2, 2, bias=False)
    with torch.no_grad():
        doubling.weight.copy_(2.0 * torch.eye(2))
    term = BourganDistanceTerm(beta=2.0, alpha=1.0, features=doubling)
    assert term(z, x, 0).item() == pytest.approx(bourgan_distance_loss(2.0 * x, z, 2.0, 1.0))
    x.requires_grad_(True)
    term(z, x, 0).backward()
    assert x.grad.abs().sum() > 0  # the generator's samples still get a gradient


def test_target_over_data_is_beta_when_the_centres_are_the_points():
    points = torch.randn(50, 4)
    assert target_over_data(points.numpy(), points, 0.0, beta=1.0) == pytest.approx(1.0)
    assert target_over_data(points.numpy(), points, 0.0, beta=3.0) == pytest.approx(3.0)
    # centres at half the points' scale: beta 2 asks for the data's own distances
    assert target_over_data(points.numpy(), 0.5 * points, 0.0, beta=2.0) == pytest.approx(1.0)
    # noise moves the draws apart, so the target grows
    assert target_over_data(points.numpy(), points, 1.0, beta=1.0) > 1.0
    with pytest.raises(ValueError, match="one point per centre"):
        target_over_data(points.numpy()[:10], points, 0.0, 1.0)
