"""Skin, hair or the top garment for every person pixel, and the rules that correct that first labelling."""

from __future__ import annotations

import cv2
import numpy as np

from ml.parsing.heuristic.colours import _Colours, _fit, _Model
from ml.parsing.heuristic.garments import _leg_probe
from ml.parsing.heuristic.geometry import _between_shoulders, _Frame, _Reach
from ml.parsing.heuristic.tuning import ParsingTuning
from ml.types import ParsingClass as C

LAB_ZERO = 128.0  # OpenCV's 8-bit Lab stores a and b offset by this (not a tuning number)


def _label_person(
    lab_image: np.ndarray,
    person: np.ndarray,
    frame: _Frame,
    reach: _Reach,
    colours: _Colours,
    t: ParsingTuning,
) -> np.ndarray:
    """Skin, hair or the top garment for every person pixel (in ``person``'s order): colour
    distance in spreads plus costs for where a class may not be."""
    body, neck, shoulder_y = frame.body, frame.neck, frame.shoulder_y
    lab_person = lab_image[person]
    py = frame.yy[person]
    hd = reach.head[person]
    inf = np.float32(np.inf)
    near_head = hd < t.near_head * body
    above_neck = py < (neck[1] - t.above_neck * body) if neck is not None else np.zeros_like(py, bool)
    head_region = above_neck & near_head
    if reach.head_centre is not None:
        head_region &= np.abs(frame.xx[person] - reach.head_centre[0]) < t.head_half_width * body
    limb_zone = (reach.seen_arm < t.arm_zone * body) | (reach.seen_leg < t.leg_zone * body) | near_head
    if neck is not None:
        limb_zone |= np.hypot(frame.xx[person] - neck[0], py - neck[1]) < t.neck_zone * body

    c_skin = (
        colours.skin.distance(lab_person)
        + np.where(limb_zone, 0.0, t.skin_off_limb_cost)
        + np.where(colours.core[person], t.skin_on_core_cost, 0.0)
    )
    if colours.top is not None:
        c_top = colours.top.distance(lab_person) + np.where(head_region, t.top_on_head_cost, 0.0)
    else:
        c_top = np.full(len(lab_person), t.no_top_cost, np.float32)
    hair_zone = near_head & (
        py < (shoulder_y + t.hair_below_shoulders * body if shoulder_y is not None else inf)
    )
    if colours.hair is not None:
        c_hair = np.where(hair_zone, colours.hair.distance(lab_person) - t.hair_bonus, inf)
    else:
        c_hair = np.full(len(lab_person), inf, np.float32)

    is_skin = (c_skin < t.skin_max_cost) & (c_skin <= c_top) & (c_skin <= c_hair)
    is_hair = ~is_skin & (c_hair < t.hair_max_cost) & (c_hair <= c_top)

    out = np.full(len(lab_person), int(C.UPPER_CLOTHES), np.uint8)
    skin_label = _skin_label(person, frame, reach, t)
    out[is_skin] = skin_label[is_skin]
    out[is_hair] = int(C.HAIR)
    # Above the neck whatever is not skin is hair (or a hat) unless it is clearly the top garment.
    out[head_region & ~is_skin & (c_top > t.head_top_cost)] = int(C.HAIR)
    out[head_region & is_skin] = int(C.FACE)
    # ... but a hand at the chin or the ear, and its forearm, stay arms
    out[head_region & is_skin & (reach.hand < t.hand_at_face * body)] = int(C.ARMS)
    return out


def _skin_label(person: np.ndarray, frame: _Frame, reach: _Reach, t: ParsingTuning) -> np.ndarray:
    """The class skin takes at each person pixel (in ``person``'s order): arms, legs or face."""
    body, shoulder_y, hip_y = frame.body, frame.shoulder_y, frame.hip_y
    py = frame.yy[person]
    ad, ld = reach.arm[person], reach.leg[person]
    below_hips = py > (hip_y if hip_y is not None else np.inf)
    near_arm = ad < t.arm_reach * body
    skin_label = np.where(
        (ad < ld) & near_arm,
        int(C.ARMS),
        np.where(below_hips, int(C.LEGS), np.where(near_arm, int(C.ARMS), int(C.FACE))),
    ).astype(np.uint8)
    # ADGAN's classes have no torso skin: skin on the chest and between the shoulders above it (a
    # neckline, a chest between straps) goes with the face, unless it hugs an arm bone; lower, a bare
    # midriff goes with the arms
    if shoulder_y is not None and hip_y is not None:
        chest = (reach.torso[person] | _between_shoulders(frame, person)) & (
            py < shoulder_y + t.chest_depth * (hip_y - shoulder_y)
        )
        skin_label[chest & (ad >= t.arm_own * body)] = int(C.FACE)
        midriff = reach.torso[person] & ~chest & ~below_hips
        skin_label[midriff] = int(C.ARMS)
    return skin_label


def _limb_skin(
    labels: np.ndarray,
    lab_image: np.ndarray,
    frame: _Frame,
    reach: _Reach,
    top: _Model | None,
    t: ParsingTuning,
) -> None:
    """Skin is learnt from the face, but legs and forearms are lit and tanned unlike it: where a
    print's pale cluster beat the face's skin on a bare thigh or forearm, the limb's own skin (learnt
    from its pixels labelled skin) claims the pixels back."""
    if top is None:
        return
    zone = t.limb_skin_zone * frame.body
    below_hips = frame.yy > frame.hip_y if frame.hip_y is not None else np.zeros(labels.shape, bool)
    kernel, feet_kernel = _square(t.limb_skin_open * frame.body), _square(t.feet_open * frame.body)
    ankles = [p[1] for p in (frame.k["right_ankle"], frame.k["left_ankle"]) if p is not None]
    for limb, near in ((C.LEGS, (reach.leg < zone) & below_hips), (C.ARMS, reach.arm < zone)):
        own = (labels == limb) & near
        skin = _own_skin(lab_image, own, t)
        candidates = (labels == C.UPPER_CLOTHES) & near
        if skin is None or not candidates.any():
            continue
        lab = lab_image[candidates]
        to_skin = skin.distance(lab)
        like = (to_skin < t.limb_skin_max_cost) & (to_skin + t.limb_skin_margin < top.distance(lab))
        claimed = np.zeros(labels.shape, np.uint8)
        claimed[candidates] = like
        opened = cv2.morphologyEx(claimed, cv2.MORPH_OPEN, kernel) > 0
        if limb == C.LEGS and ankles:
            # toes and sandal straps are narrower than a stripe, but no dress's print hangs below the feet
            feet = frame.yy > min(ankles) - t.feet_above_ankle * frame.body
            opened |= (cv2.morphologyEx(claimed, cv2.MORPH_OPEN, feet_kernel) > 0) & feet
        labels[_pieces_touching(opened.astype(np.uint8), own)] = int(limb)


def _torso_skin(
    labels: np.ndarray,
    lab_image: np.ndarray,
    person: np.ndarray,
    frame: _Frame,
    reach: _Reach,
    colours: _Colours,
    t: ParsingTuning,
) -> None:
    """Skin on the torso pays for being where the top garment is expected, so a bare midriff under a
    crop top or a chest above a low neckline came out as the top. Pixels there that look like the
    arms' own skin and like none of the top's colours, in smooth pieces joined to skin, are skin."""
    if colours.top is None:
        return
    body = frame.body
    arms = (labels == C.ARMS) & (reach.arm < t.limb_skin_zone * body)
    skin = _own_skin(lab_image, arms, t) or colours.skin
    grow = max(1, round(t.torso_skin_grow * body))
    torso = cv2.dilate(reach.torso.astype(np.uint8), np.ones((2 * grow + 1, 2 * grow + 1), np.uint8)) > 0
    candidates = (labels == C.UPPER_CLOTHES) & torso & person
    if not candidates.any():
        return
    lab = lab_image[candidates]
    like = (skin.distance(lab) < t.torso_skin_max_cost) & (
        colours.top.distance(lab) > t.torso_skin_unlike_top
    )
    claimed = np.zeros(labels.shape, np.uint8)
    claimed[candidates] = like
    claimed = cv2.morphologyEx(claimed, cv2.MORPH_OPEN, _square(t.torso_skin_open * body))
    skin_now = np.isin(labels, (C.FACE, C.ARMS, C.LEGS))
    keep = _pieces_touching(claimed, skin_now)
    if colours.bare is not None:
        # her skin as a bare band across the torso shows it (a midriff between a crop top and
        # trousers touches no other skin), and so does a hand of hers lit like it
        garment = (labels == C.UPPER_CLOTHES) & person
        on_garment = lab_image[garment]
        banded = np.zeros(labels.shape, np.uint8)
        banded[garment] = colours.bare.distance(on_garment) < colours.top.distance(on_garment)
        keep |= cv2.morphologyEx(banded, cv2.MORPH_OPEN, _square(t.bare_band_open)) > 0
    if keep.any():
        labels[keep] = _skin_label(keep, frame, reach, t)


def _garment_the_colour_of_skin(
    labels: np.ndarray, lab_image: np.ndarray, frame: _Frame, reach: _Reach, t: ParsingTuning
) -> None:
    """Gold, camel or sand trousers are near enough the face's skin to be labelled legs. Skin's hue
    changes little over one body, and legs are as red as the face and the hands or redder, never
    much yellower: when the legs along the thighs and shins are yellower than both the face and the
    arms by ``skin_hue_gap``, they are a garment, and every pixel of the legs nearer that garment's
    colours than the person's own skin (a bare ankle below a hem stays) becomes the garment, for the
    bottom garment's rules to name."""
    if frame.hip_y is None:
        return
    legs = labels == C.LEGS
    probe = (_leg_probe(frame, "thigh", t) | _leg_probe(frame, "shin", t)) & legs
    own = np.isin(labels, (C.FACE, C.ARMS))
    leg_hue, leg_samples = _hues(lab_image[probe], t)
    references = [_hues(lab_image[labels == part], t)[0] for part in (C.FACE, C.ARMS)]
    references = [hue for hue in references if hue.size >= t.skin_hue_min_px]
    if leg_hue.size < t.skin_hue_min_px or not references:
        return
    reference = max(float(np.median(hue)) for hue in references)
    if float(np.median(leg_hue)) - reference < t.skin_hue_gap:
        return
    cloth = leg_samples[leg_hue - reference >= t.skin_hue_sample_gap]  # not a bare ankle on the probe
    garment = _fit(cloth, t.bottom_clusters, t.garment_floor, t)
    skin = _fit(lab_image[own], t.limb_skin_clusters, t.skin_floor, t)
    if garment is None or skin is None:
        return
    candidates = legs & (reach.leg < t.limb_skin_zone * frame.body)
    lab = lab_image[candidates]
    claimed = np.zeros(labels.shape, np.uint8)
    claimed[candidates] = garment.distance(lab) < skin.distance(lab)
    claimed = cv2.morphologyEx(claimed, cv2.MORPH_OPEN, _square(t.limb_skin_open * frame.body))
    labels[_pieces_touching(claimed, probe & (claimed > 0))] = int(C.UPPER_CLOTHES)


def _skin_the_colour_of_the_bottom(labels: np.ndarray, lab_image: np.ndarray, t: ParsingTuning) -> None:
    """Skin's lightness spread is wide (shade), so the shaded folds of beige or sand trousers on a
    darker-skinned person came out as patches of legs inside them. A patch of legs whose rim is
    mostly one bottom garment (``bottom_skin_rim``) and whose colours are no nearer her own skin
    (face and arms) than that garment's, within ``bottom_skin_margin``, is that garment. Skin
    through ripped jeans is clearly nearer her skin and stays; a bare leg under shorts or a skirt
    is rimmed by the background and the shoes as well."""
    own = np.isin(labels, (C.FACE, C.ARMS))
    legs = labels == C.LEGS
    if own.sum() < t.limb_skin_min_px or not legs.any():
        return
    skin = _fit(lab_image[own], t.limb_skin_clusters, t.skin_floor, t)
    if skin is None:
        return
    _count, parts = cv2.connectedComponents(legs.astype(np.uint8), connectivity=8)
    ring = np.ones((3, 3), np.uint8)
    for garment in (C.PANTS, C.SKIRT):
        cloth = labels == garment
        if cloth.sum() < t.limb_skin_min_px:
            continue
        bottom = _fit(lab_image[cloth], t.bottom_clusters, t.garment_floor, t)
        if bottom is None:
            continue
        for index in np.unique(parts[legs & (cv2.dilate(cloth.astype(np.uint8), ring) > 0)]):
            patch = parts == index
            rim = (cv2.dilate(patch.astype(np.uint8), ring) > 0) & ~patch
            if (labels[rim] == garment).mean() < t.bottom_skin_rim:
                continue
            lab = lab_image[patch]
            if float(np.median(skin.distance(lab) - bottom.distance(lab))) > -t.bottom_skin_margin:
                labels[patch] = int(garment)


def _hues(lab: np.ndarray, t: ParsingTuning) -> tuple[np.ndarray, np.ndarray]:
    """The hue angles (degrees) of the samples colourful enough to have one, and those samples."""
    a, b = lab[:, 1] - LAB_ZERO, lab[:, 2] - LAB_ZERO
    colourful = np.hypot(a, b) >= t.skin_hue_min_chroma
    return np.degrees(np.arctan2(b[colourful], a[colourful])), lab[colourful]


def _own_skin(lab_image: np.ndarray, own: np.ndarray, t: ParsingTuning) -> _Model | None:
    """A skin model learnt from a limb's own pixels already labelled skin (None when too few)."""
    if own.sum() < t.limb_skin_min_px:
        return None
    return _fit(lab_image[own], t.limb_skin_clusters, t.skin_floor, t)


def _square(size: float) -> np.ndarray:
    side = max(1, round(size))
    return np.ones((side, side), np.uint8)


def _pieces_touching(claimed: np.ndarray, own: np.ndarray) -> np.ndarray:
    """The pixels of ``claimed`` (uint8) in 8-connected pieces that touch ``own`` (bool)."""
    count, pieces = cv2.connectedComponents(claimed | own.astype(np.uint8), connectivity=8)
    touching = np.zeros(count, bool)
    touching[np.unique(pieces[own])] = True
    touching[0] = False
    return (claimed > 0) & touching[pieces]


def _hair_apart_from_the_head(labels: np.ndarray, frame: _Frame, t: ParsingTuning) -> None:
    """Pixels labelled hair wholly below the head, in no piece with the hair on it, are the top's
    collar or upper band (hair over the shoulders hangs from the head's): the top garment."""
    if frame.neck is None:
        return
    hair = (labels == C.HAIR).astype(np.uint8)
    count, pieces, stats, _ = cv2.connectedComponentsWithStats(hair, connectivity=8)
    head_line = frame.neck[1] - t.collar_reach * frame.body
    apart = [i for i in range(1, count) if stats[i, cv2.CC_STAT_TOP] > head_line]
    if apart:
        labels[np.isin(pieces, apart)] = int(C.UPPER_CLOTHES)


def _hair_that_does_not_hang(labels: np.ndarray, frame: _Frame, t: ParsingTuning) -> None:
    """Hair below the chin hangs from the head or from behind the neck in columns; "hair" there in a
    column shorter than ``hair_hang`` (a collar, a neckline band, a shoulder the colour of the hair,
    joined to the hair beside the neck) is the top garment."""
    chin = _chin(labels, frame, t)
    if chin is None:
        return
    hair = labels == C.HAIR
    gap = max(1, round(t.hair_gap * frame.body))
    bridged = cv2.morphologyEx(hair.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((2 * gap + 1, 1), np.uint8))
    bridged = cv2.dilate(bridged, np.ones((1, 2 * gap + 1), np.uint8)).astype(bool)
    # a column running down from the photo's top edge may hang from a head the photo cuts off
    from_the_top = np.cumprod(bridged, axis=0).astype(bool)
    short = (_vertical_runs(bridged) < t.hair_hang * frame.body) & ~from_the_top
    labels[hair & short & (frame.yy > chin)] = int(C.UPPER_CLOTHES)


def _chin(labels: np.ndarray, frame: _Frame, t: ParsingTuning) -> float | None:
    """The row below which hair must hang: a little below the nose; in a photo that cuts the head off
    above the nose, the lowest row of face-labelled skin below the head (the parser's face takes in
    the neck and a neckline's skin, so this errs low: an earring's or a lock's short run beside the
    jaw is never taken for a collar)."""
    nose = frame.k["nose"]
    if nose is not None:
        return float(nose[1] + t.chin_below_nose * frame.body)
    if not frame.face_points:
        return None
    head_x = float(np.mean(frame.face_points, axis=0)[0])
    face = (labels == C.FACE) & (np.abs(frame.xx - head_x) < t.chin_search * frame.body)
    rows = np.flatnonzero(face.any(axis=1))
    if not rows.size:
        return None
    # the face and what joins it from the top down (not a skin-coloured speck of a print below)
    _count, pieces = cv2.connectedComponents(face.astype(np.uint8), connectivity=8)
    head = np.isin(pieces, np.unique(pieces[rows[0]][face[rows[0]]]))
    return float(np.flatnonzero(head.any(axis=1))[-1])


def _vertical_runs(mask: np.ndarray) -> np.ndarray:
    """Per pixel of ``mask``, the height of the unbroken vertical run of ``mask`` it is in (0 off it)."""
    edges = np.diff(np.pad(mask, ((1, 1), (0, 0))).astype(np.int8), axis=0).T
    starts = np.argwhere(edges == 1)  # (column, row), ordered by column then row
    ends = np.argwhere(edges == -1)
    out = np.zeros(mask.shape, np.int32)
    for (column, top), (_, bottom) in zip(starts, ends, strict=True):
        out[top:bottom, column] = bottom - top
    return out
