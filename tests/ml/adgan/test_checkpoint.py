"""Saving and loading the generator: official, DataParallel and trimmed checkpoints; bad files
refused with a sentence."""

import pytest
import torch

from ml.adgan import load_generator, save_generator
from ml.errors import InvalidModelFile


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
