"""The fast decoder upsampling (convolved at the low resolution) equals upsample-then-convolve."""

import pytest
import torch
import torch.nn.functional as F

from ml.adgan.networks import upsample_conv


@pytest.mark.slow
def test_fast_upsample_conv_equals_upsample_then_conv(generator):
    # given a decoder upsampling block and a low-resolution input
    torch.manual_seed(3)
    block = generator.dec.model[2]
    x = torch.randn(2, 256, 9, 7)
    with torch.inference_mode():
        # when computed at the low resolution
        fast = upsample_conv(x, block)
        # then it is the nearest upsampling + reflect padding + 5x5 conv, borders included
        reference = block.conv(block.pad(F.interpolate(x, scale_factor=2, mode="nearest")))
    assert fast.shape == reference.shape == (2, 128, 18, 14)
    assert (fast - reference).abs().max().item() < 1e-4 * reference.abs().max().item()


@pytest.mark.slow
def test_fast_decode_equals_the_official_decode(generator, sample_tensors):
    pose, image, parsing = sample_tensors
    with torch.inference_mode():
        content, style = generator.encode_content(pose), generator.encode_style(image, parsing)
        assert (
            generator.decode(content, style, fast=True) - generator.decode(content, style)
        ).abs().max() < 1e-5
