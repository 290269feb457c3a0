"""The TorchScript parser plug-in and the environment that selects it."""

import numpy as np
import pytest
import torch

from ml.errors import InvalidModelFile
from ml.parsing import HeuristicParser, TorchScriptParser, make_parser
from ml.types import ParsingClass

C = ParsingClass


class HalfAndHalf(torch.nn.Module):
    """LIP logits: upper half 'upper_clothes' (5), lower half 'pants' (9), at half resolution."""

    def __init__(self, classes: int = 20):
        super().__init__()
        self.classes = classes

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, _, h, w = x.shape
        out = torch.zeros(b, self.classes, h // 2, w // 2)
        out[:, 5, : h // 4] = 1.0
        out[:, 9, h // 4 :] = 1.0
        return out


@pytest.fixture
def scripted_model(tmp_path):
    path = tmp_path / "lip.pt"
    torch.jit.script(HalfAndHalf()).save(str(path))
    return path


def test_torchscript_parser_maps_lip_labels(scripted_model):
    # given a tiny scripted LIP model
    parser = TorchScriptParser(scripted_model, label_set="lip", input_size=(64, 48))
    # when a 90x60 photo is parsed
    labels = parser.predict(np.zeros((90, 60, 3), np.uint8))
    # then labels are at the photo's size, merged to ADGAN classes
    assert labels.shape == (90, 60)
    assert labels[10, 30] == C.UPPER_CLOTHES
    assert labels[80, 30] == C.PANTS
    assert set(np.unique(labels).tolist()) == {int(C.UPPER_CLOTHES), int(C.PANTS)}


def test_torchscript_parser_refuses_a_model_of_the_wrong_label_set(scripted_model):
    parser = TorchScriptParser(scripted_model, label_set="atr", input_size=(32, 32))
    with pytest.raises(InvalidModelFile, match="returns 20 classes but the ATR label set has 18"):
        parser.predict(np.zeros((40, 40, 3), np.uint8))


def test_torchscript_parser_refuses_missing_and_broken_files(tmp_path):
    with pytest.raises(InvalidModelFile, match="does not exist"):
        TorchScriptParser(tmp_path / "none.pt")
    broken = tmp_path / "broken.pt"
    broken.write_bytes(b"not a model")
    with pytest.raises(InvalidModelFile, match="not a TorchScript file"):
        TorchScriptParser(broken).predict(np.zeros((20, 20, 3), np.uint8))
    with pytest.raises(InvalidModelFile, match="Unknown parsing label set"):
        TorchScriptParser(broken, label_set="coco")


def test_the_configuration_selects_the_parser(ml_config, scripted_model):
    ml_config(parser_model="")
    assert isinstance(make_parser(), HeuristicParser)
    ml_config(parser_model=str(scripted_model), parser_labels="cihp")
    parser = make_parser()
    assert isinstance(parser, TorchScriptParser)
    assert parser.label_set == "cihp"
