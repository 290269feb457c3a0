"""Her top's thin straps, which the parser calls skin, go with her top (warp-74): left on her bare
shoulders beside a new top or dress they read as "old cami straps visible"."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ml.render import get_renderer
from ml.render.warp import straps as warp_straps
from ml.render.warp.body import body_skeleton
from ml.render.warp.straps import thin_straps, without_straps
from ml.types import GarmentKind, GarmentSource, RenderRequest
from ml.types import ParsingClass as C
from tests.support.people import COLOURS, make_person

BLACK = (20, 20, 20)
RED = (220, 30, 40)
NECKLINE_ROW = 95  # the cami's and the new top's upper edge
STRAPS = (((86, NECKLINE_ROW), (80, 70)), ((114, NECKLINE_ROW), (120, 70)))
NECKLACE = ((92, 78), (100, 86), (108, 78))  # on her chest, clear of the cami
HANGING_HAIR = ((80, 40), (88, 76))  # her hair down beside her neck to her shoulder ...
STRAND = ((84, 76), (88, 96))  # ... and a strand of it on down over her chest to the cami
SHADOW = ((76, 96), (76, 110))  # down her arm beside the cami's side (her arm covers x 63-77 there)


def _bare_above_neckline(person):
    """``person`` with her top starting at ``NECKLINE_ROW``: skin (labelled face, as the parser has
    it) on her chest and shoulders above."""
    parsing = person.parsing.copy()
    image = person.image.copy()
    chest = (parsing == C.UPPER_CLOTHES) & (np.arange(parsing.shape[0])[:, None] < NECKLINE_ROW)
    parsing[chest] = C.FACE
    image[chest] = COLOURS[C.FACE]
    person.parsing, person.image = parsing, image
    return person


def _cami_shopper(straps: bool = True, necklace: bool = False, strand: bool = False, shadow: bool = False):
    shopper = _bare_above_neckline(make_person(upper=BLACK))
    image = shopper.image.copy()
    if straps:
        for a, b in STRAPS:
            cv2.line(image, a, b, BLACK, 2)
    if necklace:
        cv2.polylines(image, [np.array(NECKLACE, np.int32)], False, (230, 200, 60), 2)
    if strand:
        cv2.rectangle(image, *HANGING_HAIR, COLOURS[C.HAIR], -1)
        parsing = shopper.parsing.copy()
        cv2.rectangle(parsing, *HANGING_HAIR, int(C.HAIR), -1)
        shopper.parsing = parsing
        shopper.person_mask = ((parsing > 0) * 255).astype(np.uint8)
        cv2.line(image, STRAND[0], STRAND[1], COLOURS[C.HAIR], 2)
    if shadow:
        cv2.line(image, SHADOW[0], SHADOW[1], (90, 70, 60), 2)
    shopper.image = image
    return shopper


def _drawn(shopper) -> np.ndarray:
    """Pixels drawn over her skin (straps, necklace, strand): differing from the skin's colour."""
    drawn = np.zeros(shopper.parsing.shape, bool)
    for skin in (C.FACE, C.ARMS):
        off = np.abs(shopper.image.astype(int) - COLOURS[skin]).max(axis=2) > 0
        drawn |= (shopper.parsing == skin) & off
    return drawn


def test_the_straps_are_found_on_her_skin_and_nothing_else():
    # given a shopper in a black cami whose thin straps the parser labelled skin
    shopper = _cami_shopper()
    # when her straps are looked for
    found = thin_straps(shopper, body_skeleton(shopper))
    # then they are the strap pixels on her skin, all but the row touching her top (a dark line
    # there is the top's edge; painting grows the straps over it)
    straps = _drawn(shopper)
    touching = straps & (
        cv2.dilate((shopper.parsing == C.UPPER_CLOTHES).astype(np.uint8), np.ones((3, 3))) > 0
    )
    assert int(touching.sum()) == 6
    assert np.array_equal(found, straps & ~touching)


@pytest.mark.parametrize(
    "drawn", ["necklace", "strand", "shadow"], ids=["necklace", "strand of hair", "shadow beside her top"]
)
def test_a_necklace_a_strand_of_hair_or_a_shadow_is_no_strap(drawn):
    # given the shopper without straps, wearing a necklace, with a strand of hair over her chest, or
    # with a dark line down her arm beside her top (skin on one side of it only)
    shopper = _cami_shopper(straps=False, **{drawn: True})
    assert _drawn(shopper).sum() > 20
    # when her straps are looked for
    found = thin_straps(shopper, body_skeleton(shopper))
    # then none are found
    assert int(found.sum()) == 0


def test_her_straps_are_painted_in_her_skin_and_nothing_else_changes():
    # given the shopper in the cami
    shopper = _cami_shopper()
    straps = _drawn(shopper)
    # when her straps are painted over
    painted = without_straps(shopper, body_skeleton(shopper))
    # then they are her skin's colour, every pixel farther than 2 px from them is as it was, and her
    # photo is untouched
    skin = np.minimum(*(np.abs(painted.image.astype(int) - COLOURS[c]).max(axis=2) for c in (C.FACE, C.ARMS)))
    assert int(skin[straps].max()) <= 5
    grown = cv2.dilate(straps.astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))) > 0
    assert np.array_equal(painted.image[~grown], shopper.image[~grown])
    assert int(skin[grown & np.isin(shopper.parsing, (C.FACE, C.ARMS))].max()) <= 5
    assert np.array_equal(painted.parsing, shopper.parsing)


def _dark_above_neckline(image: np.ndarray) -> int:
    band = image[60:NECKLINE_ROW]
    return int((band.max(axis=2) < 80).sum())


@pytest.mark.parametrize(("removed", "dark"), [(True, 0), (False, 148)])
def test_a_new_top_leaves_no_strap_on_her_shoulders(monkeypatch, removed, dark):
    # given the shopper in the cami and a product model in a red top cut as straight across
    shopper = _cami_shopper()
    product = _bare_above_neckline(make_person(upper=RED))
    if not removed:  # as before warp-74
        monkeypatch.setattr(warp_straps, "without_straps", lambda analysis, dst: analysis)
    # when the top is rendered on her
    garment = GarmentSource(kind=GarmentKind.TOP, analysis=product)
    result = get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))
    # then nothing dark is left on her shoulders above the new top's neckline
    assert _dark_above_neckline(result.image) == dark


def test_a_new_bottom_leaves_her_cami_and_its_straps_alone():
    # given the shopper in the cami and a product model in blue trousers
    shopper = _cami_shopper()
    product = make_person(upper=None, pants=(40, 60, 200))
    # when the trousers are rendered on her
    garment = GarmentSource(kind=GarmentKind.BOTTOM, analysis=product)
    result = get_renderer("warp").render(RenderRequest(shopper=shopper, garments=(garment,)))
    # then her straps are where they were
    straps = _drawn(shopper)
    assert np.array_equal(result.image[straps], shopper.image[straps])
