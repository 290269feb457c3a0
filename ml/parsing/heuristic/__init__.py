"""A parser without learned weights: person mask + pose geometry + per-image colour models.

For one photo it
1. takes the person mask from the pose model and keeps the parts attached to the body;
2. learns colour models in CIE Lab: skin from the face (a generic skin prior when the face is
   hidden), hair from above the eyes, the top garment from the torso core and, when it differs,
   a bottom garment from the thighs and shins;
3. assigns every person pixel to skin, hair or a garment by the nearest model, with the pose
   deciding where each may be (hair near the head, skin split into face / arms / legs by the
   nearest limb, shoes near the ankles);
4. takes legs yellower than both the face and the arms (gold, camel, sand trousers) for a garment;
   finds the waistline as the strongest colour/texture change along the torso's axis and, when
   there is one, learns the top and the bottom garment from either side of it (a bottom the
   colour of the top is found by the gap between the legs; without a waistline a bottom that
   differs from the top on the thighs and shins, e.g. trousers under a kurta);
5. tells a skirt from trousers by the gap between the legs, makes shoes and boots below bare legs
   or trouser hems legs, and feet and shoes below a long dress's hem (narrower than the hem, at
   the bottom of the person) or below bare ankles under trousers legs, and a shin below a dress's
   hem that the dress took (hanging from it, standing on the bare leg) legs, gives skin-like bits
   of a print above a hem to their garment, and smooths the labels;
6. at the photo's own resolution, finds again the top's straps too thin for the work-size copy.

Every tuned number is a field of :class:`ParsingTuning`; the parser's version carries their digest.

The modules: ``tuning`` (the numbers), ``geometry`` (the pose at work size, distances to the limbs),
``colours`` (the colour models), ``skin`` (skin, hair or the top for every person pixel, and the
rules that correct it), ``garments`` (the bottom garment and shoes), ``cleanup`` (the last passes),
``straps`` (straps too thin for the work size, at the photo's resolution).
"""

from __future__ import annotations

import cv2
import numpy as np

from ml.intake import require_rgb_image
from ml.parsing.heuristic.arms import _arms_by_graph_cut
from ml.parsing.heuristic.cleanup import _absorb_specks, _face_features, _legs_inside_garment, _smooth
from ml.parsing.heuristic.colours import _colour_models
from ml.parsing.heuristic.garments import (
    _feet_below_the_hem,
    _feet_zone,
    _lower_garments,
    _shins_below_the_hem,
    _shoes,
    _shoes_below_bare_ankles,
)
from ml.parsing.heuristic.geometry import _fingertips, _frame, _hands, _head_out_of_frame, _person, _reach
from ml.parsing.heuristic.skin import (
    _garment_the_colour_of_skin,
    _hair_apart_from_the_head,
    _hair_that_does_not_hang,
    _label_person,
    _limb_skin,
    _skin_the_colour_of_the_bottom,
    _torso_skin,
)
from ml.parsing.heuristic.straps import thin_straps
from ml.parsing.heuristic.tuning import TUNING, ParsingTuning
from ml.parsing.upsample import TUNING as UPSAMPLE_TUNING
from ml.parsing.upsample import UpsampleTuning, upsample_labels
from ml.pose import PoseResult, blaze_to_coco, require_pose_for
from ml.tuning import versioned
from ml.types import ParsingClass as C

BASE_VERSION = "heuristic-15"


class HeuristicParser:
    """The default parser: no weights, pose-guided colour models per image."""

    name = "heuristic"

    def __init__(self, tuning: ParsingTuning = TUNING, upsample: UpsampleTuning = UPSAMPLE_TUNING) -> None:
        self.tuning = tuning
        self.upsample = upsample
        self.version = versioned(BASE_VERSION, tuning, upsample)

    def predict(self, image: np.ndarray, pose: PoseResult) -> np.ndarray:
        require_rgb_image(image, "Parsing")
        pose = require_pose_for(pose, image)
        t = self.tuning
        height, width = image.shape[:2]
        scale = min(1.0, t.work_height / height)
        if scale < 1.0:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
            mask = cv2.resize(pose.person_mask, size, interpolation=cv2.INTER_LINEAR)
        else:
            small, mask = image, pose.person_mask
        if pose.found:
            geometry, _ = blaze_to_coco(pose.blaze_landmarks, width, height, t.geometry_visibility)
        else:
            geometry = pose.keypoints
        keypoints = np.where(geometry >= 0, geometry * scale, -1.0).astype(np.float32)
        visible = pose.keypoints[:, 0] >= 0
        fingers = _fingertips(pose, width, height, t) * scale if pose.found else None
        head = _head_out_of_frame(pose, width, height, t) if pose.found else None
        labels = parse_small(
            small, mask, keypoints, visible, t, fingers, None if head is None else head * scale
        )
        if labels.shape != (height, width):
            labels = upsample_labels(labels, image, self.upsample)
            # Re-cut the labels along the full-resolution person mask.
            labels[pose.person_mask < t.mask_level] = C.BACKGROUND
        thin_straps(labels, image, geometry, t)
        return labels


def parse_small(
    image: np.ndarray,
    mask: np.ndarray,
    keypoints: np.ndarray,
    visible: np.ndarray | None = None,
    tuning: ParsingTuning = TUNING,
    fingers: np.ndarray | None = None,
    head: np.ndarray | None = None,
) -> np.ndarray:
    """Parse a work-sized image; returns (H, W) uint8 ParsingClass labels.

    ``keypoints`` guide the geometry (they may be hidden under clothes); skin is only expected
    near the limbs whose joints are ``visible``. ``fingers`` (2, 2), where the right and the left
    hand's fingers end (-1 where not seen): a hand on the hip or over the garment is arms to its
    fingertips. ``head``: where the head lies when the photo cuts it off (outside the photo), so
    that the chin and mouth below the cut are still face."""
    t = tuning
    height, width = image.shape[:2]
    person = _person(mask, keypoints, t)
    labels = np.zeros((height, width), dtype=np.uint8)
    if not person.any():
        return labels
    lab_image = cv2.cvtColor(image, cv2.COLOR_RGB2LAB).astype(np.float32)
    frame = _frame(person, keypoints, t, fingers, head)
    reach = _reach(frame, person, visible, t)
    colours = _colour_models(lab_image, person, frame, reach, visible, t)
    labels[person] = _label_person(lab_image, person, frame, reach, colours, t)
    _hair_apart_from_the_head(labels, frame, t)
    _hair_that_does_not_hang(labels, frame, t)
    # before the garments are split at the waist (a bare midriff is no part of either)
    _torso_skin(labels, lab_image, person, frame, reach, colours, t)
    _garment_the_colour_of_skin(labels, lab_image, frame, reach, t)
    _lower_garments(labels, lab_image, person, frame, reach, colours.top, t)
    _skin_the_colour_of_the_bottom(labels, lab_image, t)
    _shoes(labels, lab_image, person, frame, colours.top, t)
    # after the garments are settled (a bare shin taken for a bottom garment is found as legs there)
    _limb_skin(labels, lab_image, frame, reach, colours.top, t)
    _arms_by_graph_cut(labels, image, frame, reach, None if colours.hair is None else colours.hair.centres, t)
    # last of the labelling passes: the skin learnt above is never a shoe's colour
    feet = _feet_zone(frame, t)
    _feet_below_the_hem(labels, lab_image, person, frame, feet, t)
    _shins_below_the_hem(labels, lab_image, person, reach.leg, feet, frame.body, t)
    _shoes_below_bare_ankles(labels, person, feet, t)
    _absorb_specks(labels, frame.body, t, _hands(frame, t))
    _face_features(labels, t)
    _legs_inside_garment(labels, frame.body, t, feet)
    return _smooth(labels, person, frame.body, t)


__all__ = ["BASE_VERSION", "TUNING", "HeuristicParser", "ParsingTuning", "parse_small"]
