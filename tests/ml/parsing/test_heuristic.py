"""Parsing on every real photo (the heuristic parser by default) and without a person."""

import numpy as np
import pytest

from ml.parsing import HeuristicParser
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
