import dataclasses

import numpy as np
import pytest

from ml.checks import body_coverage, estimate_view, pair_findings, photo_findings
from ml.types import KP, NUM_KEYPOINTS, BodyCoverage, GarmentKind, Severity, View


def skeleton(**points) -> np.ndarray:
    keypoints = np.full((NUM_KEYPOINTS, 2), -1.0, np.float32)
    for name, point in points.items():
        keypoints[KP[name]] = point
    return keypoints


FULL = skeleton(
    nose=(100, 40), right_eye=(95, 35), left_eye=(105, 35), neck=(100, 70),
    right_shoulder=(80, 70), left_shoulder=(120, 70), right_elbow=(75, 110), left_elbow=(125, 110),
    right_wrist=(72, 150), left_wrist=(128, 150), right_hip=(88, 160), left_hip=(112, 160),
    right_knee=(88, 230), left_knee=(112, 230), right_ankle=(88, 300), left_ankle=(112, 300),
)  # fmt: skip
UPPER = FULL.copy()
UPPER[[KP["right_knee"], KP["left_knee"], KP["right_ankle"], KP["left_ankle"]]] = -1


def test_full_body_coverage_and_front_view():
    assert body_coverage(FULL) == BodyCoverage(head=True, torso=True, arms=True, legs=True)
    scores = np.where(FULL[:, 0] >= 0, 0.99, 0.0).astype(np.float32)
    assert estimate_view(FULL, scores) == View.FRONT


def test_swapped_shoulders_without_a_face_is_a_back_view():
    back = FULL.copy()
    back[KP["right_shoulder"]], back[KP["left_shoulder"]] = (120, 70), (80, 70)
    back[[KP["nose"], KP["right_eye"], KP["left_eye"]]] = -1
    assert estimate_view(back, np.zeros(NUM_KEYPOINTS, np.float32)) == View.BACK


def test_narrow_shoulders_are_a_side_view():
    side = FULL.copy()
    side[KP["right_shoulder"]], side[KP["left_shoulder"]] = (98, 70), (104, 70)
    assert estimate_view(side, np.full(NUM_KEYPOINTS, 0.9, np.float32)) == View.SIDE


def codes(findings):
    return [f.code for f in findings]


def test_photo_findings_for_a_small_upper_body_photo_of_two_people():
    # given an upper-body skeleton, a person 20% of the photo high and two people
    mask = np.zeros((1000, 500), np.uint8)
    mask[100:300] = 255
    coverage = body_coverage(UPPER)
    # when checked
    findings = photo_findings(
        keypoints=UPPER, person_mask=mask, view=View.FRONT, coverage=coverage, people_count=2
    )
    # then
    assert codes(findings) == ["several_people", "person_small", "legs_not_visible"]
    assert findings[2].message == (
        "Only your upper body is visible: trousers and skirts cannot be shown on this photo."
    )


def test_photo_findings_for_a_good_photo_are_empty():
    mask = np.zeros((400, 300), np.uint8)
    mask[20:380] = 255
    findings = photo_findings(
        keypoints=FULL, person_mask=mask, view=View.FRONT, coverage=body_coverage(FULL), people_count=1
    )
    assert findings == ()


def test_tiny_person_is_an_error():
    mask = np.zeros((1000, 500), np.uint8)
    mask[100:200] = 255
    findings = photo_findings(
        keypoints=FULL, person_mask=mask, view=View.FRONT, coverage=body_coverage(FULL), people_count=1
    )
    assert [(f.code, f.severity) for f in findings] == [("person_too_small", Severity.ERROR)]


def analysis_like(analyses, keypoints, view=View.FRONT):
    base = analyses["onmodel_01"]
    return dataclasses.replace(
        base, keypoints=keypoints, coverage=body_coverage(keypoints), view=view, extras={}
    )


@pytest.mark.slow
def test_trousers_on_an_upper_body_photo_cannot_be_rendered(analyses):
    shopper = analysis_like(analyses, UPPER)
    findings = pair_findings(shopper, GarmentKind.BOTTOM)
    assert [(f.code, f.severity) for f in findings] == [("pair_no_legs", Severity.ERROR)]
    assert findings[0].message == (
        "Only your upper body is visible: trousers and skirts will be shown on the model instead."
    )
    # and a top on the same photo is fine
    assert pair_findings(shopper, GarmentKind.TOP) == []


@pytest.mark.slow
def test_trousers_are_refused_when_the_pose_put_both_hips_on_one_leg(analyses):
    # given a front photo whose hips are 6 px apart under shoulders 40 px apart (both legs on one)
    merged = FULL.copy()
    merged[KP["right_hip"]], merged[KP["left_hip"]] = (97, 160), (103, 160)
    shopper = analysis_like(analyses, merged)
    # when trousers, a dress and a top are checked against it
    # then only the trousers are refused, with the reason
    findings = pair_findings(shopper, GarmentKind.BOTTOM)
    assert [(f.code, f.severity) for f in findings] == [("pair_legs_merged", Severity.ERROR)]
    assert findings[0].message == (
        "We could not tell your legs apart in this photo, so trousers cannot be fitted to them. "
        "A photo standing with your feet a little apart works best."
    )
    assert pair_findings(shopper, GarmentKind.DRESS) == []
    assert pair_findings(shopper, GarmentKind.TOP) == []


@pytest.mark.slow
def test_hips_a_third_of_the_shoulders_apart_still_take_trousers(analyses):
    # given hips 14 px apart under shoulders 40 px apart (0.35, just over the limit)
    narrow = FULL.copy()
    narrow[KP["right_hip"]], narrow[KP["left_hip"]] = (93, 160), (107, 160)
    # when checked, then nothing is refused
    assert pair_findings(analysis_like(analyses, narrow), GarmentKind.BOTTOM) == []


@pytest.mark.slow
def test_back_view_cannot_show_any_product(analyses):
    shopper = analysis_like(analyses, FULL, view=View.BACK)
    for kind in GarmentKind:
        assert ("pair_back_view", Severity.ERROR) in [
            (f.code, f.severity) for f in pair_findings(shopper, kind)
        ]


@pytest.mark.slow
def test_real_upper_body_photos_refuse_trousers_and_full_photos_accept_them(analyses):
    # 15, 16 and 35 end around the hips; 04 and 20 show the whole body
    for name in ("onmodel_15", "onmodel_16", "onmodel_35"):
        assert "pair_no_legs" in codes(pair_findings(analyses[name], GarmentKind.BOTTOM)), name
        assert analyses[name].coverage.legs is False, name
    for name in ("onmodel_04", "onmodel_20"):
        assert pair_findings(analyses[name], GarmentKind.BOTTOM) == [], name
        assert pair_findings(analyses[name], GarmentKind.DRESS) == [], name
        assert analyses[name].coverage == BodyCoverage(head=True, torso=True, arms=True, legs=True), name


@pytest.mark.slow
def test_fixture_photos_are_front_views_of_one_person(analyses):
    assert sum(a.view == View.FRONT for a in analyses.values()) >= 32
    assert not any("several_people" in codes(a.findings) for a in analyses.values())
    assert not any(a.has_error for a in analyses.values())


@pytest.mark.slow
def test_analysis_survives_save_and_load(analyses):
    from ml.types import PhotoAnalysis

    original = analyses["onmodel_02"]
    loaded = PhotoAnalysis.load(original.to_bytes())
    assert np.array_equal(loaded.parsing, original.parsing)
    assert loaded.findings == original.findings
    assert loaded.analyzer_version == original.analyzer_version
    assert loaded.extras["perception.in_frame"].tolist() == original.extras["perception.in_frame"].tolist()
