"""heuristic-6: dark lips, eyes and brows taken for hair inside a face are face (the renderer
painted a red lip the colour of her top over as part of the top)."""

import numpy as np

from ml.parsing.heuristic import TUNING
from ml.parsing.heuristic.cleanup import _face_features
from ml.types import ParsingClass as C


def _head():
    """A face disc under a cap of hair on a background, a lip and an eye labelled hair inside it."""
    labels = np.zeros((60, 60), np.uint8)
    yy, xx = np.mgrid[:60, :60]
    labels[(yy - 32) ** 2 + (xx - 30) ** 2 <= 18**2] = C.FACE
    labels[(yy < 20) & ((yy - 32) ** 2 + (xx - 30) ** 2 <= 21**2)] = C.HAIR
    labels[42:45, 25:36] = C.HAIR  # lips
    labels[28:31, 22:26] = C.HAIR  # an eye
    return labels


def test_hair_islands_inside_the_face_become_face_and_the_real_hair_stays():
    # given a head whose lips and an eye were labelled hair
    labels = _head()
    hair_cap = (labels == C.HAIR) & (np.arange(60)[:, None] < 20)
    # when face features are cleaned up
    _face_features(labels, TUNING)
    # then the lips and the eye are face
    assert (labels[42:45, 25:36] == C.FACE).all()
    assert (labels[28:31, 22:26] == C.FACE).all()
    # and the hair on top of the head, which touches the background, is still hair
    assert (labels[hair_cap] == C.HAIR).all()
    assert int((labels == C.HAIR).sum()) == int(hair_cap.sum())


def test_a_lock_of_hair_at_the_faces_edge_stays_hair():
    # given a lock of hair along the face's side, touching the background beside it
    labels = _head()
    labels[25:45, 10:14] = C.HAIR
    lock = labels == C.HAIR
    lock[:20] = False
    lock[42:45, 25:36] = lock[28:31, 22:26] = False
    # when face features are cleaned up
    _face_features(labels, TUNING)
    # then the lock is still hair
    assert (labels[lock] == C.HAIR).all()
