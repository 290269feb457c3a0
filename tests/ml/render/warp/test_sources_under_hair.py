"""warp-22: long hair over one side of an on-model garment: behind it the garment is its mirror
image across the model's body axis (it was a hole, and the shopper's old clothes or painted skin
showed through in blocks)."""

import numpy as np

from ml.render.warp.body import body_skeleton
from ml.render.warp.sources import OnModelSource, _garment_under_hair
from ml.types import GarmentKind
from ml.types import ParsingClass as C
from tests.support.people import make_person

RED = (220, 30, 40)
GREEN = (40, 160, 60)
HAIR = (60, 40, 30)


def _model_with_a_lock_over_her_left_side():
    """The figure in a top, red on its left half (image right) and green on its right; a lock of
    hair from her head over her left shoulder and chest runs out past the torso's side."""
    model = make_person(upper=RED)
    top = model.parsing == C.UPPER_CLOTHES
    model.image[top & (np.arange(200)[None, :] < 100)] = GREEN
    lock = np.zeros(model.parsing.shape, bool)
    lock[40:125, 108:140] = True
    lock &= model.parsing != C.FACE
    model.parsing[lock] = C.HAIR
    model.image[lock] = HAIR
    return model, lock


def _behind_and_outside(lock: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The lock's part inside the torso (clear of her arm's mirror image) and its part past the
    torso's side, where the other side has no top; both below the shoulders."""
    behind = lock.copy()
    behind[:, 116:] = False
    behind[:76] = False
    outside = lock.copy()
    outside[:, :134] = False
    outside[:76] = False
    return behind, outside


def _assert_drawn_from_the_other_side(layer, behind: np.ndarray) -> None:
    assert behind.sum() > 300
    assert (layer.alpha[behind] > 0.9).all()
    colours = layer.image[behind].astype(int)
    assert (np.abs(colours - GREEN).max(axis=1) <= 10).mean() > 0.95


def test_the_top_behind_her_hair_is_drawn_from_its_other_side():
    # given a model whose lock of hair covers part of her top's left half
    model, lock = _model_with_a_lock_over_her_left_side()
    # when the top is cut out of the photo
    layer = OnModelSource(model, GarmentKind.TOP).layer
    # then behind the hair, inside the torso, the top is there in its mirrored side's colour
    behind, outside = _behind_and_outside(lock)
    _assert_drawn_from_the_other_side(layer, behind)
    # and the hair past the torso's side, where the other side has no top, is not taken
    assert outside.sum() > 200
    assert (layer.alpha[outside] < 0.05).all()


def test_hair_beside_a_garment_that_has_nothing_mirrored_under_it_is_left_alone():
    # given the model with her hair kept on her head (no hair over the top)
    model = make_person(upper=RED)
    garment = model.parsing == C.UPPER_CLOTHES
    # when the garment under her hair is looked for
    image, under = _garment_under_hair(model.image, garment, model.parsing == C.HAIR, body_skeleton(model))
    # then nothing is painted
    assert not under.any()
    assert np.array_equal(image, model.image)


def test_a_lock_of_hair_the_parser_called_garment_is_not_cut_out_with_the_garment():
    # given the model whose lock over her left side is labelled as her top (the parser's commonest
    # mistake with hair over a garment), in the colour of the hair on her head
    model, lock = _model_with_a_lock_over_her_left_side()
    model.parsing[lock] = C.UPPER_CLOTHES
    head_hair = model.image[model.parsing == C.HAIR]
    assert len(head_hair) > 100 and (head_hair == model.image[lock][0]).all()
    # when the top is cut out of the photo
    layer = OnModelSource(model, GarmentKind.TOP).layer
    # then no hair-coloured pixel is left in the garment: behind the lock, inside the torso, the
    # top is drawn from its other side (green), as behind hair the parser labels hair
    behind, outside = _behind_and_outside(lock)
    _assert_drawn_from_the_other_side(layer, behind)
    # and past the torso's side, where the other side has no top, the lock is not taken (but for
    # its square corner, which the recovered hair's outline rounds off: 12 px of 246)
    assert outside.sum() > 200
    assert (layer.alpha[outside] >= 0.05).sum() <= 12
