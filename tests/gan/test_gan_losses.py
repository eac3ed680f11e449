"""Each loss against values computed by hand at known logits."""

import math

import pytest
import torch

from shall_we_gans.gan.losses import LOSSES, get_loss

LOG2 = math.log(2.0)
ZERO = torch.zeros(4)


@pytest.mark.parametrize(
    ("name", "d_at_zero", "g_at_zero"),
    [
        ("minimax", 2 * LOG2, -LOG2),
        ("non_saturating", 2 * LOG2, LOG2),
        ("hinge", 2.0, 0.0),
        ("wgan_gp", 0.0, 0.0),
        ("lsgan", 0.5, 0.5),
    ],
)
def test_losses_at_zero_logits(name, d_at_zero, g_at_zero):
    loss = get_loss(name)
    assert loss.d_loss(ZERO, ZERO).item() == pytest.approx(d_at_zero, abs=1e-6)
    assert loss.g_loss(ZERO).item() == pytest.approx(g_at_zero, abs=1e-6)


def test_losses_at_known_nonzero_logits():
    real, fake = torch.tensor([2.0, -1.0]), torch.tensor([0.5, -3.0])
    # -log sigmoid(r) = log(1 + e^-r); -log(1 - sigmoid(f)) = log(1 + e^f)
    bce_d = (math.log1p(math.exp(-2)) + math.log1p(math.exp(1))) / 2 + (
        math.log1p(math.exp(0.5)) + math.log1p(math.exp(-3))
    ) / 2
    assert get_loss("minimax").d_loss(real, fake).item() == pytest.approx(bce_d, rel=1e-6)
    minimax_g = -(math.log1p(math.exp(0.5)) + math.log1p(math.exp(-3))) / 2
    assert get_loss("minimax").g_loss(fake).item() == pytest.approx(minimax_g, rel=1e-6)
    ns_g = (math.log1p(math.exp(-0.5)) + math.log1p(math.exp(3))) / 2
    assert get_loss("non_saturating").g_loss(fake).item() == pytest.approx(ns_g, rel=1e-6)
    # hinge: relu(1-2)=0, relu(1+1)=2 -> 1; relu(1.5)=1.5, relu(-2)=0 -> 0.75
    assert get_loss("hinge").d_loss(real, fake).item() == pytest.approx(1.75)
    assert get_loss("hinge").g_loss(fake).item() == pytest.approx(1.25)
    assert get_loss("wgan_gp").d_loss(real, fake).item() == pytest.approx(-1.25 - 0.5)
    # lsgan: 0.5*mean((r-1)^2) + 0.5*mean(f^2) = 0.5*2.5 + 0.5*4.625
    assert get_loss("lsgan").d_loss(real, fake).item() == pytest.approx(1.25 + 2.3125)
    assert get_loss("lsgan").g_loss(fake).item() == pytest.approx(0.5 * (0.25 + 16) / 2)


def test_probability_losses_are_stable_for_huge_logits():
    big = torch.tensor([1e4, -1e4])
    for name in ("minimax", "non_saturating"):
        loss = get_loss(name)
        assert torch.isfinite(loss.d_loss(big, big))
        assert torch.isfinite(loss.g_loss(big))
    # a confident, correct discriminator: D loss ~ 0; saturating G loss ~ 0 with ~0 gradient
    fake = torch.full((3,), -30.0, requires_grad=True)
    assert get_loss("minimax").d_loss(torch.full((3,), 30.0), fake).item() < 1e-12
    get_loss("minimax").g_loss(fake).backward()
    assert fake.grad.abs().max().item() < 1e-12
    fake.grad = None
    get_loss("non_saturating").g_loss(fake).backward()
    assert fake.grad.abs().min().item() == pytest.approx(1 / 3)


def test_only_wgan_gp_asks_for_a_gradient_penalty():
    assert [n for n, cls in LOSSES.items() if cls.uses_gradient_penalty] == ["wgan_gp"]


def test_unknown_loss_lists_the_names():
    with pytest.raises(ValueError, match="non_saturating"):
        get_loss("nope")
