"""The bottom garment (below a waistline, or unlike the top on the legs), skirt or trousers, and shoes."""

from __future__ import annotations

import cv2
import numpy as np

from ml.parsing.heuristic.colours import MAD_TO_SIGMA, _fit, _Model
from ml.parsing.heuristic.geometry import _Frame, _Reach, _segment_distance, _torso_band
from ml.parsing.heuristic.tuning import ParsingTuning
from ml.types import ParsingClass as C

_DEBUG = False


def _lower_garments(
    labels: np.ndarray,
    lab_image: np.ndarray,
    person: np.ndarray,
    frame: _Frame,
    reach: _Reach,
    top: _Model | None,
    t: ParsingTuning,
) -> None:
    """The bottom garment: below a waistline when there is one, else where it differs from the top
    on the thighs and shins, else trousers the colour of the top."""
    garment = person & (labels == C.UPPER_CLOTHES)
    body, shoulder_y, hip_y, yy = frame.body, frame.shoulder_y, frame.hip_y, frame.yy
    split = None
    if shoulder_y is not None and hip_y is not None:
        band = (
            garment
            & (reach.seen_arm_full > t.waist_band_arm_clearance * body)
            & _torso_band(frame.xx, yy, frame.neck, frame.hips, body, t)
        )
        split, change = _waist_split(lab_image, band, shoulder_y, hip_y, body, t)
        # one piece across the legs (a dress, or a skirt) needs a clearer change than trousers
        _gap, spans_legs = _leg_votes(garment & (yy > hip_y), frame.k, body, t)
        if split is not None and change < (
            t.waist_min_change_one_piece if spans_legs else t.waist_min_change
        ):
            split = None
    if split is not None:
        sleeves = _sleeved_forearms(garment, frame, t)
        _split_garments(labels, lab_image, garment, band, split, frame, t, sleeves)
    else:
        _bottom_garment(labels, lab_image, garment, top, frame, t)
        if hip_y is not None and not np.isin(labels, (C.PANTS, C.SKIRT)).any():
            _same_colour_trousers(labels, garment, frame, t)


def _waist_split(
    lab_image, band, shoulder_y: float, hip_y: float, body: float, t: ParsingTuning
) -> tuple[float | None, float]:
    """The row where the top garment ends and a different bottom garment may start, and how much
    the garment changes there (None, 0 when nothing can be compared).

    Along the torso's axis the garment's median colour (and its texture, the spread of its
    lightness) above and below each candidate row are compared; the strongest change between
    the lower chest and the upper thighs wins."""
    height = band.shape[0]
    window = max(t.waist_min_window_px, round(t.waist_window * body))
    start = round(shoulder_y + t.waist_search_from * (hip_y - shoulder_y))
    stop = min(height - window, round(hip_y + t.waist_search_below * body))
    if stop <= start:
        return None, 0.0
    # a sample of each row's pixels and of the candidate rows: the medians hardly move
    rows = [lab_image[y][band[y]][:: t.waist_pixel_step] for y in range(height)]
    min_rows = window // t.waist_rows_divisor
    best, best_y = 0.0, None
    scale = np.array(t.waist_scale, np.float32)
    for y in range(start, stop, t.waist_row_step):
        above = [r for r in rows[y - window : y] if len(r)]
        below = [r for r in rows[y : y + window] if len(r)]
        if len(above) < min_rows or len(below) < min_rows:
            continue
        a, b = np.concatenate(above), np.concatenate(below)
        if len(a) < t.waist_min_pixels or len(b) < t.waist_min_pixels:
            continue
        ma, mb = np.median(a, 0), np.median(b, 0)
        # a print varies within each window: its change counts against that variation
        spread = np.maximum(scale, MAD_TO_SIGMA * np.median(np.abs(np.concatenate([a - ma, b - mb])), 0))
        colour = float(np.sqrt((((ma - mb) / spread) ** 2).sum()))
        texture = abs(float(a[:, 0].std() - b[:, 0].std())) / t.waist_texture_scale
        score = colour + t.waist_texture_weight * texture
        if score > best:
            best, best_y = score, y
    if _DEBUG:
        print("waist", dict(y=best_y, change=round(best, 2)))
    return (float(best_y) if best_y is not None else None), best


def _sleeved_forearms(garment: np.ndarray, frame: _Frame, t: ParsingTuning) -> np.ndarray:
    """Round each forearm whose line (elbow to wrist) runs through the garment: a sleeve."""
    zone = np.zeros(garment.shape, bool)
    for side in ("right", "left"):
        elbow, wrist = frame.k[f"{side}_elbow"], frame.k[f"{side}_wrist"]
        if elbow is None or wrist is None:
            continue
        distance = _segment_distance(frame.xx, frame.yy, elbow, wrist)
        line = distance < max(1.0, t.sleeve_line * frame.body)
        if garment[line].mean() >= t.sleeve_line_share:
            zone |= distance < t.forearm_sleeve * frame.body
    return zone


def _open(mask: np.ndarray, t: ParsingTuning) -> np.ndarray:
    kernel = np.ones((t.open_size, t.open_size), np.uint8)
    return cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, kernel) > 0


def _split_garments(
    labels, lab_image, garment, band, split, frame: _Frame, t: ParsingTuning, forearms: np.ndarray
) -> None:
    """A top above ``split`` and a different bottom garment below: colour models from each side.
    ``forearms``: round the sleeved forearms, where a sleeve hangs below the waistline."""
    k, body, hip_y, yy = frame.k, frame.body, frame.hip_y, frame.yy
    margin = t.waist_margin * body
    top = _fit(lab_image[band & (yy < split - margin)], t.split_clusters, t.garment_floor, t)
    below = band & (yy > split + margin) & (yy < split + t.split_bottom_depth * body)
    bottom = _fit(lab_image[below], t.split_clusters, t.garment_floor, t)
    if top is None or bottom is None:
        return
    lower = garment & (yy >= split - margin)
    lab_lower = lab_image[lower]
    d_top = top.distance(lab_lower)
    d_bottom = bottom.distance(lab_lower)
    # Below the waist the bottom garment is the rule, the top's hem the exception; a forearm
    # hanging beside the hips is no part of that (a sleeve goes by its colour alone).
    d_top = d_top + np.where((yy[lower] > split + margin) & ~forearms[lower], t.bottom_bias, 0.0)
    mask = np.zeros(labels.shape, bool)
    mask[lower] = d_bottom < d_top
    mask = _open(mask, t)
    # The top hangs down from above the waist: top-coloured islands inside the bottom garment
    # (the light parts of a print) belong to the bottom.
    _count, parts = cv2.connectedComponents((garment & ~mask).astype(np.uint8), connectivity=8)
    from_above = np.unique(parts[(yy < split - margin) & garment & ~mask])
    islands = ~np.isin(parts, from_above) & garment & ~mask & (yy > split)
    ankles = [p[1] for p in (k["right_ankle"], k["left_ankle"]) if p is not None]
    if ankles:
        islands &= yy < min(ankles) - t.islands_above_ankles * body  # not the shoes
    mask |= islands
    if mask.sum() < t.min_bottom_share * garment.sum():
        return
    label = _bottom_kind(mask, garment, k, body, max(hip_y, split), t)
    labels[mask] = label if label is not None else int(C.PANTS)


def _same_colour_trousers(labels, garment, frame: _Frame, t: ParsingTuning) -> None:
    """Trousers the colour of the top: the garment parts into two legs below the hips."""
    lower = garment & (frame.yy > frame.hip_y + t.same_colour_waist * frame.body)
    if lower.sum() < t.same_colour_min_share * garment.sum():
        return
    label = _bottom_kind(lower, garment, frame.k, frame.body, frame.hip_y, t, trousers_only=True)
    if label == C.PANTS:
        labels[lower] = int(C.PANTS)


def _leg_samples(lab_image, garment, frame: _Frame, part: str, t: ParsingTuning) -> np.ndarray:
    """Garment pixels along both thighs (from a little below the hips) or both shins."""
    return lab_image[_leg_probe(frame, part, t) & garment]


def _leg_probe(frame: _Frame, part: str, t: ParsingTuning) -> np.ndarray:
    """Lines along both thighs (from a little below the hips) or both shins."""
    k, body = frame.k, frame.body
    thickness = max(t.leg_probe_min_px, int(t.leg_probe_width * body))
    region = np.zeros(frame.xx.shape, np.uint8)
    for side in ("right", "left"):
        hip, knee = k[f"{side}_hip"], k[f"{side}_knee"]
        if part == "thigh" and hip is not None and knee is None:
            knee = hip + np.array([0.0, t.thigh_length * body], np.float32)  # cut off: a thigh's length
        a, b = (hip, knee) if part == "thigh" else (knee, k[f"{side}_ankle"])
        if a is None or b is None:
            continue
        if part == "thigh":
            a = a + (b - a) * t.thigh_probe_from
        cv2.line(region, tuple(int(v) for v in a), tuple(int(v) for v in b), 1, thickness)
    return region > 0


def _bottom_garment(labels, lab_image, garment, top, frame: _Frame, t: ParsingTuning) -> None:
    """Find a bottom garment that differs from the top, then call it pants or skirt."""
    k, body, hip_y, yy = frame.k, frame.body, frame.hip_y, frame.yy
    if hip_y is None:
        return
    candidates = []
    for part in ("thigh", "shin"):
        samples = _leg_samples(lab_image, garment, frame, part, t)
        if len(samples) < t.bottom_min_samples:
            continue
        far = top.distance(samples) > t.bottom_far if top is not None else np.ones(len(samples), bool)
        if far.mean() >= t.bottom_far_share:
            candidates.append(samples[far])
    if not candidates:
        return  # the lower body wears the top's garment: a dress or a long top
    bottom = _fit(np.concatenate(candidates), t.bottom_clusters, t.garment_floor, t)
    if bottom is None:
        return
    lower_garment = garment & (yy > hip_y - t.bottom_above_hips * body)
    lab_lower = lab_image[lower_garment]
    d_bottom = bottom.distance(lab_lower)
    d_top = top.distance(lab_lower) if top is not None else np.full(len(lab_lower), np.inf)
    bottom_mask = np.zeros(labels.shape, bool)
    bottom_mask[lower_garment] = (d_bottom < d_top) & (d_bottom < t.bottom_max_cost)
    bottom_mask = _open(bottom_mask, t)
    if bottom_mask.sum() < t.min_bottom_share * garment.sum():
        return
    label = _bottom_kind(bottom_mask, garment, k, body, hip_y, t)
    knees = [p[1] for p in (k["right_knee"], k["left_knee"]) if p is not None]
    ys = np.nonzero(bottom_mask)[0]
    starts_below_knees = bool(knees and ys.size and np.percentile(ys, t.bottom_start_percentile) > max(knees))
    boots = starts_below_knees and _below_bare_skin(labels, lab_image, bottom_mask, bottom, body, t)
    if label is not None and boots:
        label = int(C.LEGS)  # boots or socks under a dress: bare legs between hem and shoe
    if (
        label == C.PANTS
        and ys.size
        and np.percentile(ys, t.bottom_start_percentile) > hip_y + t.long_top_hem * body
    ):
        # trousers under a long top cover the legs below its hem; patches among mostly bare
        # skin there are shadows, tights or shoes on bare legs
        rows = slice(
            int(np.percentile(ys, t.bottom_start_percentile)),
            int(np.percentile(ys, t.bottom_end_percentile)) + 1,
        )
        if bottom_mask[rows].sum() < (labels[rows] == C.LEGS).sum():
            label = int(C.LEGS)
    if label is not None:
        labels[bottom_mask] = label


def _below_bare_skin(
    labels: np.ndarray, lab_image, mask: np.ndarray, model: _Model, body: float, t: ParsingTuning
) -> bool:
    """Whether the pixels just above the mask's top edge are mostly bare legs (skin of another
    colour than the garment: light trousers partly taken for skin do not count)."""
    step = max(t.boot_gap_min_px, round(t.boot_gap * body))
    above = np.zeros_like(mask)
    above[:-step] = mask[step:]
    above &= ~mask & (labels > 0)
    if not above.any():
        return False
    skin = above & (labels == C.LEGS)
    bare = skin.sum() / above.sum()
    unlike = (model.distance(lab_image[skin]) > t.boot_unlike_cost).mean() if skin.any() else 0.0
    if _DEBUG:
        print("boots", dict(bare=round(float(bare), 2), unlike=round(float(unlike), 2)))
    return bool(bare > t.boot_bare_share and unlike > t.boot_unlike_share)


def _bottom_kind(
    bottom: np.ndarray,
    garment: np.ndarray,
    k: dict,
    body: float,
    hip_y: float,
    t: ParsingTuning,
    trousers_only: bool = False,
) -> int | None:
    """PANTS, SKIRT, or None when the 'bottom' is only a band of the top garment (a dress's border).

    Trousers leave a gap between the legs or end narrow around both ankles; a skirt spans both
    legs in one piece. A bottom garment that does not reach the waist is trousers under a long
    top when it looks like trousers, otherwise part of the top garment."""
    ra, la = k["right_ankle"], k["left_ankle"]
    rh, lh = k["right_hip"], k["left_hip"]
    height = bottom.shape[0]
    waist_rows = slice(
        max(0, int(hip_y - t.waist_rows_above * body)), min(height, int(hip_y + t.waist_rows_below * body))
    )
    waist_garment = garment[waist_rows].sum()
    at_waist = waist_garment > 0 and bottom[waist_rows].sum() > t.at_waist_share * waist_garment
    if rh is None or lh is None:
        return int(C.PANTS) if at_waist else None
    gap_votes, skirt_votes = _leg_votes(bottom, k, body, t)
    narrow_at_ankles = reaches_ankles = False
    if ra is not None and la is not None:
        y = round(min(ra[1], la[1]) - t.ankle_probe * body)
        if 0 <= y < height:
            cols = np.flatnonzero(bottom[y])
            span = abs(float(ra[0] - la[0])) + t.ankle_span_extra * body
            reaches_ankles = cols.size > 0
            narrow_at_ankles = cols.size > 0 and (cols[-1] - cols[0] + 1) < t.narrow_hem * span
    if _DEBUG:
        print("bottom", dict(at_waist=at_waist, skirt=skirt_votes, gap=gap_votes, narrow=narrow_at_ankles))
    if trousers_only:
        # same colour as the top: only two clearly separate legs say trousers (not a dress)
        return int(C.PANTS) if gap_votes >= t.same_colour_gap_votes and gap_votes > skirt_votes else None
    if gap_votes > 0 or narrow_at_ankles:
        return int(C.PANTS)
    if not at_waist:
        return None
    # Skirt evidence: one piece across the legs that ends in a hem above the ankles, or a long
    # skirt wide around the ankles. Legs together in trousers cut by the frame stay trousers.
    rows = np.flatnonzero(bottom.any(axis=1))
    ankle_ys = [a[1] for a in (ra, la) if a is not None and a[1] < height]
    hem_visible = bool(rows.size and ankle_ys and rows[-1] < min(ankle_ys) - t.hem_above_ankles * body)
    if skirt_votes > 0 and (hem_visible or reaches_ankles):
        return int(C.SKIRT)
    return int(C.PANTS)


def _leg_votes(mask: np.ndarray, k: dict, body: float, t: ParsingTuning) -> tuple[int, int]:
    """Rows across both thighs and shins: (the mask leaves a gap between the legs, it spans them)."""
    rk, lk, ra, la = k["right_knee"], k["left_knee"], k["right_ankle"], k["left_ankle"]
    rh, lh = k["right_hip"], k["left_hip"]
    height = mask.shape[0]
    pairs = []
    # thighs from just below the crotch (shorts end there), shins down to above the ankles
    for (t_lo, t_hi), a0, a1, b0, b1 in (
        (t.thigh_probe_span, rh, rk, lh, lk),
        (t.shin_probe_span, rk, ra, lk, la),
    ):
        if a0 is None or a1 is None or b0 is None or b1 is None:
            continue
        for share in np.linspace(t_lo, t_hi, t.probe_rows):
            pairs.append((a0 + (a1 - a0) * share, b0 + (b1 - b0) * share))
    gap_votes = skirt_votes = 0
    edge_parts, middle_parts = t.leg_edge_parts, t.leg_middle_parts
    for right, left in pairs:
        y = round((right[1] + left[1]) / 2)
        x0, x1 = sorted((round(right[0]), round(left[0])))
        if not 0 <= y < height or x1 - x0 < t.leg_min_apart_px:
            continue
        row = mask[y, max(0, x0) : x1 + 1]
        edge = max(1, len(row) // edge_parts)
        if not (row[:edge].any() and row[-edge:].any()):
            continue  # the garment does not reach both legs here
        middle = row[
            len(row) // middle_parts : max(
                len(row) // middle_parts + 1, (middle_parts - 1) * len(row) // middle_parts
            )
        ]
        if middle.all():
            skirt_votes += 1
        elif middle.mean() < t.gap_share and _covers_both_legs(mask[y], x0, x1, body, t):
            gap_votes += 1
    return gap_votes, skirt_votes


def _covers_both_legs(row: np.ndarray, x0: int, x1: int, body: float, t: ParsingTuning) -> bool:
    """Whether the mask's ``row`` covers each leg round its line (``x0``, ``x1``): trouser legs do;
    the shaded folds of a flared dress, parted by its lit ones, leave gaps too but cover neither."""
    half = max(1, round(t.leg_cover_half * body))
    for x in (x0, x1):
        window = row[max(0, x - half) : x + half + 1]
        if not window.size or window.mean() < t.leg_cover_share:
            return False
    return True


def _shoes(labels, lab_image, person, frame: _Frame, top, t: ParsingTuning) -> None:
    """Around and below the ankles, whatever is not the top garment's colour is a shoe (class legs)."""
    xx, yy = frame.xx, frame.yy
    for side in ("right", "left"):
        ankle, knee = frame.k[f"{side}_ankle"], frame.k[f"{side}_knee"]
        if ankle is None:
            continue
        shin = float(np.hypot(*(ankle - knee))) if knee is not None else frame.body
        zone = person & _shoe_zone(frame, ankle, shin, t)
        current = labels[zone]
        garment = (current == C.UPPER_CLOTHES) | (current == C.SKIRT) | (current == C.PANTS)
        ankle_ring = (
            person
            & (np.abs(xx - ankle[0]) < t.ankle_ring_half_width * shin)
            & (yy > ankle[1] - t.ankle_ring_top * shin)
            & (yy < ankle[1] - t.shoe_top * shin)
        )
        if ankle_ring.any() and (labels[ankle_ring] == C.LEGS).mean() > t.bare_ankle_share:
            # a bare ankle: whatever garment is below it is the shoe
            current[garment & (yy[zone] > ankle[1] - t.shoe_below_bare_ankle * shin)] = int(C.LEGS)
            labels[zone] = current
            continue
        if top is not None:
            garment &= top.distance(lab_image[zone]) > t.shoe_unlike_top
        if _shoe_below_trousers(labels, lab_image, zone, current, ankle, shin, frame, t):
            continue
        if (current == C.PANTS).mean() > t.trouser_hem_share:
            continue
        current[garment] = int(C.LEGS)
        labels[zone] = current


def _shoe_below_trousers(
    labels, lab_image, zone, current, ankle, shin: float, frame: _Frame, t: ParsingTuning
) -> bool:
    """Trousers down to the shoes: below the ankle the top cannot be, and what is unlike the
    trousers is the shoe. False (nothing changed) when no trousers end above this ankle."""
    xx, yy = frame.xx, frame.yy
    shin_band = (
        (labels == C.PANTS)
        & (np.abs(xx - ankle[0]) < t.shin_band_half_width * shin)
        & (yy > ankle[1] - t.shin_band_top * shin)
        & (yy < ankle[1] - t.shin_band_bottom * shin)
    )
    trousers = _fit(lab_image[shin_band], t.trouser_clusters, t.garment_floor, t)
    if trousers is None:
        return False
    low = np.isin(current, (C.PANTS, C.UPPER_CLOTHES, C.SKIRT)) & (yy[zone] > ankle[1])
    unlike = (current[low] != C.PANTS) | (trousers.distance(lab_image[zone][low]) > t.shoe_unlike_trousers)
    low[low] = unlike
    current[low] = int(C.LEGS)
    labels[zone] = current
    return True


def _at_or_below(mask: np.ndarray) -> np.ndarray:
    """Pixels with a pixel of ``mask`` at or below them in their column."""
    return np.flipud(np.maximum.accumulate(np.flipud(mask), axis=0))


def _over(mask: np.ndarray) -> np.ndarray:
    """Pixels whose neighbour straight below is in ``mask``."""
    return np.vstack([mask[1:], np.zeros((1, mask.shape[1]), bool)])


def _under(mask: np.ndarray) -> np.ndarray:
    """Pixels whose neighbour straight above is in ``mask``."""
    return np.vstack([np.zeros((1, mask.shape[1]), bool), mask[:-1]])


def _hem(labels: np.ndarray, body: float, t: ParsingTuning) -> np.ndarray:
    """Dress or skirt in rows as wide as a hem: a foot or a shoe's strap below it is narrower. A print's
    skin-like specks (still legs here) and small gaps count as the garment's width."""
    garment = np.isin(labels, (C.UPPER_CLOTHES, C.SKIRT))
    gap = max(1, round(t.hem_gap * body))
    run = max(t.hem_min_px, round(t.hem_width * body))
    cloth = (garment | (labels == C.LEGS)).astype(np.uint8)
    cloth = cv2.morphologyEx(cloth, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8))
    return (cv2.morphologyEx(cloth, cv2.MORPH_OPEN, np.ones((1, run), np.uint8)) > 0) & garment


def _feet_below_the_hem(
    labels: np.ndarray,
    lab_image: np.ndarray,
    person: np.ndarray,
    frame: _Frame,
    feet: np.ndarray,
    t: ParsingTuning,
) -> None:
    """A foot or shoe below a long dress or skirt, labelled as that garment (its colours near the
    print's, or the sandal's straps the gown's): where the ``feet`` may stand, a piece of the garment
    with no hem anywhere below it in its columns, standing at the bottom of the person, is legs when
    what lies on top of it is mostly not the garment (a bare shin or foot) or when it is partly unlike
    the hem beside it. A corner of the hem beside a foot hangs from the garment and matches it."""
    garment = np.isin(labels, (C.UPPER_CLOTHES, C.SKIRT))
    if not garment.any():
        return
    hem = _hem(labels, frame.body, t)
    below = garment & ~_at_or_below(hem) & feet & person
    if not below.any():
        return
    _, parts, stats, _ = cv2.connectedComponentsWithStats(below.astype(np.uint8), connectivity=8)
    ground = person & ~_over(person)
    # a shoe stands at the bottom of the person; a slanting hem need not
    for index in np.unique(parts[below & ground]):
        piece = parts == index
        on_top = _over(piece) & ~piece
        if (
            on_top.any()
            and np.isin(labels[on_top], (C.UPPER_CLOTHES, C.SKIRT)).mean() < t.shoe_under_garment_share
        ):
            labels[piece] = int(C.LEGS)  # under a bare shin or a foot, not hanging from the hem
            continue
        if _unlike_the_hem(piece, stats[index], hem, lab_image, t):
            labels[piece] = int(C.LEGS)


def _shins_below_the_hem(
    labels: np.ndarray,
    lab_image: np.ndarray,
    person: np.ndarray,
    leg_distance: np.ndarray,
    feet: np.ndarray,
    body: float,
    t: ParsingTuning,
) -> None:
    """A dress ends at its hem: a piece of it below the hem (no hem at or below it in its columns),
    along a leg's bones and no wider than a shin, hanging from the dress, standing on a bare leg that
    goes down to the ``feet`` and partly unlike the hem beside it (a shin in the shade of a flared
    skirt, its colour near the print's) is legs. A hem's corner or tassel hangs beside the legs, over
    the background; a fold of a gown lying on the foot has the hem's colours; a speck of "legs"
    inside trousers goes down to no foot."""
    garment = np.isin(labels, (C.UPPER_CLOTHES, C.SKIRT))
    if not garment.any():
        return
    # the hem's ragged ends count as hem: a sliver beside the hem is no shin
    gap = max(1, round(t.hem_gap * body))
    hem = cv2.dilate(_hem(labels, body, t).astype(np.uint8), np.ones((1, 2 * gap + 1), np.uint8)) > 0
    below = garment & ~_at_or_below(hem) & person & (leg_distance < t.shin_reach * body)
    if not below.any():
        return
    count, parts, stats, _ = cv2.connectedComponentsWithStats(below.astype(np.uint8), connectivity=8)
    leg_count, leg_parts = cv2.connectedComponents((labels == C.LEGS).astype(np.uint8), connectivity=8)
    to_the_feet = np.zeros(leg_count, bool)
    to_the_feet[np.unique(leg_parts[feet & (labels == C.LEGS)])] = True
    to_the_feet[0] = False
    legs = to_the_feet[leg_parts]
    for index in range(1, count):
        if stats[index, cv2.CC_STAT_WIDTH] > t.shin_width * body:
            continue  # wider than a shin: the garment's own corner
        piece = parts == index
        under = _under(piece) & ~piece & person
        on_top = _over(piece) & ~piece & person
        if not (under.any() and on_top.any()):
            continue
        hangs_from_the_dress = garment[on_top].mean() >= t.shin_share
        if not (hangs_from_the_dress and legs[under].mean() >= t.shin_share):
            continue
        if _unlike_the_hem(piece, stats[index], hem & garment, lab_image, t):
            labels[piece] = int(C.LEGS)


def _unlike_the_hem(
    piece: np.ndarray, stat: np.ndarray, hem: np.ndarray, lab_image: np.ndarray, t: ParsingTuning
) -> bool:
    """Whether a ``piece`` below a dress's ``hem`` (``stat``: its connectedComponentsWithStats row) is
    partly unlike the hem beside it: a foot, a sandal or a shin, not a fold or a corner of the dress."""
    x, w = int(stat[cv2.CC_STAT_LEFT]), int(stat[cv2.CC_STAT_WIDTH])
    columns = np.arange(hem.shape[1])[None, :]
    beside = hem & (columns >= x - w) & (columns < x + 2 * w)
    if beside.sum() < t.hem_min_px:
        return False
    dress = _fit(lab_image[beside], t.shoe_hem_clusters, t.garment_floor, t)
    unlike = dress.distance(lab_image[piece]) > t.shoe_unlike_top if dress is not None else None
    return unlike is not None and unlike.mean() >= t.shoe_unlike_share


def _shoes_below_bare_ankles(
    labels: np.ndarray, person: np.ndarray, feet: np.ndarray, t: ParsingTuning
) -> None:
    """Trousers do not go on below bare skin: where the ``feet`` may stand, a piece of "trousers" below
    bare legs in its columns, standing on the person's lowest edge with mostly bare skin on top of it,
    is a shoe (a dark shoe under a print whose dark colour the trousers' model holds)."""
    pants = labels == C.PANTS
    legs = labels == C.LEGS
    # bare skin, not a print's pale specks: what survives an opening
    bare = cv2.morphologyEx((legs & feet).astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)) > 0
    below_bare = pants & np.maximum.accumulate(bare, axis=0) & feet & person
    if not below_bare.any():
        return
    _, parts = cv2.connectedComponents(below_bare.astype(np.uint8), connectivity=8)
    ground = person & ~_over(person)
    for index in np.unique(parts[below_bare & ground]):
        piece = parts == index
        on_top = _over(piece) & ~piece & person
        if not (on_top.any() and legs[on_top].mean() >= t.shoe_under_bare_share):
            continue
        # the whole shoe: with the sides and toes wider than the ankle above it, no higher than it
        top = int(np.argmax(piece.any(axis=1)))
        shoe = pants & feet & person
        shoe[:top] = False
        _, pieces = cv2.connectedComponents(shoe.astype(np.uint8), connectivity=8)
        labels[np.isin(pieces, np.unique(pieces[piece & shoe])) & shoe] = int(C.LEGS)


def _feet_zone(frame: _Frame, t: ParsingTuning) -> np.ndarray:
    """Where the feet may stand: round each ankle the pose found and anywhere straight below it (the
    pose puts an ankle hidden by a gown high)."""
    feet = np.zeros(frame.xx.shape, bool)
    for side in ("right", "left"):
        ankle, knee = frame.k[f"{side}_ankle"], frame.k[f"{side}_knee"]
        if ankle is None:
            continue
        shin = float(np.hypot(*(ankle - knee))) if knee is not None else frame.body
        feet |= _shoe_zone(frame, ankle, shin, t, depth=np.inf)
    return feet


def _shoe_zone(
    frame: _Frame, ankle: np.ndarray, shin: float, t: ParsingTuning, depth: float | None = None
) -> np.ndarray:
    """Where a shoe may be: round the ankle from a little above it, and straight below it down to
    ``depth`` shins below it (``shoe_depth`` unless given)."""
    xx, yy = frame.xx, frame.yy
    depth = t.shoe_depth if depth is None else depth
    around = (np.hypot(xx - ankle[0], yy - ankle[1]) < t.shoe_radius * shin) & (
        yy > ankle[1] - t.shoe_top * shin
    )
    below = (np.abs(xx - ankle[0]) < t.shoe_radius * shin) & (yy > ankle[1])
    return around | (below & (yy < ankle[1] + depth * shin))
