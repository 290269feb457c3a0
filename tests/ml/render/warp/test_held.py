"""What the product model holds or wears on her feet, labelled as her garment, is not cut out with it
(warp-69): a handbag hanging from her hand is taken for something in front of the garment, which
goes on behind it; her feet under the hem are left out."""

from __future__ import annotations

import numpy as np
import pytest

from ml.render.warp.body import body_skeleton
from ml.render.warp.held import TUNING, held_things
from ml.render.warp.sources import OnModelSource, _span
from ml.types import GarmentKind
from ml.types import ParsingClass as C
from tests.support.people import COLOURS, DRESS, make_person

TAN = (170, 95, 45)
WHITE_DOT = (235, 235, 240)
# her right hand in front of the dress, and the bag of the constructed photo hanging from it
HAND_ON_DRESS = {"right_elbow": (72.0, 118.0), "right_wrist": (86.0, 152.0)}
BAG = (slice(165, 195), slice(74, 98))
# a dress down past her knees
LONG = 1.6


def _dress_with_dots(upper_to: float = LONG, pose=None):
    """A blue dress with a white grid printed all over it: colours spread across the garment."""
    analysis = make_person(upper=DRESS, upper_to=upper_to, pose=pose)
    dress = analysis.parsing == C.UPPER_CLOTHES
    grid = dress & (np.add.outer(np.arange(300) % 12 < 2, np.arange(200) % 12 < 2))
    analysis.image[grid] = WHITE_DOT
    return analysis


def _holding_a_bag():
    analysis = _dress_with_dots(pose=HAND_ON_DRESS)
    analysis.image[BAG] = TAN
    analysis.parsing[BAG] = C.UPPER_CLOTHES  # as the parsers label a bag in front of a dress
    analysis.person_mask[BAG] = 255
    bag = np.zeros(analysis.parsing.shape, bool)
    bag[BAG] = True
    return analysis, bag


def _held(analysis):
    garment = analysis.parsing == C.UPPER_CLOTHES
    return held_things(analysis, garment, _span(body_skeleton(analysis))), garment


def test_a_bag_hanging_from_her_hand_in_front_of_the_dress_is_held():
    # given a model in a dotted dress holding a tan bag in front of it, parsed as the dress
    analysis, bag = _holding_a_bag()
    # when what she holds is looked for
    held, garment = _held(analysis)
    # then the bag is held, all of it below her hand's reach of her sleeve, and nothing of the
    # dress beyond its blended outline ...
    below_hand = bag.copy()
    below_hand[: 152 + round(TUNING.sleeve_reach * 50)] = False
    assert below_hand.sum() >= 0.8 * bag.sum()
    assert held.in_hands[below_hand].all()
    grown = np.zeros_like(bag)
    grown[BAG[0].start - 3 : BAG[0].stop + 3, BAG[1].start - 3 : BAG[1].stop + 3] = True
    assert not (held.in_hands & ~grown).any()
    # ... and nothing is taken for her feet
    assert not held.on_feet.any()
    assert garment[bag].all()


def test_the_dress_goes_on_behind_the_bag_in_its_own_colours():
    # given the model holding the bag in front of her dress
    analysis, bag = _holding_a_bag()
    # when the dress is cut out of the photo
    layer = OnModelSource(analysis, GarmentKind.DRESS).layer
    inner = np.zeros_like(bag)
    inner[BAG[0].start + 2 : BAG[0].stop - 2, BAG[1].start + 2 : BAG[1].stop - 2] = True
    # then the dress covers where the bag was ...
    assert float(layer.alpha[inner].min()) >= 0.95
    # ... drawn in the dress's blue, its white print and their blends, not the bag's tan
    colours = layer.image[inner].astype(float)
    blue, white = np.array(DRESS, float), np.array(WHITE_DOT, float)
    along = np.clip((colours - blue) @ (white - blue) / float((white - blue) @ (white - blue)), 0, 1)
    off_print = np.linalg.norm(colours - (blue + along[:, None] * (white - blue)), axis=1)
    assert float(off_print.max()) <= 20
    assert float(np.abs(colours - np.array(TAN)).max(axis=1).min()) > 60


def test_a_motif_of_the_print_near_her_hand_smaller_than_a_held_thing_stays_the_garments():
    # given a dotted dress with one small tan motif beside her wrist, smaller than a held thing
    analysis = _dress_with_dots()
    motif = np.zeros(analysis.parsing.shape, bool)
    motif[165:170, 80:85] = True
    analysis.image[motif] = TAN
    garment = analysis.parsing == C.UPPER_CLOTHES
    assert motif.sum() < TUNING.min_share * garment.sum()
    # when what she holds is looked for
    held, _ = _held(analysis)
    # then nothing is taken out of the dress
    assert not held.in_hands.any()
    assert not held.on_feet.any()


def test_a_long_shade_of_the_fabric_running_down_from_her_hand_stays_the_garments():
    # given a dotted dress with a long fold in a darker shade of its blue running down from her hand
    analysis = _dress_with_dots(pose=HAND_ON_DRESS)
    fold = np.zeros(analysis.parsing.shape, bool)
    fold[160:250, 84:92] = True
    fold &= analysis.parsing == C.UPPER_CLOTHES
    analysis.image[fold] = (20, 30, 110)
    # when what she holds is looked for
    held, _ = _held(analysis)
    # then the fold is not taken for a thing in her hand
    assert fold.sum() > 600
    assert not held.in_hands.any()
    assert not held.on_feet.any()


def test_a_sleeves_cuff_in_another_colour_at_her_hand_is_not_held():
    # given a dress with long sleeves whose cuffs, at her hands, are a broad band of cream lace
    analysis = make_person(upper=DRESS, upper_to=LONG, sleeves=True)
    sleeve = analysis.parsing == C.UPPER_CLOTHES
    cuffs = sleeve & (np.arange(300)[:, None] >= 128) & (np.arange(300)[:, None] <= 162)
    cuffs &= (np.arange(200)[None, :] < 72) | (np.arange(200)[None, :] > 128)
    analysis.image[cuffs] = (225, 215, 180)
    # when what she holds is looked for
    held, garment = _held(analysis)
    # then her cuffs stay the dress's
    assert cuffs.sum() >= TUNING.min_share * garment.sum()
    assert not held.in_hands.any()
    assert not held.on_feet.any()


def test_a_plain_dress_without_anything_held_loses_nothing():
    # given a model in a plain dress, her hands empty
    analysis = make_person(upper=DRESS, upper_to=LONG)
    # when what she holds is looked for
    held, _ = _held(analysis)
    # then nothing is found
    assert not held.in_hands.any()
    assert not held.on_feet.any()


def test_her_foot_under_a_long_hem_labelled_as_the_dress_is_not_cut_out_with_it():
    # given a dress to her ankles, with her right foot (in her skin's colour) parsed as the dress
    analysis = _dress_with_dots(upper_to=2.0)
    foot = np.zeros(analysis.parsing.shape, bool)
    foot[262:274, 76:92] = True
    analysis.image[foot] = COLOURS[C.LEGS]
    analysis.parsing[foot] = C.UPPER_CLOTHES
    # when what she wears on her feet is looked for, and the dress cut out
    held, _ = _held(analysis)
    layer = OnModelSource(analysis, GarmentKind.DRESS).layer
    # then her foot is on her feet, not held, and the cut-out leaves it out
    assert held.on_feet[foot].mean() >= 0.9
    assert not held.in_hands.any()
    inner = np.zeros_like(foot)
    inner[264:272, 78:90] = True
    assert float(layer.alpha[inner].max()) <= 0.05


@pytest.mark.slow
def test_the_handbag_of_a_real_product_photo_is_held_and_her_dress_is_not(analyses):
    # given the tune photo whose model holds an orange handbag in front of her floral dress
    analysis = analyses["onmodel_19"]
    garment = np.isin(analysis.parsing, (C.UPPER_CLOTHES, C.SKIRT))
    # when what she holds is looked for
    held = held_things(analysis, garment, _span(body_skeleton(analysis)))
    # then a piece below her hands, orange, and a tenth or so of what was labelled garment, is held
    share = held.in_hands.sum() / garment.sum()
    assert 0.08 <= share <= 0.2
    ys, _ = np.nonzero(held.in_hands)
    wrists = [analysis.keypoints[i][1] for i in (4, 7)]
    assert float(np.median(ys)) > max(wrists)
    red, green, blue = (analysis.image[held.in_hands].astype(int).mean(axis=0)).tolist()
    assert red > green + 30 > blue + 30
    # and on a product photo with nothing in her hands nothing is taken
    plain = analyses["onmodel_24"]
    plain_garment = np.isin(plain.parsing, (C.UPPER_CLOTHES, C.SKIRT))
    nothing = held_things(plain, plain_garment, _span(body_skeleton(plain)))
    assert not nothing.in_hands.any() and not nothing.on_feet.any()
