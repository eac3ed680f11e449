"""Shapes, D size multipliers and spectral normalisation of the generator/discriminator zoo."""

import pytest
import torch
from torch import nn

from shall_we_gans.gan.models import (
    DCGANDiscriminator,
    DCGANGenerator,
    MLPDiscriminator,
    MLPGenerator,
    apply_spectral_norm,
    build_discriminator,
    build_generator,
)


def n_params(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_mlp_shapes_and_depth():
    torch.manual_seed(0)
    g = MLPGenerator(latent_dim=7, out_dim=2, width=16, depth=2)
    d = MLPDiscriminator(in_dim=2, width=16, depth=2)
    x = g(torch.randn(5, 7))
    assert x.shape == (5, 2)
    assert d(x).shape == (5,)
    assert sum(isinstance(m, nn.Linear) for m in g.modules()) == 3
    # params: 7*16+16 + 16*16+16 + 16*2+2
    assert n_params(g) == 128 + 272 + 34


@pytest.mark.parametrize("channels", [1, 3])
def test_dcgan_shapes(channels):
    torch.manual_seed(0)
    g = DCGANGenerator(latent_dim=8, channels=channels, width=8)
    d = DCGANDiscriminator(channels=channels, width=8)
    x = g(torch.randn(4, 8))
    assert x.shape == (4, channels, 28, 28)
    assert x.abs().max() <= 1.0  # tanh output
    assert d(x).shape == (4,)


def test_dcgan_discriminator_size_scales_with_width_mult():
    counts = {
        m: n_params(DCGANDiscriminator(channels=3, width=64, width_mult=m)) for m in (1, 0.5, 0.25)
    }
    assert counts[1] > counts[0.5] > counts[0.25]
    # filters scale linearly, conv-to-conv weights quadratically: count ratio between 1/4 and 1/16
    assert counts[1] / 16 < counts[0.25] < counts[1] / 4
    assert DCGANDiscriminator(width=64, width_mult=0.25).filters == 16


def test_spectral_norm_makes_largest_singular_value_one():
    torch.manual_seed(0)
    d = MLPDiscriminator(in_dim=2, width=32, depth=2, spectral_norm=True)
    x = torch.randn(8, 2)
    for _ in range(30):  # each training-mode forward runs one power iteration
        d(x)
    d.eval()
    for layer in d.modules():
        if isinstance(layer, nn.Linear):
            sigma = torch.linalg.matrix_norm(layer.weight.detach(), ord=2)
            assert sigma.item() == pytest.approx(1.0, abs=1e-2)
            raw = torch.linalg.matrix_norm(layer.parametrizations.weight.original.detach(), ord=2)
            assert raw.item() != pytest.approx(1.0, abs=1e-2)


def test_spectral_norm_covers_conv_and_transposed_conv_and_is_idempotent():
    g = DCGANGenerator(latent_dim=4, width=4, spectral_norm=True)
    apply_spectral_norm(g)
    sn_layers = [m for m in g.modules() if hasattr(m, "parametrizations")]
    assert len(sn_layers) == 3  # linear + two transposed convs, each wrapped once
    assert all(len(m.parametrizations.weight) == 1 for m in sn_layers)
    assert "parametrizations.weight.original" in dict(g.deconv[0].named_parameters(prefix=""))


def test_build_by_name_and_errors():
    assert isinstance(build_generator("mlp", latent_dim=3), MLPGenerator)
    assert isinstance(build_discriminator("dcgan", channels=3, width_mult=0.5), DCGANDiscriminator)
    with pytest.raises(ValueError, match="mlp"):
        build_generator("resnet")
    with pytest.raises(ValueError, match="channels"):
        DCGANGenerator(channels=2)
    with pytest.raises(ValueError, match="activation"):
        MLPGenerator(latent_dim=2, activation="swishy")


def test_mlp_generator_batch_norm_spreads_a_non_centred_prior():
    torch.manual_seed(0)
    z = torch.rand(512, 256)  # 256-d uniform [0, 1]
    plain = MLPGenerator(latent_dim=256, width=32, depth=2)
    normed = MLPGenerator(latent_dim=256, width=32, depth=2, batch_norm=True)
    assert sum(isinstance(m, nn.BatchNorm1d) for m in normed.modules()) == 2
    assert normed(z).std(dim=0).min() > 3 * plain(z).std(dim=0).max()
