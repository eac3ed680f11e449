"""Generators and discriminators: MLPs for low-dimensional data and DCGANs for 28x28 images.

Discriminators return logits of shape ``(N,)``. ``spectral_norm=True`` wraps every linear,
convolution and transposed convolution with ``torch.nn.utils.parametrizations.spectral_norm``
(one power iteration per training-mode forward, ``u`` persisted as a buffer).
"""

from __future__ import annotations

from collections.abc import Callable

from torch import Tensor, nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import spectral_norm as _spectral_norm

from shall_we_gans.modules import Rebuildable

IMAGE_SIZE = 28
_SN_LAYERS = (
    nn.Linear,
    nn.Conv1d,
    nn.Conv2d,
    nn.Conv3d,
    nn.ConvTranspose1d,
    nn.ConvTranspose2d,
    nn.ConvTranspose3d,
)

ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.2),
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "silu": nn.SiLU,
    "tanh": nn.Tanh,
}
OUTPUTS: dict[str, Callable[[], nn.Module]] = {
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "none": nn.Identity,
}


def make_activation(name: str) -> nn.Module:
    """A fresh activation module by name (see ``ACTIVATIONS``)."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}")
    return ACTIVATIONS[name]()


def apply_spectral_norm(module: nn.Module) -> nn.Module:
    """Spectrally normalise every linear/conv layer of ``module`` in place; return ``module``.

    Layers whose weight is already parametrised are left alone, so applying it twice is harmless.
    """
    for layer in list(module.modules()):
        if isinstance(layer, _SN_LAYERS) and not parametrize.is_parametrized(layer, "weight"):
            _spectral_norm(layer, n_power_iterations=1)
    return module


def _check_positive(**values: int) -> None:
    for name, value in values.items():
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")


def _mlp(
    in_dim: int, out_dim: int, width: int, depth: int, activation: str, batch_norm: bool = False
) -> nn.Sequential:
    """``depth`` hidden layers (linear, optional batch norm, activation), then a linear output."""
    _check_positive(in_dim=in_dim, out_dim=out_dim, width=width)
    if not isinstance(depth, int) or depth < 0:
        raise ValueError(f"depth must be a non-negative int, got {depth!r}")
    layers: list[nn.Module] = []
    dim = in_dim
    for _ in range(depth):
        layers.append(nn.Linear(dim, width))
        if batch_norm:
            layers.append(nn.BatchNorm1d(width))
        layers.append(make_activation(activation))
        dim = width
    layers.append(nn.Linear(dim, out_dim))
    return nn.Sequential(*layers)


class MLPGenerator(Rebuildable):
    """``z (N, latent_dim) -> x (N, out_dim)`` through ``depth`` hidden layers of ``width``.

    ``batch_norm`` normalises every hidden layer: it removes the offset and rescales the spread
    of a non-centred prior such as 256-d uniform [0, 1], whose tiny initial output spread
    otherwise leaves the generator collapsed to a point.
    """

    def __init__(
        self,
        latent_dim: int,
        out_dim: int = 2,
        width: int = 128,
        depth: int = 3,
        activation: str = "relu",
        batch_norm: bool = False,
        spectral_norm: bool = False,
    ) -> None:
        super().__init__()
        self.latent_dim, self.out_dim = latent_dim, out_dim
        self.net = _mlp(latent_dim, out_dim, width, depth, activation, batch_norm)
        if spectral_norm:
            apply_spectral_norm(self)

    def forward(self, z: Tensor) -> Tensor:
        return self.net(z)


class MLPDiscriminator(Rebuildable):
    """``x (N, in_dim) -> logits (N,)`` through ``depth`` hidden layers of ``width``."""

    def __init__(
        self,
        in_dim: int = 2,
        width: int = 128,
        depth: int = 3,
        activation: str = "leaky_relu",
        spectral_norm: bool = False,
    ) -> None:
        super().__init__()
        self.in_dim = in_dim
        self.net = _mlp(in_dim, 1, width, depth, activation)
        if spectral_norm:
            apply_spectral_norm(self)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x.reshape(len(x), -1)).squeeze(1)


def dcgan_init(module: nn.Module) -> None:
    """DCGAN init: conv/linear weights ``N(0, 0.02)``, batch-norm scales ``N(1, 0.02)``."""
    for layer in module.modules():
        if isinstance(layer, nn.Linear | nn.Conv2d | nn.ConvTranspose2d):
            nn.init.normal_(layer.weight, 0.0, 0.02)
            if layer.bias is not None:
                nn.init.zeros_(layer.bias)
        elif isinstance(layer, nn.BatchNorm1d | nn.BatchNorm2d):
            nn.init.normal_(layer.weight, 1.0, 0.02)
            nn.init.zeros_(layer.bias)


def _check_channels(channels: int) -> None:
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels!r}")


class DCGANGenerator(Rebuildable):
    """``z -> (N, channels, 28, 28)``: linear to ``2w x 7 x 7``, two stride-2 transposed convs.

    Batch norm after every hidden layer when ``batch_norm``; ``output`` is ``tanh`` (data in
    [-1, 1]), ``sigmoid`` (data in [0, 1]) or ``none``.
    """

    def __init__(
        self,
        latent_dim: int = 100,
        channels: int = 1,
        width: int = 64,
        output: str = "tanh",
        batch_norm: bool = True,
        spectral_norm: bool = False,
    ) -> None:
        super().__init__()
        _check_channels(channels)
        _check_positive(latent_dim=latent_dim, width=width)
        if output not in OUTPUTS:
            raise ValueError(f"unknown output {output!r}; choose one of {sorted(OUTPUTS)}")
        self.latent_dim, self.channels, self.width = latent_dim, channels, width

        def norm(n: int, dims: int) -> nn.Module:
            if not batch_norm:
                return nn.Identity()
            return nn.BatchNorm1d(n) if dims == 1 else nn.BatchNorm2d(n)

        self.fc = nn.Sequential(
            nn.Linear(latent_dim, 2 * width * 7 * 7), norm(2 * width * 7 * 7, 1), nn.ReLU()
        )
        self.deconv = nn.Sequential(
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1),  # 7 -> 14
            norm(width, 2),
            nn.ReLU(),
            nn.ConvTranspose2d(width, channels, 4, 2, 1),  # 14 -> 28
            OUTPUTS[output](),
        )
        dcgan_init(self)
        if spectral_norm:
            apply_spectral_norm(self)

    def forward(self, z: Tensor) -> Tensor:
        h = self.fc(z).reshape(len(z), 2 * self.width, 7, 7)
        return self.deconv(h)


class DCGANDiscriminator(Rebuildable):
    """``(N, channels, 28, 28) -> logits (N,)``: two stride-2 convs (LeakyReLU 0.2), linear.

    Filters per layer are ``round(width * width_mult)`` and ``2x`` that: with the generator's
    ``width``, ``width_mult`` 0.25 / 0.5 / 1 gives a discriminator 1/4, 1/2 or 1x the generator's
    size in filters per layer (the Unrolled-GAN / VEEGAN / PacGAN convention). Batch norm on the
    second conv when ``batch_norm`` (turn it off with gradient penalties or per-sample diagnostics).
    """

    def __init__(
        self,
        channels: int = 1,
        width: int = 64,
        width_mult: float = 1.0,
        batch_norm: bool = True,
        spectral_norm: bool = False,
    ) -> None:
        super().__init__()
        _check_channels(channels)
        filters = round(width * width_mult)
        if filters < 1:
            raise ValueError(f"width * width_mult must be >= 1 filter, got {width} * {width_mult}")
        self.channels, self.filters = channels, filters
        self.features = nn.Sequential(
            nn.Conv2d(channels, filters, 4, 2, 1),  # 28 -> 14
            nn.LeakyReLU(0.2),
            nn.Conv2d(filters, 2 * filters, 4, 2, 1),  # 14 -> 7
            nn.BatchNorm2d(2 * filters) if batch_norm else nn.Identity(),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
        )
        self.head = nn.Linear(2 * filters * 7 * 7, 1)
        dcgan_init(self)
        if spectral_norm:
            apply_spectral_norm(self)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x)).squeeze(1)


GENERATORS: dict[str, type[nn.Module]] = {"mlp": MLPGenerator, "dcgan": DCGANGenerator}
DISCRIMINATORS: dict[str, type[nn.Module]] = {"mlp": MLPDiscriminator, "dcgan": DCGANDiscriminator}


def build_generator(kind: str, **kwargs) -> nn.Module:
    """Generator by ``kind`` (``mlp`` or ``dcgan``); ``kwargs`` go to its constructor."""
    if kind not in GENERATORS:
        raise ValueError(f"unknown generator kind {kind!r}; choose one of {sorted(GENERATORS)}")
    return GENERATORS[kind](**kwargs)


def build_discriminator(kind: str, **kwargs) -> nn.Module:
    """Discriminator by ``kind`` (``mlp`` or ``dcgan``); ``kwargs`` go to its constructor."""
    if kind not in DISCRIMINATORS:
        raise ValueError(
            f"unknown discriminator kind {kind!r}; choose one of {sorted(DISCRIMINATORS)}"
        )
    return DISCRIMINATORS[kind](**kwargs)
