"""LeNet encoder, classifier head and the ADDA domain discriminator.

All image inputs are float tensors ``N×1×28×28`` in ``[-1, 1]`` (``data.preprocess.scale_to_unit``
for every domain); every head returns logits, never probabilities or log-probabilities.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from shall_we_gans.modules import Rebuildable

IMAGE_SIZE = 28
FEATURE_DIM = 500
N_CLASSES = 10
CONV_CHANNELS = (20, 50)


class LeNetEncoder(Rebuildable):
    """conv 20@5×5, max-pool 2, conv 50@5×5, max-pool 2, fc 500 (ReLU after each layer).

    ``channels`` widens the two convolutions (LeNet's ``(20, 50)`` by default).
    """

    def __init__(
        self, feature_dim: int = FEATURE_DIM, channels: Sequence[int] = CONV_CHANNELS
    ) -> None:
        super().__init__()
        if len(channels) != 2 or any(int(c) < 1 for c in channels):
            raise ValueError(f"channels must be two positive integers, got {tuple(channels)!r}")
        first, second = (int(c) for c in channels)
        self.feature_dim = feature_dim
        self.conv = nn.Sequential(
            nn.Conv2d(1, first, kernel_size=5),
            nn.MaxPool2d(2),
            nn.ReLU(),
            nn.Conv2d(first, second, kernel_size=5),
            nn.MaxPool2d(2),
            nn.ReLU(),
        )
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(second * 4 * 4, feature_dim), nn.ReLU())

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Map ``N×1×28×28`` images to ``N×feature_dim`` features."""
        return self.fc(self.conv(images))


class ConvNetEncoder(Rebuildable):
    """A second digit encoder, unlike LeNet: conv 32@3×3 (padding 1), ReLU, max-pool 2, conv
    64@3×3, ReLU, max-pool 2, conv 64@3×3, ReLU, fc ``feature_dim`` (ReLU). The Stacked MNIST
    judge's independent second opinion (``architecture: convnet``)."""

    def __init__(self, feature_dim: int = 128) -> None:
        super().__init__()
        self.feature_dim = feature_dim
        self.conv = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(64, 64, kernel_size=3, padding=1),
            nn.ReLU(),
        )
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(64 * 7 * 7, feature_dim), nn.ReLU())

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Map ``N×1×28×28`` images to ``N×feature_dim`` features."""
        return self.fc(self.conv(images))


class ClassifierHead(Rebuildable):
    """Dropout then one linear layer from the features to class logits."""

    def __init__(
        self, feature_dim: int = FEATURE_DIM, n_classes: int = N_CLASSES, dropout: float = 0.5
    ) -> None:
        super().__init__()
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(feature_dim, n_classes)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """Map ``N×feature_dim`` features to ``N×n_classes`` logits."""
        return self.fc(self.dropout(features))


class SourceClassifier(Rebuildable):
    """Encoder + head: ``N×1×28×28`` images in ``[-1, 1]`` to ``N×10`` logits.

    Self-contained (only torch modules inside), so ``torch.save(model)`` pickles the whole thing;
    the Stacked MNIST mode counter loads it back as is.
    """

    def __init__(
        self,
        encoder: LeNetEncoder | ConvNetEncoder | None = None,
        head: ClassifierHead | None = None,
    ):
        super().__init__()
        self.encoder = encoder if encoder is not None else LeNetEncoder()
        self.head = head if head is not None else ClassifierHead(self.encoder.feature_dim)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Return class logits for ``images``."""
        return self.head(self.encoder(images))


class DomainDiscriminator(Rebuildable):
    """MLP ``feature_dim → hidden… → 1`` giving one "source" logit per feature vector.

    The paper's 500-500-2 discriminator with a softmax over {source, target} is equivalent to this
    500-500-1 logit: a two-way softmax depends only on the difference of its two logits, which is
    exactly a single logit under a sigmoid.
    """

    def __init__(self, feature_dim: int = FEATURE_DIM, hidden: Sequence[int] = (500, 500)) -> None:
        super().__init__()
        if any(int(width) < 1 for width in hidden):
            raise ValueError(f"hidden widths must be positive integers, got {tuple(hidden)!r}")
        layers: list[nn.Module] = []
        width_in = feature_dim
        for width in hidden:
            layers += [nn.Linear(width_in, int(width)), nn.ReLU()]
            width_in = int(width)
        layers.append(nn.Linear(width_in, 1))
        self.net = nn.Sequential(*layers)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """Return logits of shape ``(N,)``: positive means "source"."""
        return self.net(features).squeeze(-1)
