"""The garment kind of an on-model photo (``ml.evaluate.infer_kind``): a long dress is a dress even
when the pose model misses a knee under it (warp-9)."""

from __future__ import annotations

import pytest

from ml.evaluate import infer_kind
from ml.types import GarmentKind
from tests.support.people import make_person


def test_a_dress_to_the_knees_is_a_dress_with_one_knee_hidden():
    # given a shopper whose top reaches her knees and whose right knee the pose model missed
    shopper = make_person(upper_to=1.0, missing=("right_knee",))
    # when her photo's garment kind is inferred
    kind = infer_kind(shopper)
    # then it is a dress
    assert kind == GarmentKind.DRESS


def test_a_top_to_the_hips_stays_a_top_with_one_knee_hidden():
    # given the same shopper in a top that ends at her hips
    shopper = make_person(upper_to=0.1, missing=("right_knee",))
    # when her photo's garment kind is inferred
    kind = infer_kind(shopper)
    # then it is a top
    assert kind == GarmentKind.TOP


def test_a_long_top_without_any_knee_seen_is_not_called_a_dress():
    # given a shopper in a knee-length top on a photo where neither knee was found
    shopper = make_person(upper_to=1.0, missing=("right_knee", "left_knee"))
    # when her photo's garment kind is inferred
    kind = infer_kind(shopper)
    # then its length tells nothing: it is a top
    assert kind == GarmentKind.TOP


@pytest.mark.slow
def test_the_long_dress_of_onmodel_21_is_a_dress(real_analyses):
    # given onmodel_21 in a long dress (the pose model misses her right knee)
    dress = real_analyses["onmodel_21"]
    # when its garment kind is inferred
    kind = infer_kind(dress)
    # then it is a dress
    assert kind == GarmentKind.DRESS
