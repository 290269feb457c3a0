"""The generator's layout, numerics and checkpoint loading."""

import pytest
import torch
import torch.nn.functional as F

from ml.adgan import build_generator, load_generator, save_generator
from ml.adgan.networks import VGG_STYLE_TAPS, AdaptiveInstanceNorm2d, LayerNorm, upsample_conv
from ml.errors import InvalidModelFile

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
def test_saved_and_reloaded_generator_reproduces_its_output(
    generator, sample_tensors, reference_output, tmp_path
):
    # given a random generator saved to disk
    path = tmp_path / "latest_net_netG.pth"
    save_generator(generator, path)
    # when it is loaded strictly
    loaded = load_generator(path)
    # then the output is identical
    with torch.inference_mode():
        assert torch.equal(loaded(*sample_tensors), reference_output)


@pytest.mark.slow
@pytest.mark.parametrize("wrap", ["dataparallel", "state_dict"])
def test_dataparallel_and_wrapped_checkpoints_load(generator, tmp_path, wrap):
    # given the weights as saved from DataParallel (``module.`` keys) or wrapped in {"state_dict": ...}
    state = generator.state_dict()
    data = {f"module.{k}": v for k, v in state.items()} if wrap == "dataparallel" else {"state_dict": state}
    path = tmp_path / "netG.pth"
    torch.save(data, path)
    # when loaded
    loaded = load_generator(path)
    # then every tensor is the original one
    reloaded = loaded.state_dict()
    assert set(reloaded) == set(state)
    assert all(torch.equal(reloaded[k], state[k]) for k in state)


@pytest.mark.slow
def test_checkpoint_without_the_unused_adain_buffers_loads(generator, tmp_path):
    # given a file re-saved the way the official loader trims it (no running_mean/var)
    state = {
        k: v for k, v in generator.state_dict().items() if not k.endswith(("running_mean", "running_var"))
    }
    path = tmp_path / "trimmed.pth"
    torch.save(state, path)
    # then it still loads, with the exact weights
    loaded = load_generator(path)
    assert torch.equal(loaded.fc.fc.weight, generator.fc.fc.weight)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidModelFile, match=r"does not exist"):
        load_generator(tmp_path / "nope.pth")


def test_garbage_file_is_a_clear_error(tmp_path):
    path = tmp_path / "garbage.pth"
    path.write_bytes(b"this is not a checkpoint")
    with pytest.raises(InvalidModelFile, match=r"could not be read as a PyTorch checkpoint"):
        load_generator(path)


def test_wrong_layout_is_a_clear_error(tmp_path):
    # given a checkpoint of some other network
    path = tmp_path / "other.pth"
    torch.save(torch.nn.Linear(3, 4).state_dict(), path)
    with pytest.raises(InvalidModelFile, match=r"expected layout: tensors 130 missing .* and 2 unexpected"):
        load_generator(path)


@pytest.mark.slow
def test_wrong_shape_is_a_clear_error(generator, tmp_path):
    state = dict(generator.state_dict())
    state["fc.fc.weight"] = torch.zeros(512, 256)
    path = tmp_path / "shape.pth"
    torch.save(state, path)
    with pytest.raises(
        InvalidModelFile, match=r"fc\.fc\.weight has shape \(512, 256\), expected \(512, 512\)"
    ):
        load_generator(path)


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
