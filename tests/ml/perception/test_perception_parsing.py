"""Parsing on every real photo, the label tables and the TorchScript plug-in."""

import numpy as np
import pytest
import torch

from ml.errors import InvalidModelFile
from ml.parsing import HeuristicParser, TorchScriptParser, make_parser
from ml.parsing.labels import ATR_LABELS, LIP_LABELS, merge_table
from ml.pose import PoseResult
from ml.types import KP, NUM_KEYPOINTS, ParsingClass

C = ParsingClass
GARMENTS = (C.UPPER_CLOTHES, C.PANTS, C.SKIRT)


@pytest.mark.slow
def test_parsing_covers_the_person_and_nothing_else(analyses):
    for name, analysis in analyses.items():
        person = analysis.person_mask >= 128
        labelled = analysis.parsing > 0
        assert analysis.parsing.shape == analysis.image.shape[:2], name
        assert analysis.parsing.dtype == np.uint8 and analysis.parsing.max() < 8, name
        # then no label outside the mask, and at least 97% of the mask labelled
        assert not (labelled & ~person).any(), name
        assert labelled[person].mean() > 0.97, name


@pytest.mark.slow
def test_upper_clothes_on_the_torso(analyses):
    for name, analysis in analyses.items():
        k = analysis.keypoints
        shoulders = (k[KP["right_shoulder"]] + k[KP["left_shoulder"]]) / 2
        hips = [k[KP[n]] for n in ("right_hip", "left_hip") if analysis.visible(n)]
        bottom = np.mean(hips, axis=0) if hips else shoulders + np.array([0.0, 0.25 * analysis.height])
        bottom[1] = min(bottom[1], analysis.height - 1)
        # the central column from 25% to 75% of the way from shoulders to hips
        ys = np.linspace(
            shoulders[1] + 0.25 * (bottom[1] - shoulders[1]),
            shoulders[1] + 0.75 * (bottom[1] - shoulders[1]),
            20,
        )
        xs = np.linspace(shoulders[0], bottom[0], 20)
        labels = analysis.parsing[ys.astype(int), xs.astype(int)]
        # hands resting in front of the body are allowed to cover part of the column
        not_hands = labels[labels != C.ARMS]
        assert len(not_hands) >= 10, (name, labels)
        assert (not_hands == C.UPPER_CLOTHES).mean() >= 0.8, (name, labels)


@pytest.mark.slow
def test_face_and_hair_around_the_head(analyses):
    with_face = {n: a for n, a in analyses.items() if a.visible("nose")}
    assert len(with_face) >= 33
    for name, analysis in with_face.items():
        x, y = analysis.keypoints[KP["nose"]].astype(int)
        patch = analysis.parsing[max(0, y - 3) : y + 4, max(0, x - 3) : x + 4]
        assert (patch == C.FACE).mean() >= 0.5, name
        assert (analysis.parsing == C.HAIR).sum() > 0.002 * analysis.parsing.size, name


@pytest.mark.slow
def test_garments_never_in_the_background_corners(analyses):
    for name, analysis in analyses.items():
        corners = [analysis.parsing[:10, :10], analysis.parsing[:10, -10:]]
        for corner in corners:
            assert not np.isin(corner, GARMENTS).any(), name


@pytest.mark.slow
def test_trousers_under_a_kurta_are_pants_and_dresses_have_no_pants(analyses):
    # given photos with light trousers under a kurta (06, 33, 34) and plain dresses (04, 20, 32)
    for name in ("onmodel_06", "onmodel_33", "onmodel_34"):
        assert (analyses[name].parsing == C.PANTS).sum() > 2000, name
    for name in ("onmodel_04", "onmodel_20", "onmodel_32"):
        parsing = analyses[name].parsing
        assert (parsing == C.PANTS).sum() < 0.01 * (parsing > 0).sum(), name
        assert (parsing == C.SKIRT).sum() == 0, name


@pytest.mark.slow
def test_bare_arms_and_legs_are_skin_classes(analyses):
    # 27: short puffed sleeves, hands on the hips; 04: bare shins
    assert (analyses["onmodel_27"].parsing == C.ARMS).sum() > 3000
    assert (analyses["onmodel_04"].parsing == C.LEGS).sum() > 2000


def synthetic_pose(width: int, height: int) -> PoseResult:
    keypoints = np.full((NUM_KEYPOINTS, 2), -1.0, np.float32)
    return PoseResult(
        keypoints=keypoints,
        scores=np.zeros(NUM_KEYPOINTS, np.float32),
        person_mask=np.zeros((height, width), np.uint8),
        found=False,
    )


def test_heuristic_parser_without_a_person_is_all_background():
    parser = HeuristicParser()
    labels = parser.predict(np.full((60, 40, 3), 128, np.uint8), synthetic_pose(40, 60))
    assert labels.shape == (60, 40)
    assert labels.max() == 0


def test_label_tables_merge_to_adgan_classes():
    lip = merge_table("lip")
    assert len(lip) == 20 and len(merge_table("atr")) == 18
    assert lip[LIP_LABELS.index("hat")] == C.HAIR
    assert lip[LIP_LABELS.index("sunglasses")] == C.FACE
    assert lip[LIP_LABELS.index("dress")] == C.UPPER_CLOTHES
    assert lip[LIP_LABELS.index("right_shoe")] == C.LEGS
    assert lip[LIP_LABELS.index("glove")] == C.ARMS
    assert lip[LIP_LABELS.index("skirt")] == C.SKIRT
    assert merge_table("atr")[ATR_LABELS.index("pants")] == C.PANTS
    assert merge_table("cihp").tolist() == lip.tolist()


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


def test_environment_selects_the_parser(monkeypatch, scripted_model):
    monkeypatch.delenv("ML_PARSER_MODEL", raising=False)
    assert isinstance(make_parser(), HeuristicParser)
    monkeypatch.setenv("ML_PARSER_MODEL", str(scripted_model))
    monkeypatch.setenv("ML_PARSER_LABELS", "CIHP")
    parser = make_parser()
    assert isinstance(parser, TorchScriptParser)
    assert parser.label_set == "cihp"
