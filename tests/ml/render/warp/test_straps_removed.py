"""warp-97: her old top's straps, removed, are painted as the skin beside them, and a strap's end
over the shoulder goes with the strap.

Painted like the rest of a removed top (a body model's shaded cylinders, her skin tone's range,
blended with the background past the model's edge), a strap on her shaded shoulder came out as
"a beige ghost with black tips": lighter than the skin beside it, and its end above the shoulder
line, kept as possibly hair, stayed black.
"""

from __future__ import annotations

import numpy as np

from ml.render.warp import WarpRenderer
from ml.render.warp.body import TUNING, body_skeleton, clean_plate, skin_tone, thin_strips
from ml.types import ParsingClass as C
from tests.support.people import make_person

SHADED_SKIN = (160, 118, 90)  # her chest in shade: darker than her skin tone by more than its range
CAMI = (20, 20, 24)
CAMI_TOP = 100
STRAP_X = 88


def _shopper_in_a_cami():
    """The figure with her chest bare and in shade above a black cami (from ``CAMI_TOP`` down), a
    2-px strap of it going up her chest to the top of her shoulder. Returns it and the strap."""
    shopper = make_person(upper=CAMI)
    torso = shopper.parsing == C.UPPER_CLOTHES
    rows = np.arange(shopper.parsing.shape[0])[:, None]
    chest = torso & (rows < CAMI_TOP)
    shopper.parsing[chest] = C.FACE
    shopper.image[chest] = SHADED_SKIN
    strap = np.zeros(chest.shape, bool)
    strap[69:CAMI_TOP, STRAP_X : STRAP_X + 2] = True
    shopper.parsing[strap] = C.UPPER_CLOTHES
    shopper.image[strap] = CAMI
    return shopper, strap


def test_a_removed_strap_is_painted_as_the_shaded_skin_beside_it():
    # given a shopper in a black cami whose strap crosses her chest in shade, darker than her tone's range
    shopper, strap = _shopper_in_a_cami()
    assert (skin_tone(shopper) - TUNING.skin_range > np.array(SHADED_SKIN)).any()
    # when her garments are replaced by the clean plate
    plate = clean_plate(shopper, body_skeleton(shopper))
    # then the strap is the skin beside it, within a few levels in every channel
    painted = plate[strap].astype(np.float32).mean(axis=0)
    assert np.abs(painted - np.array(SHADED_SKIN)).max() <= 6


def test_only_thin_pieces_with_skin_round_them_are_strips():
    # given the cami's strap, and the same strap moved to lie along her outline with the background
    # on one side (a garment's fringe)
    shopper, strap = _shopper_in_a_cami()
    removed = shopper.parsing == C.UPPER_CLOTHES
    span = 50.0
    # when the thin strips of what is removed are found
    strips = thin_strips(removed, shopper.parsing, span)
    # then the strap is one (but for the row where it meets the cami, which the opening keeps),
    # and none of the cami's wide body is (its hem's two corner pixels, which an opening cuts, aside)
    assert strips[: CAMI_TOP - 1][strap[: CAMI_TOP - 1]].all()
    assert not strips[CAMI_TOP + 3 : 210].any()
    assert int(strips[210:].sum()) <= 2
    # and a 2-px line along her arm's outer edge (half its rim background) is none
    fringe = np.zeros(removed.shape, bool)
    arm = shopper.parsing == C.ARMS
    rows = slice(80, 110)
    outer = np.argmax(arm[rows], axis=1)
    for offset, x in enumerate(outer):
        fringe[80 + offset, x : x + 2] = True
    parsing = shopper.parsing.copy()
    parsing[fringe] = C.UPPER_CLOTHES
    assert not thin_strips(fringe, parsing, span).any()


def test_a_straps_end_above_the_shoulder_line_goes_with_it_and_a_wide_piece_stays():
    # given her removed top below the shoulder line, a 2-px strap end above it joined to it, and a
    # wide piece above the line beside it (hair or a collar the parser called the top)
    shopper, _strap = _shopper_in_a_cami()
    shape = shopper.parsing.shape
    old = np.zeros(shape, bool)
    old[80:120, 76:124] = True
    end = np.zeros(shape, bool)
    end[66:80, STRAP_X : STRAP_X + 2] = True
    wide = np.zeros(shape, bool)
    wide[66:80, 104:118] = True
    # when the strap ends are looked for
    tops = WarpRenderer._strap_tops(old, end | wide, shopper)
    # then the strap's end is one, and the wide piece is not
    assert tops[end].all()
    assert not tops[wide].any()
