import io

import pytest
import torch

from shall_we_gans.adaptation.models import (
    ClassifierHead,
    DomainDiscriminator,
    LeNetEncoder,
    SourceClassifier,
)


def _images(n: int = 5) -> torch.Tensor:
    return torch.rand(n, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1


def test_shapes_encoder_classifier_discriminator():
    torch.manual_seed(0)
    encoder, head = LeNetEncoder(), ClassifierHead()
    features = encoder(_images())
    assert features.shape == (5, 500)
    assert head(features).shape == (5, 10)
    assert SourceClassifier(encoder, head)(_images()).shape == (5, 10)
    assert DomainDiscriminator()(features).shape == (5,)


def test_lenet_layer_sizes_follow_the_paper():
    encoder = LeNetEncoder()
    convs = [m for m in encoder.modules() if isinstance(m, torch.nn.Conv2d)]
    assert [(c.out_channels, c.kernel_size) for c in convs] == [(20, (5, 5)), (50, (5, 5))]
    assert ClassifierHead().fc.out_features == 10


def test_discriminator_hidden_widths_are_parameters():
    linears = [
        m for m in DomainDiscriminator(500, (7, 3)).modules() if isinstance(m, torch.nn.Linear)
    ]
    assert [(m.in_features, m.out_features) for m in linears] == [(500, 7), (7, 3), (3, 1)]
    default = [m for m in DomainDiscriminator().modules() if isinstance(m, torch.nn.Linear)]
    assert [m.out_features for m in default] == [500, 500, 1]


@pytest.mark.parametrize("bad", [{"hidden": (500, 0)}, {"hidden": (-1,)}])
def test_discriminator_rejects_bad_widths(bad):
    with pytest.raises(ValueError, match="hidden"):
        DomainDiscriminator(**bad)


def test_head_rejects_bad_dropout():
    with pytest.raises(ValueError, match="dropout"):
        ClassifierHead(dropout=1.0)


def test_source_classifier_pickles_as_a_whole_module():
    torch.manual_seed(0)
    model = SourceClassifier().eval()
    buffer = io.BytesIO()
    torch.save(model, buffer)
    buffer.seek(0)
    loaded = torch.load(buffer, weights_only=False)
    assert isinstance(loaded, SourceClassifier)
    assert torch.equal(loaded(_images()), model(_images()))
