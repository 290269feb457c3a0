"""The generator's layout and numerics (the official ADGAN network, randomly initialised)."""

import pytest
import torch
import torch.nn.functional as F

from ml.adgan import build_generator
from ml.adgan.networks import VGG_STYLE_TAPS, AdaptiveInstanceNorm2d, LayerNorm

# A few names and shapes of the released latest_net_netG.pth, as its modules spell them.
OFFICIAL_TENSORS = {
    "enc_style.vgg.0.weight": (64, 3, 3, 3),
    "enc_style.vgg.34.weight": (512, 512, 3, 3),
    "enc_style.conv1.conv.weight": (64, 3, 7, 7),
    "enc_style.conv4.conv.weight": (512, 512, 4, 4),
    "enc_style.model.1.weight": (64, 1024, 1, 1),
    "enc_content.model.0.conv.weight": (64, 18, 7, 7),
    "enc_content.model.3.model.7.model.1.conv.weight": (256, 256, 3, 3),
    "dec.model.0.model.0.model.0.norm.running_mean": (256,),
    "dec.model.0.model.7.model.1.norm.running_var": (256,),
    "dec.model.2.norm.gamma": (128,),
    "dec.model.4.norm.beta": (64,),
    "dec.model.5.conv.weight": (3, 64, 7, 7),
    "fc.fc.weight": (512, 512),
    "mlp.model.0.fc.weight": (256, 512),
    "mlp.model.2.fc.weight": (8192, 256),
}


@pytest.mark.slow
def test_state_dict_has_the_official_layout(generator):
    # given the generator in the official configuration
    state = generator.state_dict()

    # then it has the released file's 162 tensors and 48,799,299 parameters
    assert len(state) == 162
    assert sum(p.numel() for p in generator.parameters()) == 48_799_299
    for name, shape in OFFICIAL_TENSORS.items():
        assert tuple(state[name].shape) == shape, name
    # and the 32 AdaIN buffers are the only buffers
    buffers = [name for name, _ in generator.named_buffers()]
    assert len(buffers) == 32
    assert all(name.startswith("dec.model.0.") for name in buffers)


@pytest.mark.slow
def test_output_shape_and_range(reference_output):
    # then the generation is one 256x176 RGB image in [-1, 1]
    assert reference_output.shape == (1, 3, 256, 176)
    assert reference_output.abs().max() <= 1.0
    assert reference_output.std() > 0


def test_layer_norm_uses_unbiased_std_over_the_whole_sample():
    # given a layer norm with known affine parameters and two different samples
    torch.manual_seed(0)
    norm = LayerNorm(4)
    x = torch.randn(2, 4, 3, 5) * 3 + 1
    # when it normalises them
    out = norm(x)
    # then each sample is (x - mean) / (unbiased std + eps) over all its values
    for i in range(2):
        flat = x[i].flatten()
        mean = flat.mean()
        std = torch.sqrt(((flat - mean) ** 2).sum() / (flat.numel() - 1))
        expected = (x[i] - mean) / (std + 1e-5) * norm.gamma.view(-1, 1, 1) + norm.beta.view(-1, 1, 1)
        assert torch.allclose(out[i], expected, atol=1e-5)


def test_adain_is_instance_norm_with_biased_variance_and_per_sample_params():
    # given AdaIN parameters that differ per sample: shift first, then scale
    torch.manual_seed(0)
    adain = AdaptiveInstanceNorm2d(3)
    x = torch.randn(2, 3, 4, 6) * 2 + 5
    params = torch.randn(2, 6)
    # when applied
    out = adain(x, params)
    # then it matches the instance-norm formula with the biased variance
    mean = x.mean(dim=(2, 3), keepdim=True)
    var = x.var(dim=(2, 3), unbiased=False, keepdim=True)
    expected = (x - mean) / torch.sqrt(var + 1e-5) * params[:, 3:, None, None] + params[:, :3, None, None]
    assert torch.allclose(out, expected, atol=1e-5)
    # and the dummy running statistics are untouched
    assert torch.equal(adain.running_mean, torch.zeros(3))
    assert torch.equal(adain.running_var, torch.ones(3))


@pytest.mark.slow
def test_vgg_taps_match_the_official_in_place_relu_reading(generator):
    # given the official way: walk all of VGG19, keep the conv outputs that the in-place ReLU then rectifies
    torch.manual_seed(0)
    x = torch.randn(1, 3, 64, 48)
    official = {}
    with torch.inference_mode():
        y = x.clone()
        for index, layer in enumerate(generator.enc_style.vgg):
            y = layer(y)
            if index in (0, 5, 10, 19):
                official[index] = y
        # when our encoder reads its taps (stopping early)
        taps = generator.enc_style.vgg_taps(x)
    # then they are the same tensors
    assert len(taps) == len(VGG_STYLE_TAPS) == 4
    for tap, index in zip(taps, (0, 5, 10, 19), strict=True):
        assert torch.equal(tap, official[index])
        assert tap.min() >= 0


@pytest.mark.slow
def test_upsampling_is_nearest(generator):
    upsamples = [m for m in generator.dec.modules() if isinstance(m, torch.nn.Upsample)]
    assert [(m.mode, m.scale_factor) for m in upsamples] == [("nearest", 2.0), ("nearest", 2.0)]


@pytest.mark.slow
def test_build_generator_is_random_not_pretrained():
    # given two freshly built generators (no weights are ever downloaded)
    torch.manual_seed(1)
    first = build_generator()
    torch.manual_seed(2)
    second = build_generator()
    # then their VGG weights differ (nothing was loaded from anywhere)
    assert not torch.equal(first.enc_style.vgg[0].weight, second.enc_style.vgg[0].weight)
    assert F.mse_loss(first.fc.fc.weight, second.fc.fc.weight) > 0
