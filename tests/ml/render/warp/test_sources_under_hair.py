"""warp-22: long hair over one side of an on-model garment: behind it the garment is its mirror
image across the model's body axis (it was a hole, and the shopper's old clothes or painted skin
showed through in blocks)."""

import numpy as np

from ml.render.warp import sources
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


RIGHT_ARM_RAISED = {"right_elbow": (40, 80), "right_wrist": (20, 45)}  # the upper arm out and up


def _model_with_her_right_sleeve_raised_and_hair_on_her_left_shoulder(pose: dict | None):
    """The figure in a red top with long sleeves, her right sleeve green (raised with ``pose``), and
    a lock of hair over her left shoulder where the raised sleeve's mirror image lands."""
    model = make_person(upper=RED, sleeves=True, pose=pose)
    right_sleeve = (model.parsing == C.UPPER_CLOTHES) & (np.arange(200)[None, :] < 76)
    model.image[right_sleeve] = GREEN
    lock = np.zeros(model.parsing.shape, bool)
    lock[62:92, 128:166] = True
    lock &= model.parsing != C.FACE
    model.parsing[lock] = C.HAIR
    model.image[lock] = HAIR
    return model, lock


def _green_behind(layer, lock: np.ndarray) -> int:
    green = np.abs(layer.image.astype(int) - GREEN).max(axis=2) <= 10
    return int(
        (green[: lock.shape[0], : lock.shape[1]] & lock & (layer.alpha[:, : lock.shape[1]] > 0.5)).sum()
    )


def test_behind_her_hair_the_other_sleeve_is_mirrored_only_when_her_arms_are_posed_alike():
    # given a model with both arms hanging, and one with her right arm raised, each with a lock of
    # hair over her left shoulder and her right sleeve green
    hanging, hanging_lock = _model_with_her_right_sleeve_raised_and_hair_on_her_left_shoulder(None)
    raised, raised_lock = _model_with_her_right_sleeve_raised_and_hair_on_her_left_shoulder(RIGHT_ARM_RAISED)
    # when the tops are cut out
    hanging_layer = OnModelSource(hanging, GarmentKind.TOP).layer
    raised_layer = OnModelSource(raised, GarmentKind.TOP).layer
    # then with her arms alike her left sleeve behind the hair is her right one's mirror image (green),
    # and with her right arm raised nothing of that sleeve is mirrored onto her shoulder
    assert _green_behind(hanging_layer, hanging_lock) == 146
    assert _green_behind(raised_layer, raised_lock) == 0


def test_with_her_right_arm_raised_its_sleeve_would_have_been_mirrored_onto_her_shoulder(monkeypatch):
    # given the model with her right arm raised and a lock of hair over her left shoulder
    raised, lock = _model_with_her_right_sleeve_raised_and_hair_on_her_left_shoulder(RIGHT_ARM_RAISED)
    # when her arms are taken as posed alike
    monkeypatch.setattr(sources, "_arms_alike", lambda skeleton, tolerance: True)
    layer = OnModelSource(raised, GarmentKind.TOP).layer
    # then the raised sleeve's mirror image stands on her shoulder behind the hair
    assert _green_behind(layer, lock) == 619


def test_arms_are_alike_when_both_hang_or_one_is_missing_and_not_when_one_is_raised():
    assert sources._arms_alike(body_skeleton(make_person(upper=RED)), 25.0)
    assert sources._arms_alike(body_skeleton(make_person(upper=RED, missing=("right_elbow",))), 25.0)
    assert not sources._arms_alike(body_skeleton(make_person(upper=RED, pose=RIGHT_ARM_RAISED)), 25.0)
