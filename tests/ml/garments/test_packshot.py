"""``prepare_packshot``: given landmarks win over estimated ones, and a partial set is completed
from the outline (a renderer needs every landmark of the garment's shape)."""

import pytest

from ml.errors import CannotRender
from ml.garments import GARMENT_LANDMARKS, draw_packshot, prepare_packshot
from ml.types import GarmentKind

SHOULDERS = {"shoulder_left": (250.0, 70.0), "shoulder_right": (130.0, 70.0)}


@pytest.fixture(scope="module")
def tee():
    return draw_packshot(kind=GarmentKind.TOP, colour=(40, 90, 160), style="tshirt", seed=3, size=(384, 288))


def test_a_partial_set_of_given_landmarks_is_completed_from_the_outline(tee):
    # given only the two shoulder points of a tee
    # when the packshot is prepared
    packshot = prepare_packshot(tee.image, GarmentKind.TOP, SHOULDERS)
    estimated = prepare_packshot(tee.image, GarmentKind.TOP)
    # then every landmark of a top is there, the given ones as given, the rest as estimated
    assert set(packshot.landmarks) == set(GARMENT_LANDMARKS["top"])
    assert {k: packshot.landmarks[k] for k in SHOULDERS} == SHOULDERS
    assert {k: v for k, v in packshot.landmarks.items() if k not in SHOULDERS} == {
        k: v for k, v in estimated.landmarks.items() if k not in SHOULDERS
    }


def test_a_complete_set_of_given_landmarks_is_kept_as_it_is(tee):
    # given every landmark of a top
    given = {k: (float(x), float(y)) for k, (x, y) in tee.landmarks.items()}
    # then they are the packshot's landmarks, unchanged
    assert prepare_packshot(tee.image, GarmentKind.TOP, given).landmarks == given


def test_partial_landmarks_on_an_outline_that_cannot_be_read_are_refused_with_what_is_missing(
    tee, monkeypatch
):
    # given an outline the estimate cannot read, and only the shoulders given
    import ml.garments.packshot as packshot_module

    def unreadable(*args, **kwargs):
        raise ValueError("no armpits")

    monkeypatch.setattr(packshot_module, "estimate_landmarks", unreadable)
    # then the refusal names the missing landmarks
    with pytest.raises(
        CannotRender,
        match=r"landmarks lack neckline_left, .*, hem_right, and its outline does not look enough like a top",
    ):
        prepare_packshot(tee.image, GarmentKind.TOP, SHOULDERS)
    # and without any given landmark the refusal is the outline's
    with pytest.raises(CannotRender, match=r"^The packshot's outline does not look like a top\.$"):
        prepare_packshot(tee.image, GarmentKind.TOP)
