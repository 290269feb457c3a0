"""A dark cuff of the shopper's old top, parsed as her arm at the wrist, is no hand kept in front of
a new garment; the hand itself still is (warp-9)."""

from __future__ import annotations

import cv2
import numpy as np

from ml.render.warp import WarpRenderer
from ml.render.warp.body import body_skeleton
from ml.types import ParsingClass as C
from tests.ml.render.warp_people import COLOURS, make_person

BLACK = (20, 20, 20)


def _cuffed(cuff_colour=BLACK):
    """A shopper in a black top whose hands (skin discs past the wrists) are parsed as arms, as
    is a band of ``cuff_colour`` around each wrist."""
    shopper = make_person(upper=BLACK)
    hands = np.zeros(shopper.parsing.shape, np.uint8)
    for x in (64, 136):
        cv2.circle(hands, (x, 164), 6, 1, -1)
    hands = hands > 0
    shopper.parsing[hands] = C.ARMS
    shopper.image[hands] = COLOURS[C.ARMS]
    shopper.person_mask[hands] = 255
    cuffs = np.zeros(hands.shape, bool)
    cuffs[153:159] = True  # around the wrists (y 155), between the sleeves' ends and the hands
    cuffs &= (shopper.parsing == C.ARMS) & ~hands
    shopper.image[cuffs] = cuff_colour
    return shopper, cuffs, hands


def _inner(mask: np.ndarray) -> np.ndarray:
    return cv2.erode(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0


def test_a_dark_cuff_parsed_as_the_arm_is_not_kept_in_front_and_the_hand_is():
    # given a shopper with black cuffs (parsed as her arms) around her wrists
    shopper, cuffs, hands = _cuffed()
    assert _inner(cuffs).sum() > 20
    # when the parts kept in front of a new garment are found
    front = WarpRenderer._front_parts(shopper, body_skeleton(shopper)) > 0
    # then no pixel inside the cuffs is in front
    assert not (front & _inner(cuffs)).any()
    # and every pixel inside the hands is
    assert np.array_equal(front & _inner(hands), _inner(hands))


def test_a_skin_coloured_wrist_stays_in_front():
    # given the same shopper whose "cuffs" are bare skin
    shopper, cuffs, hands = _cuffed(cuff_colour=COLOURS[C.ARMS])
    # when the parts kept in front of a new garment are found
    front = WarpRenderer._front_parts(shopper, body_skeleton(shopper)) > 0
    # then the wrists are in front as before, with the hands
    wrist = _inner(cuffs)
    assert wrist.sum() > 20
    assert np.array_equal(front & wrist, wrist)
    assert np.array_equal(front & _inner(hands), _inner(hands))
