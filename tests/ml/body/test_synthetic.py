"""The benchmark's synthetic bodies: the clothes they wear, and the floor those clothes set for any
fit that sees only the outline (``ease_floor_cm``)."""

import math

import numpy as np
import pytest

from ml.body.observe import EASE_CM
from ml.body.synthetic import MISJUDGED_FIT, SyntheticBody, ease_floor_cm, stated_fit
from ml.body.types import ClothesFit
from ml.types import ParsingClass

TOP_EASE = EASE_CM[int(ParsingClass.UPPER_CLOTHES)]
TROUSERS_EASE = EASE_CM[int(ParsingClass.PANTS)]


def _body(outfit: str, clothes_cm: dict[str, float]) -> SyntheticBody:
    return SyntheticBody(
        height_cm=170.0,
        weight_kg=60.0,
        phenotypes={},
        local_changes={},
        truth={"chest": 90.0, "waist": 75.0, "hips": 95.0},
        views={},
        outfit=outfit,
        clothes_cm=clothes_cm,
    )


def test_a_bare_body_has_no_floor():
    assert ease_floor_cm(_body("bare", {})) == {"chest": 0.0, "waist": 0.0, "hips": 0.0}


def test_a_top_and_trousers_set_a_floor_of_two_pi_times_their_ease_missed():
    # given a body in a loose top (3.2 cm a side) and slim trousers (0.5 cm a side)
    body = _body("top and trousers", {"top": 3.2, "trousers": 0.5, "flare": 9.0, "hem": 0.3})
    # when the floor is worked out
    floor = ease_floor_cm(body)
    # then chest and waist miss by 2 pi times the top's ease less the guessed ease, the hips by the
    # trousers'
    assert floor["chest"] == pytest.approx(2 * math.pi * (3.2 - TOP_EASE))
    assert floor["waist"] == floor["chest"]
    assert floor["hips"] == pytest.approx(2 * math.pi * (TROUSERS_EASE - 0.5))


def test_a_dress_sets_no_floor_for_the_hips_its_skirt_hides():
    floor = ease_floor_cm(_body("dress", {"top": 1.0, "trousers": 1.0, "flare": 9.0, "hem": 0.3}))
    assert floor == {
        "chest": pytest.approx(2 * math.pi * (TOP_EASE - 1.0)),
        "waist": floor["chest"],
        "hips": 0.0,
    }


@pytest.mark.slow
def test_a_drawn_body_keeps_the_clothes_it_was_dressed_in():
    from ml.body.model import get_body_model
    from ml.body.synthetic import TOP_WIDENS_CM, TROUSERS_WIDEN_CM, draw_body

    model = get_body_model()
    bare = draw_body(model, np.random.default_rng(5), outfit="bare")
    dressed = draw_body(model, np.random.default_rng(5), outfit="top and trousers")
    assert bare.clothes_cm == {}
    assert TOP_WIDENS_CM[0] <= dressed.clothes_cm["top"] <= TOP_WIDENS_CM[1]
    assert TROUSERS_WIDEN_CM[0] <= dressed.clothes_cm["trousers"] <= TROUSERS_WIDEN_CM[1]
    assert ease_floor_cm(dressed)["chest"] == pytest.approx(
        2 * math.pi * abs(dressed.clothes_cm["top"] - TOP_EASE)
    )


class _Rolls:
    """A generator stand-in: ``random()`` gives these values in turn, ``choice`` the first option."""

    def __init__(self, *values: float) -> None:
        self.values = list(values)

    def random(self) -> float:
        return self.values.pop(0)

    def choice(self, options):
        return options[0]


def test_a_body_names_the_third_of_the_range_its_clothes_fall_in():
    # given rolls above the misjudging chance: each word is the garment's own third
    judged = 1.0 - (1.0 - MISJUDGED_FIT) / 2
    assert stated_fit({"top": 0.9, "trousers": 1.9}, _Rolls(judged, judged)) == ClothesFit("fitted", "loose")
    assert stated_fit({"top": 2.0, "trousers": 1.2}, _Rolls(judged, judged)) == ClothesFit(
        "regular", "regular"
    )
    assert stated_fit({"top": 3.2, "trousers": 0.5}, _Rolls(judged, judged)) == ClothesFit("loose", "fitted")


def test_a_misjudging_body_names_a_neighbouring_word():
    # given rolls under the misjudging chance
    misjudged = MISJUDGED_FIT / 2
    # then a fitted or loose garment is called regular, a regular one a word beside it
    assert stated_fit({"top": 0.9, "trousers": 1.9}, _Rolls(misjudged, misjudged)) == ClothesFit(
        "regular", "regular"
    )
    assert stated_fit({"top": 2.0, "trousers": 1.2}, _Rolls(misjudged, misjudged)).top == "fitted"
