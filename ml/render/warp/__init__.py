"""The default renderer: garments warped part by part onto the shopper's own photo, no weights.

``tryon``: each garment (cut from an on-model photo by parsing class, or a packshot placed by
its landmarks) is split into part groups (torso, arms, legs). The torso follows the torso frame
(widths measured on the person masks, sleeves excluded); on-model limbs are warped bone by bone,
each rigidly (along/across scale clamped) with a soft cross-fade at the elbow or knee, so a sleeve
follows the shopper's arm whatever the product model's arm did. A limb the shopper photo lacks is
not invented: its sleeve is cut near the shoulder (or at the elbow). The warped garment is then
kept on the shopper: clipped to the body region (person mask, bones with room for loose sleeves,
a flare below the hips) and cleared of fragments cut off from the rest.
The shopper's own garment is replaced by a clean plate (skin with the shopper's own grain on the
limbs, neck and a slim torso, a pyramid-filled background elsewhere, same-coloured leftovers the
parser missed removed too); a new top leaves a dress or tunic reaching down her thighs in place
below the hips, and a large piece of her top that the new top or dress leaves bare where skin would
be painted (a cami's neckline and shoulders over her tee) stays, worn under it. Her own sleeves
stay beside the new garment, but a short one goes with her top when her arm shows below it: the arm
under it is drawn from that bare arm (:mod:`ml.render.warp.arms`). Layers are
composited: lower garments and torso parts, the shopper's arms, garment sleeves, and finally the
shopper's hair, face and hands. Pixels that no garment covers and no removed
garment occupied are the shopper's, unchanged.

``pose``: the product's model, every part, warped onto the shopper's skeleton on a clean
background.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

from ml.checks import pair_findings
from ml.errors import CannotRender
from ml.garments import GARMENT_TUNINGS
from ml.kinds import KIND_ORDER, REPLACES
from ml.render.registry import Renderer, register_renderer
from ml.render.warp import arms as warp_arms
from ml.render.warp import backdrop as warp_backdrop
from ml.render.warp import body as warp_body
from ml.render.warp import collar as warp_collar
from ml.render.warp import geometry as warp_geometry
from ml.render.warp import hair as warp_hair
from ml.render.warp import mesh as warp_mesh
from ml.render.warp import mirror as warp_mirror
from ml.render.warp import sleeves as warp_sleeves
from ml.render.warp import sources as warp_sources
from ml.render.warp import texture as warp_texture
from ml.render.warp import trousers as warp_trousers
from ml.render.warp.body import (
    ARM_GROUPS,
    GROUPS_KEY,
    attachment_region,
    body_skeleton,
    clean_plate,
    garment_rim,
    grow_into_background,
    label_groups,
    main_components,
    painted_legs,
    painted_upper_body,
    pieces_touching,
    shoulder_span,
    skin_grain,
    thin_parts,
    wears_trousers,
)
from ml.render.warp.geometry import (
    ARM_BONES,
    BONES,
    Group,
    Part,
    Skeleton,
    invert,
    run_through,
    segment_distance,
    transform_points,
    warp_rgba,
)
from ml.render.warp.hair import recovered_hair
from ml.render.warp.sources import Layer, OnModelSource, _main_parts, make_source, packshot_layer_extras
from ml.tuning import versioned
from ml.types import (
    KP,
    Finding,
    GarmentKind,
    Packshot,
    PhotoAnalysis,
    RenderMode,
    RenderRequest,
    RenderResult,
    Severity,
)
from ml.types import ParsingClass as C


@dataclass(frozen=True)
class CompositeTuning:
    """How the warped garments are laid onto the shopper's photo. Lengths in shoulder spans (her
    shoulder joints apart) unless said otherwise; levels in torso lengths (shoulders to hips) past
    her hip joints, so -1 is her shoulder line."""

    grid_rows: int = 96  # a blended part's map is computed every (photo rows / this) px ...
    grid_range: tuple[int, int] = (2, 12)  # ... that step kept within this range (px)
    limb_overlap: int = 5  # px: limb groups grown over the torso by a kernel this wide (no seam)
    min_alpha: float = 0.01  # a layer's pixels count from this alpha (its crop box)
    warp_margin: int = 4  # px: a warped piece's box grown by this
    limb_reach: float = 0.6  # a limb piece stays within this distance of its bones
    attach_height: int = 160  # px: pieces cut off from the garment are found on a copy this tall
    min_placed: float = 0.15  # a render must show at least this much garment (shoulder spans squared)
    top_over_bottom: float = 0.2  # the shopper's top stays over a new bottom down to this level
    knee_level: float = 0.6  # "towards the knees": this level
    long_top: float = 0.03  # a top with this share of its pixels below ``dress_level`` is a dress
    # ... this level: mid-thigh (a dress is kept below a new top's hem as a skirt; at the knees' 0.6 a
    # short dress was taken for a top, removed whole, and her thighs painted as flat tubes of skin)
    dress_level: float = 0.45
    min_old_dress: int = 50  # px: the old dress towards the knees a new top can cover ...
    new_dress_cover: float = 0.5  # ... a new top covering this share of it replaces all of it
    dress_from: float = -0.05  # a dress kept under a new top: from this level down
    # a long top over trousers that covers this share of her painted thighs (from ``tunic_from`` down
    # to ``dress_level``) is a tunic: it goes with a new top, and her trousers are continued up
    tunic_cover: float = 0.6
    tunic_from: float = 0.1  # her thighs for ``tunic_cover`` from this level down
    # below a new dress shorter than hers her dress stays: the new one ends where its alpha falls
    # below this, column by column
    hem_cover: float = 0.5
    # a sleeve of hers whose arm is drawn from her own goes as far as this from her arm's line
    # (shoulder to hem) outside her torso, whatever is kept of her top (a bell sleeve's far parts)
    wide_sleeve: float = 0.5
    # ... unless more than this share of the rim round the drawn arm is her top kept under the new
    # garment (her top on both sides of it) ...
    arm_in_kept_top: float = 0.7
    arm_rim: float = 0.03  # ... the rim this wide
    # a piece of her top that a new top leaves uncovered where skin would be painted stays, worn
    # under it, from this area (shoulder spans squared)
    worn_under_area: float = 0.08
    hem_zone: float = -0.35  # a new top's hem over a kept dress is drawn from this level down ...
    hem_min_rows: int = 4  # px: ... on tops at least this tall ...
    # ... a packshot's with an edge as crisp as a hem's in the photo (its alpha blurred down by this
    # little, px: faded, a white tee's hem read as a glow over a dark dress, "blurred hem") ...
    hem_edge: float = 0.6
    hem_fade_across: float = 0.1  # px: ... blurred this little across (its sides keep their edge) ...
    hem_rows: int = 220  # ... with a contact shadow reaching 1 px per this many photo rows ...
    hem_min_reach: int = 2  # ... at least this many px
    # an on-model garment's hem (often where its photo ends, in a straight line) fades down over
    # this many reaches
    hem_fade: float = 0.6
    hem_shadow: float = 0.28  # darkening right under a top's hem where the shopper's dress goes on below it
    legs_gap_solid: float = 0.95  # a new bottom's pixels this opaque are its fabric (below: its soft edge)
    shadow_spread: tuple[float, float] = (0.6, 1.2)  # the shadow blurred by this many reaches across, down
    shadow_mark: float = 0.004  # a shadow this strong makes a pixel no longer the shopper's own ...
    shadow_coverage: float = 0.01  # ... with this token garment coverage
    garment_above_shoulders: float = 0.2  # the old garment reaches this far above the shoulder line ...
    hair_zone: float = 0.5  # ... and, above it and up to this far, only where garment-coloured
    colour_samples_below: float = 0.1  # the old top's colour is sampled from this far below the shoulder line
    min_colour_samples: int = 30  # px: a colour model needs this many samples
    min_colour_variance: float = 16.0  # levels squared added to a colour model's variance (a 4-level spread)
    collar_join: float = 0.02  # garment-coloured hair is her top's only within this of her top (spans)
    own_sleeve_reach: float = 0.22  # the shopper's sleeve: her garment this close to an arm bone ...
    own_sleeve_below: float = -0.2  # ... from this far below her shoulder line (less than 0: above it) ...
    # ... on an arm whose upper arm her garment covers this far down from the shoulder (a tank's
    # straps and armholes around the shoulder joint are no sleeve) ...
    own_sleeve_probe: float = 0.35
    own_sleeve_probe_radius: float = 0.08  # ... in a disc this wide around the bone there ...
    own_sleeve_cover: float = 0.5  # ... on at least this share of its person pixels
    paste_softness: float = 0.7  # px: the edge blur of her top, arms and front parts pasted back ...
    arm_softness_rows: int = 700  # ... her arms' at least 1 px per this many photo rows
    hair_on_chest: float = 0.3  # hair parsed this far below the shoulder line is taken for a garment
    head_above_shoulders: float = 0.15  # her face is in front of a garment from this far above her shoulders
    # ... within this far of the line from her neck to her nose (her bare shoulder tops, which the
    # parser labels face, go behind: pasted in front they cut notches into a garment laid onto them)
    head_reach: float = 0.3
    armpit_level: float = -0.75  # her arms are in front of a garment's torso from this level down ...
    shoulder_reach: float = 0.35  # ... or farther than this from the line between her shoulder joints
    sleeve_room: float = 0.18  # inside her torso, a packshot sleeve is drawn over the garment's body only
    sleeve_overlap: float = 0.06  # ... this close to her arm bones or this close to the body's edge
    hair_speck: float = 0.05  # hair pieces under this share of the largest are specks
    # with packshots, "arms" farther than this from her arm bones (and their hands) is the bare midriff
    # the parser gives to the arms: it stays behind a new garment, not pasted over it
    arm_bone_reach: float = 0.3
    # her waist between her arms (above the wrists, on the inner side of every arm bone) is no arm
    # farther from the bones than her arm's own half-width, measured at these shares along a bone ...
    arm_samples: tuple[float, ...] = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
    arm_room: float = 1.5  # ... (their median) times this ...
    arm_min_reach: float = 0.12  # ... and at least this many shoulder spans
    hand_reach: float = 0.32  # her hand: arm pixels within this distance of the wrist ...
    min_hand_reach: int = 2  # px: ... the hand's reach at least this
    hand_behind_wrist: float = 0.06  # ... from this far behind the wrist (towards the elbow) on
    foot_reach: float = 0.6  # her foot and shoe: leg pixels within this distance of the ankle ...
    foot_above_ankle: float = 0.05  # ... from this far above the ankle down
    person_coverage: float = 0.05  # garment coverage from which a pixel counts for the card's box
    card_aspect: float = 3 / 4  # the card's width / height
    card_margin: float = 1.08  # the card's box: the person's box times this


TUNING = CompositeTuning()
# warp-9, the warp-12 candidates, warp-17, warp-18, warp-28, warp-30, warp-31, warp-34 to warp-38,
# warp-42 to warp-44, warp-47 to warp-49, warp-52, warp-61, warp-63, warp-66, warp-69, warp-70, warp-76,
# warp-84, warp-88, warp-92, warp-94, warp-95 were rejected by review (warp-89, warp-90 and warp-91 shipped
# after revised candidates); warp-13 to warp-20 in reviews/README.md; warp-33 and later in the README
BASE_VERSION = "warp-107"
# garments cut from an on-model photo whose layers are lifted onto her shoulders as a packshot top's are
LIFTED_KINDS = (GarmentKind.TOP, GarmentKind.OUTERWEAR, GarmentKind.DRESS)
# every config whose numbers change a warp render (the version carries their digest): the warp's
# own, and the garments' (the packshot's cut-out is cleaned again at render time)
WARP_TUNINGS = (
    warp_geometry.TUNING,
    warp_body.TUNING,
    warp_collar.TUNING,
    warp_hair.TUNING,
    warp_sources.TUNING,
    warp_mesh.TUNING,
    warp_mirror.TUNING,
    warp_arms.TUNING,
    warp_backdrop.TUNING,
    warp_sleeves.TUNING,
    warp_texture.TUNING,
    warp_trousers.TUNING,
    TUNING,
    *GARMENT_TUNINGS,
)


def warp_version(tunings: tuple = WARP_TUNINGS) -> str:
    """The renderer's version: the base and a digest of every tuning config it renders with."""
    return versioned(BASE_VERSION, *tunings)


VERSION = warp_version()
CLEAN_KEY = "warp.clean"
# the clean plate with her legs in her skin (for a new bottom), stored when she wears trousers
CLEAN_BARE_LEGS_KEY = "warp.clean_bare_legs"


def _armless_key(sides: tuple[str, ...]) -> str:
    """The stored clean plate without the painted arms of ``sides`` (``WarpRenderer._armless_plate``)."""
    return "warp.clean_without_arms." + "+".join(sides)


POSE_BACKGROUND = (243, 242, 240)
SHOULDER_LINE = -1.0  # the level of the shoulder line: one torso length above the hips
NOT_PLACED = (
    "We could not fit this product onto your photo. Try a photo that shows you from the shoulders to the"
    " hips, facing the camera."
)
GROUP_ORDER = (Group.RIGHT_LEG, Group.LEFT_LEG, Group.TORSO, Group.HEAD, Group.RIGHT_ARM, Group.LEFT_ARM)


def _grid_step(height: int) -> int:
    return int(np.clip(round(height / TUNING.grid_rows), *TUNING.grid_range))


def _premultiplied(
    layer: Layer, group: Group, weight: np.ndarray | None = None, grow: np.ndarray | None = None
) -> tuple[np.ndarray, tuple[int, int, int, int]] | None:
    """Premultiplied RGBA of one group of a layer (times ``weight``; limb groups also over the
    layer pixels ``grow``), cropped to its box (x0, y0, x1, y1)."""
    select = layer.groups == group
    if group != Group.TORSO:
        # limb groups overlap the torso a little, so warps that differ slightly leave no seam
        overlap = np.ones((TUNING.limb_overlap, TUNING.limb_overlap), np.uint8)
        select = cv2.dilate(select.astype(np.uint8), overlap) > 0
        if grow is not None:
            select |= grow
    alpha = layer.alpha * select
    if weight is not None:
        alpha = alpha * weight
    rows = np.flatnonzero(alpha.max(axis=1) > TUNING.min_alpha)
    cols = np.flatnonzero(alpha.max(axis=0) > TUNING.min_alpha)
    if rows.size == 0:
        return None
    y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    a = alpha[y0:y1, x0:x1, None]
    rgba = np.concatenate([layer.image[y0:y1, x0:x1].astype(np.float32) * a, a * 255.0], axis=2)
    return np.clip(rgba + 0.5, 0, 255).astype(np.uint8), (int(x0), int(y0), int(x1), int(y1))


def _dst_box(part: Part, src_box: tuple[int, int, int, int], shape: tuple[int, int], margin: float):
    """Destination box that receives a source box under any of the part's affines."""
    x0, y0, x1, y1 = src_box
    corners = np.array([[x0, y0], [x1, y0], [x0, y1], [x1, y1]], np.float64)
    pts = np.concatenate([transform_points(invert(a), corners) for a in part.affines])
    height, width = shape
    bx0 = int(np.clip(np.floor(pts[:, 0].min() - margin), 0, width))
    by0 = int(np.clip(np.floor(pts[:, 1].min() - margin), 0, height))
    bx1 = int(np.clip(np.ceil(pts[:, 0].max() + margin), 0, width))
    by1 = int(np.clip(np.ceil(pts[:, 1].max() + margin), 0, height))
    return bx0, by0, bx1, by1


def _limit_box(box: tuple[int, int, int, int], part: Part, reach: float) -> tuple[int, int, int, int]:
    """``box`` cut to the part's destination bones plus ``reach`` (limbs stay near the limb)."""
    pts = np.concatenate([np.asarray(shape, np.float64).reshape(-1, 2) for shape in part.dst_shapes])
    x0 = max(box[0], int(np.floor(pts[:, 0].min() - reach)))
    y0 = max(box[1], int(np.floor(pts[:, 1].min() - reach)))
    x1 = min(box[2], int(np.ceil(pts[:, 0].max() + reach)))
    y1 = min(box[3], int(np.ceil(pts[:, 1].max() + reach)))
    return x0, y0, max(x0, x1), max(y0, y1)


def _shift(part: Part, dx: float, dy: float) -> Part:
    """The same part for a source cropped at (dx, dy)."""
    affines = [a - np.array([[0, 0, dx], [0, 0, dy]], np.float64) for a in part.affines]
    seam = part.seam.shifted(dx, dy) if part.seam is not None else None
    return Part(affines, part.dst_shapes, part.sigma, seam)


def _over(canvas: np.ndarray, rgba: np.ndarray, box: tuple[int, int, int, int], coverage: np.ndarray) -> None:
    x0, y0, x1, y1 = box
    region = canvas[y0:y1, x0:x1]
    alpha = rgba[..., 3:4].astype(np.float32) / 255.0
    region *= 1.0 - alpha
    region += rgba[..., :3]
    cov = coverage[y0:y1, x0:x1]
    cov += (1.0 - cov) * alpha[..., 0]


def _soft_hem(
    canvas: np.ndarray,
    rgba: np.ndarray,
    box: tuple[int, int, int, int],
    zone: np.ndarray,
    dress: np.ndarray,
    coverage: np.ndarray,
    crisp: bool,
) -> None:
    """A top's hem over a dress that goes on below it, and a soft contact shadow on the dress
    right under it, in place. A packshot's hem (``crisp``) is a real hem: its edge is only
    anti-aliased, no softer than a hem in the photo. A garment cut from an on-model photo often ends
    where that photo does, in a straight line: its alpha ramps down over a few pixels.

    Only lower edges in ``zone`` change: the alpha is blurred along the columns, so the sides of
    the top keep their edge."""
    t = TUNING
    x0, y0, x1, y1 = box
    inside = zone[y0:y1, x0:x1]
    if not inside.any() or y1 - y0 < t.hem_min_rows:
        return
    height = canvas.shape[0]
    reach = max(t.hem_min_reach, round(height / t.hem_rows))
    alpha = rgba[..., 3] / 255.0
    if crisp:
        soft = cv2.GaussianBlur(alpha, (1, 0), sigmaX=t.hem_fade_across, sigmaY=t.hem_edge)
    else:
        eroded = cv2.erode(alpha, np.ones((reach + 1, 1), np.uint8), anchor=(0, 0))
        soft = cv2.GaussianBlur(eroded, (1, 0), sigmaX=t.hem_fade_across, sigmaY=t.hem_fade * reach)
    soft = np.where(inside, np.minimum(alpha, soft), alpha)
    scale = np.where(alpha > 1e-4, soft / np.maximum(alpha, 1e-4), 0.0).astype(np.float32)
    # the shadow, on the dress only
    shadow = _contact_shadow(alpha, reach)
    shadow *= inside * dress[y0:y1, x0:x1] * (1.0 - soft)
    _cast_shadow(canvas, shadow, box, coverage)
    rgba *= scale[..., None]


def _cast_shadow(
    canvas: np.ndarray, shadow: np.ndarray, box: tuple[int, int, int, int], coverage: np.ndarray
) -> None:
    """``shadow`` (0..1, in ``box``) darkening the canvas by up to ``hem_shadow``, in place; the
    shaded pixels are no longer the shopper's untouched ones (a token coverage keeps them)."""
    t = TUNING
    x0, y0, x1, y1 = box
    canvas[y0:y1, x0:x1] *= (1.0 - t.hem_shadow * shadow)[..., None]
    cov = coverage[y0:y1, x0:x1]
    np.maximum(cov, np.where(shadow > t.shadow_mark, t.shadow_coverage, 0.0).astype(np.float32), out=cov)


def _shadow_on_her_bottom(
    canvas: np.ndarray,
    rgba: np.ndarray,
    box: tuple[int, int, int, int],
    bottom: np.ndarray,
    coverage: np.ndarray,
) -> None:
    """A new top's contact shadow on her own trousers or skirt (``bottom``) under its hem, in place:
    drawn with none, its hem read as pasted over them (as her own top's over a new bottom, warp-106)."""
    t = TUNING
    x0, y0, x1, y1 = box
    under = bottom[y0:y1, x0:x1]
    if not under.any():
        return
    reach = max(t.hem_min_reach, round(canvas.shape[0] / t.hem_rows))
    alpha = rgba[..., 3] / 255.0
    _cast_shadow(canvas, _contact_shadow(alpha, reach) * under * (1.0 - alpha), box, coverage)


def _contact_shadow(alpha: np.ndarray, reach: int) -> np.ndarray:
    """The soft shadow a garment casts right under its hem: its (unfeathered) ``alpha`` dropped
    a little and spread."""
    drop = np.zeros_like(alpha)
    shift = max(1, reach // 2)
    drop[shift:] = alpha[:-shift]
    across, down = TUNING.shadow_spread
    return cv2.GaussianBlur(drop, (0, 0), sigmaX=across * reach, sigmaY=down * reach)


def _shadow_under_her_top(canvas: np.ndarray, top: np.ndarray, coverage: np.ndarray) -> None:
    """Her own top's contact shadow on the new bottom under its hem, in place (drawn without it,
    the top read as cut straight across over the trousers: "dress crudely cropped to top")."""
    t = TUNING
    rows, cols = np.flatnonzero(top.max(axis=1) > 0), np.flatnonzero(top.max(axis=0) > 0)
    if rows.size == 0:
        return
    height, width = top.shape
    reach = max(t.hem_min_reach, round(height / t.hem_rows))
    pad = 4 * reach
    y0, y1 = rows[0], min(height, rows[-1] + pad + 1)
    x0, x1 = max(0, cols[0] - pad), min(width, cols[-1] + pad + 1)
    own = top[y0:y1, x0:x1].astype(np.float32)
    shadow = _contact_shadow(own, reach) * (1.0 - own) * np.clip(coverage[y0:y1, x0:x1], 0.0, 1.0)
    canvas[y0:y1, x0:x1] *= (1.0 - t.hem_shadow * shadow)[..., None]


def _paste(canvas: np.ndarray, image: np.ndarray, mask: np.ndarray, coverage: np.ndarray) -> None:
    """Put ``image`` back where ``mask`` (0..1 float) says, in place; the garment's coverage there
    drops accordingly (what is pasted over the garment hides it)."""
    sel = mask > 0
    if not sel.any():
        return
    m = mask[sel][:, None]
    canvas[sel] = canvas[sel] * (1 - m) + image[sel].astype(np.float32) * m
    coverage[sel] *= 1 - m[:, 0]


def _soft_inside(mask: np.ndarray, sigma: float | None = None) -> np.ndarray:
    """``mask`` (bool) as a 0..1 paste mask whose edge is blurred inwards only (``sigma`` px, by
    default ``paste_softness``): nothing outside the mask is pasted."""
    sigma = TUNING.paste_softness if sigma is None else sigma
    return cv2.GaussianBlur(mask.astype(np.float32), (0, 0), sigma) * mask


def _card(image: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    """A 3:4 crop around ``box`` with a margin, padded with the photo's edge colour where it is too small."""
    height, width = image.shape[:2]
    aspect, margin = TUNING.card_aspect, TUNING.card_margin
    x0, y0, x1, y1 = box
    bh = (y1 - y0) * margin
    bw = (x1 - x0) * margin
    ch = max(bh, bw / aspect)
    cw = ch * aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    left, top = round(cx - cw / 2), round(cy - ch / 2)
    cw_i, ch_i = round(cw), round(ch)
    # keep inside the photo where possible
    left = int(np.clip(left, 0, max(width - cw_i, 0))) if cw_i <= width else left
    top = int(np.clip(top, 0, max(height - ch_i, 0))) if ch_i <= height else top
    pad_l, pad_t = max(0, -left), max(0, -top)
    pad_r, pad_b = max(0, left + cw_i - width), max(0, top + ch_i - height)
    src = image
    if pad_l or pad_t or pad_r or pad_b:
        edge = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])
        fill = [int(v) for v in np.median(edge, axis=0)]
        src = cv2.copyMakeBorder(image, pad_t, pad_b, pad_l, pad_r, cv2.BORDER_CONSTANT, value=fill)
    return np.ascontiguousarray(src[top + pad_t : top + pad_t + ch_i, left + pad_l : left + pad_l + cw_i])


def _area(layers: list) -> float:
    """The warped garment's area (px): the sum of its layers' alpha."""
    return sum(float(warped[..., 3].sum()) / 255.0 for warped, *_ in layers)


def _layer_alpha(layers: list, shape: tuple[int, int], keep=lambda group, kind: True) -> np.ndarray:
    """The layers' alpha over the photo (0..1, the largest where they overlap), only the layers whose
    ``(group, kind)`` ``keep`` accepts."""
    alpha = np.zeros(shape, np.float32)
    for warped, (x0, y0, x1, y1), group, kind in layers:
        if keep(group, kind):
            np.maximum(alpha[y0:y1, x0:x1], warped[..., 3] / 255.0, out=alpha[y0:y1, x0:x1])
    return alpha


def _signals(warped_area: float, attached_area: float, shown_area: float, removed: np.ndarray | None) -> dict:
    return {
        # share of the warped garment kept on the body (the rest fell outside it or was cut off)
        "attached_share": attached_area / warped_area if warped_area > 0 else 0.0,
        # share of the attached garment still visible in front of arms, hands and hair
        "visible_share": shown_area / attached_area if attached_area > 0 else 0.0,
        # removed old garment per pixel of new garment shown
        "removed_per_shown": float(removed.sum()) / max(shown_area, 1.0) if removed is not None else 0.0,
    }


def _mask_box(mask: np.ndarray) -> tuple[float, float, float, float] | None:
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    return float(cols[0]), float(rows[0]), float(cols[-1] + 1), float(rows[-1] + 1)


@register_renderer
class WarpRenderer(Renderer):
    name = "warp"
    version = VERSION

    def precompute_packshot(self, packshot: Packshot) -> dict[str, np.ndarray]:
        """The packshot's cleaned layer (its cut-out's rim, colours and part groups)."""
        if packshot.kind == GarmentKind.FULL_OUTFIT:
            return {}
        try:
            return packshot_layer_extras(packshot)
        except CannotRender:
            return {}

    def product_photo_findings(self, analysis: PhotoAnalysis, kind: GarmentKind) -> list[Finding]:
        """An on-model photo that cuts the garment off at its lower edge is refused for try-on."""
        if not warp_sources.cut_off_below(analysis, kind):
            return []
        garment = str(GarmentKind(kind)).replace("_", " ")
        return [
            Finding(
                "garment_cut_off",
                Severity.WARNING,
                f"This photo cuts the {garment} off at its lower edge, so its length is unknown: shoppers"
                " see the product photo instead of a try-on from it. A photo showing the whole garment"
                " can be tried on.",
            )
        ]

    def precompute(self, analysis: PhotoAnalysis) -> dict[str, np.ndarray]:
        """The shopper's clean plate (garments replaced by skin and background), and the photo's
        part groups (every card on it, or of the garment it shows, needs them)."""
        try:
            skeleton = body_skeleton(analysis)
        except CannotRender:
            return {}
        also = WarpRenderer._top_parsed_as_hair(analysis, skeleton)
        extras = {CLEAN_KEY: clean_plate(analysis, skeleton, also=also)}
        extras[GROUPS_KEY] = label_groups(analysis.parsing, skeleton)
        if wears_trousers(analysis):
            extras[CLEAN_BARE_LEGS_KEY] = clean_plate(analysis, skeleton, also=also, legs_in_trousers=False)
        sides = tuple(look.side for look in WarpRenderer._arm_looks(analysis, skeleton))
        if sides:
            extras[_armless_key(sides)] = WarpRenderer._armless_plate(analysis, skeleton, sides)
        return extras

    # ------------------------------------------------------------------ checks
    @staticmethod
    def _warp_layers(
        sources,
        dst: Skeleton,
        shape: tuple[int, int],
        span: float,
        whole: bool,
        shopper: PhotoAnalysis | None = None,
    ) -> list:
        """Every (source, group) warped: (premultiplied float RGBA, box, group), in drawing order.

        The pieces of one group are summed (their weights split the group's pixels)."""
        height, width = shape
        layers = []
        for source in sources:
            own = []
            if hasattr(source, "warped_layers"):  # its body as one piece, then its limbs as below
                own.extend(source.warped_layers(dst, shape))
            by_group: dict[Group, list] = {}
            for piece in source.pieces(dst):
                by_group.setdefault(piece.group, []).append(piece)
            for group in GROUP_ORDER:
                warped_pieces = []
                for piece in by_group.get(group, []):
                    cut = _premultiplied(source.layer, group, piece.weight, piece.grow)
                    if cut is None:
                        continue
                    rgba, src_box = cut
                    part = _shift(piece.part, src_box[0], src_box[1])
                    box = _dst_box(piece.part, src_box, (height, width), margin=TUNING.warp_margin)
                    if group != Group.TORSO:
                        box = _limit_box(box, piece.part, reach=TUNING.limb_reach * span)
                    if box[2] <= box[0] or box[3] <= box[1]:
                        continue
                    warped = warp_rgba(rgba, part, box, _grid_step(height))
                    if piece.keep is not None:
                        warped = warped.astype(np.float32) * piece.keep.weights(box)[..., None]
                    warped_pieces.append((warped, box))
                if not warped_pieces:
                    continue
                x0 = min(b[0] for _, b in warped_pieces)
                y0 = min(b[1] for _, b in warped_pieces)
                x1 = max(b[2] for _, b in warped_pieces)
                y1 = max(b[3] for _, b in warped_pieces)
                if len(warped_pieces) == 1:
                    total = warped_pieces[0][0].astype(np.float32)
                else:
                    total = np.zeros((y1 - y0, x1 - x0, 4), np.float32)
                    for warped, (bx0, by0, bx1, by1) in warped_pieces:
                        total[by0 - y0 : by1 - y0, bx0 - x0 : bx1 - x0] += warped
                    # where overlapping pieces add up past opaque, scale back (colour unchanged)
                    total *= 255.0 / np.maximum(total[..., 3:4], 255.0)
                own.append((total, (x0, y0, x1, y1), group, source.kind))
            if shopper is not None and not whole and WarpRenderer._laid_on_shoulders(source):
                own = warp_mesh.lift_onto_shoulders(own, shopper, dst)
            layers.extend(own)
        return layers

    @staticmethod
    def _laid_on_shoulders(source) -> bool:
        """Whether a source's warped layers are lifted onto her shoulders: a fitted packshot top,
        jacket or dress, or one cut from an on-model photo."""
        if isinstance(source, warp_mesh.MeshPackshotSource):
            return source.lifts_onto_shoulders
        return isinstance(source, OnModelSource) and source.kind in LIFTED_KINDS

    @staticmethod
    def _attach(layers: list, shopper: PhotoAnalysis, dst: Skeleton, kinds: list, whole: bool) -> None:
        """Keep the garment on the shopper's body: clip every layer to the attachment region and drop
        pieces cut off from the rest, in place."""
        height, width = shopper.parsing.shape
        region = attachment_region(shopper, dst) if not whole else np.ones((height, width), np.float32)
        union = np.zeros((height, width), np.float32)
        for warped, (x0, y0, x1, y1), *_ in layers:
            warped *= region[y0:y1, x0:x1, None]
            np.maximum(union[y0:y1, x0:x1], warped[..., 3] / 255.0, out=union[y0:y1, x0:x1])
        scale = min(1.0, TUNING.attach_height / height)
        small = cv2.resize(
            union, (max(1, round(width * scale)), max(1, round(height * scale))), interpolation=cv2.INTER_AREA
        )
        keep = main_components(small)
        if keep.all():
            return
        keep_full = cv2.resize(keep.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
        for warped, (x0, y0, x1, y1), *_ in layers:
            warped *= keep_full[y0:y1, x0:x1, None]

    def _check(self, request: RenderRequest) -> list:
        if not request.garments:
            raise CannotRender("Choose at least one product to render.")
        shopper = request.shopper
        if shopper.has_error:
            first = next(f for f in shopper.findings if f.severity == Severity.ERROR)
            raise CannotRender(first.message)
        findings = []
        for garment in request.garments:
            for finding in pair_findings(shopper, garment.kind):
                if finding.severity == Severity.ERROR:
                    raise CannotRender(finding.message)
                if finding not in findings:
                    findings.append(finding)
        shoulder_span(shopper.keypoints)
        return findings

    # ------------------------------------------------------------------ render
    def render(self, request: RenderRequest) -> RenderResult:
        started = time.perf_counter()
        findings = self._check(request)
        shopper = request.shopper
        dst = body_skeleton(shopper)
        whole = request.mode == RenderMode.POSE
        if whole and len(request.garments) != 1:
            raise CannotRender("Pose mode shows one product's model; choose a single product.")
        sources = [make_source(g.analysis, g.packshot, g.kind, whole_person=whole) for g in request.garments]
        sources.sort(key=lambda s: KIND_ORDER[s.kind])
        for source in sources:
            if hasattr(source, "fit_to"):
                source.fit_to(shopper, dst)
        timings = {"prepare": time.perf_counter() - started}

        t0 = time.perf_counter()
        height, width = shopper.height, shopper.width
        kinds = [s.kind for s in sources]
        span = shoulder_span(shopper.keypoints)
        layers = self._warp_layers(sources, dst, (height, width), span, whole, shopper)
        warped_area = _area(layers)
        if layers:
            self._attach(layers, shopper, dst, kinds, whole)
        attached_area = _area(layers)
        keep_dress = whole or not self._covers_dress(layers, shopper, dst)
        below_new = self._below_new_hem(layers, (height, width)) if GarmentKind.DRESS in kinds else None
        new_top = any(C.UPPER_CLOTHES in REPLACES[kind] for kind in kinds) and not whole
        # her arms under short sleeves of her own, drawn from the bare arm below them
        arms, worn, gone = self._kept_top(layers, shopper, dst, span) if new_top else ([], None, None)
        if worn is not None:
            layers, worn = self._neckline_on_hers(layers, shopper, dst, worn, span)
        removed = self._removed(shopper, kinds, dst, keep_dress, below_new, gone) if not whole else None
        if worn is not None:
            removed &= ~worn
        photo = shopper.image
        if removed is None:
            canvas = np.empty((height, width, 3), np.float32)
            canvas[:] = POSE_BACKGROUND
        else:
            new_bottom = any(C.PANTS in REPLACES[kind] for kind in kinds)
            base, changed, drawn = self._base(shopper, dst, removed, new_bottom, arms)
            canvas = base.astype(np.float32)
            photo = np.where(drawn[..., None], base, shopper.image)
        coverage = np.zeros((height, width), np.float32)
        hem_zone = None
        if not whole and keep_dress and self._dress_kept(shopper, dst, kinds):
            hem_zone = self._below_hem(shopper, dst, TUNING.hem_zone)
        self._require_placed(layers, span)
        only_bottoms = all(s.kind == GarmentKind.BOTTOM for s in sources)
        # an on-model garment's cut carries some of its model's skin and hair around the neck and
        # shoulders: there the shopper's own stay in front of it; a packshot's cut-out is garment only
        flat = not any(isinstance(s, OnModelSource) for s in sources)
        self._composite(canvas, coverage, layers, shopper, dst, whole, hem_zone, only_bottoms, flat, photo)
        image = np.clip(canvas + 0.5, 0, 255).astype(np.uint8)
        if removed is not None:
            untouched = (coverage == 0) & ~changed
            image[untouched] = shopper.image[untouched]
        timings["warp"] = time.perf_counter() - t0
        shown = coverage > TUNING.person_coverage
        person = (shopper.person_mask > 127) | shown if not whole else shown
        box = _mask_box(person) or (0.0, 0.0, float(width), float(height))
        card = _card(image, box)
        timings["total"] = time.perf_counter() - started
        return RenderResult(
            image=image,
            card=card,
            renderer=self.name,
            version=self.version,
            findings=tuple(findings),
            timings=timings,
            garment_alpha=np.clip(coverage, 0.0, 1.0),
            signals=_signals(warped_area, attached_area, float(coverage.sum()), removed),
        )

    def _composite(
        self,
        canvas: np.ndarray,
        coverage: np.ndarray,
        layers: list,
        shopper: PhotoAnalysis,
        dst: Skeleton,
        whole: bool,
        hem_zone: np.ndarray | None,
        only_bottoms: bool,
        flat: bool = True,
        photo: np.ndarray | None = None,
    ) -> None:
        """The layers drawn on ``canvas`` in place: lower garments and torso parts (a top's hem
        over a kept dress with a contact shadow), the shopper's own top over new bottoms, her arms,
        the garment sleeves, and her hair, face, hands and feet in front; ``coverage`` follows. Her
        shoulders are behind the garments (with on-model garments drawn under them from her photo);
        with ``flat`` (packshots only) her neck and collarbones too."""
        arms, shoulders = self._shopper_arms(shopper, dst) if not whole else (None, None)
        if not whole and not flat:
            # her shoulders go behind an on-model garment, not away: where it leaves them bare they
            # are hers, not the clean plate's paint
            _paste(canvas, shopper.image if photo is None else photo, shoulders, coverage)
        arm_layers = []
        for warped, box, group, kind in layers:
            if group in ARM_GROUPS and not whole:
                arm_layers.append((warped, box))
                continue
            if (
                hem_zone is not None
                and group == Group.TORSO
                and kind in (GarmentKind.TOP, GarmentKind.OUTERWEAR)
            ):
                _soft_hem(canvas, warped, box, hem_zone, shopper.parsing == C.UPPER_CLOTHES, coverage, flat)
            elif not whole and group == Group.TORSO and kind in (GarmentKind.TOP, GarmentKind.OUTERWEAR):
                _shadow_on_her_bottom(
                    canvas, warped, box, np.isin(shopper.parsing, (C.PANTS, C.SKIRT)), coverage
                )
            _over(canvas, warped, box, coverage)
        if not whole and only_bottoms:
            self._close_between_legs(canvas, coverage, layers, shopper, dst)
            # a new bottom goes under the shopper's own top (down to just below the hips)
            own_top = self._own_top(shopper, dst)
            _shadow_under_her_top(canvas, own_top, coverage)
            _paste(canvas, shopper.image, own_top, coverage)
        if flat and arm_layers:
            self._sleeves_on_her_arms(arm_layers, layers, shopper, dst)
        if not whole:
            # from her photo with the old garment removed: past a removed sleeve's hem her arm runs
            # on as drawn (:mod:`arms`), over the hem's mixed pixels
            _paste(canvas, shopper.image if photo is None else photo, arms, coverage)
        for warped, box in arm_layers:
            _over(canvas, warped, box, coverage)
        if not whole:
            _paste(canvas, shopper.image, self._front_parts(shopper, dst, flat), coverage)

    @staticmethod
    def _neckline_on_hers(
        layers: list, shopper: PhotoAnalysis, dst: Skeleton, worn: np.ndarray, span: float
    ) -> tuple[list, np.ndarray]:
        """The layers with the new top's neckline moved up onto her old one where a band of her top
        was left round the base of her neck (:mod:`collar`), and her top kept under it less what of
        that band the new top covers now (under the neckline's soft edge the clean plate paints her
        neck)."""
        shape = shopper.parsing.shape

        def body(group, _kind):
            return group == Group.TORSO

        garment_alpha = _layer_alpha(layers, shape, keep=body)
        zone = ~WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, warp_collar.TUNING.depth)
        zone &= WarpRenderer._near_neck_line(dst, shape, warp_collar.TUNING.neck_reach * span)
        band = warp_collar.neck_band(worn, zone, garment_alpha, span)
        if not band.any():
            return layers, worn
        layers = warp_collar.lift_neckline(layers, band, garment_alpha, span, Group.TORSO)
        # what the lifted top does not cover (a piece of the band beside it) stays hers
        covered = _layer_alpha(layers, shape, keep=body) > TUNING.hem_cover
        return layers, worn & ~(band & covered)

    @staticmethod
    def _near_neck_line(dst: Skeleton, shape: tuple[int, int], reach: float) -> np.ndarray:
        """Pixels within ``reach`` sideways (across her torso) of the line down the middle of it."""
        poly = dst.polygon()
        middle = (poly[0] + poly[1]) / 2
        across = (poly[1] - poly[0]) / max(float(np.linalg.norm(poly[1] - poly[0])), 1e-6)
        ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]]
        return np.abs((xs - middle[0]) * across[0] + (ys - middle[1]) * across[1]) <= reach

    @staticmethod
    def _close_between_legs(
        canvas: np.ndarray, coverage: np.ndarray, layers: list, shopper: PhotoAnalysis, dst: Skeleton
    ) -> None:
        """Her legs as the clean plate paints them, where they show between the new bottom's two
        legs (the packshot's legs part at the crotch, her painted thighs touch below it: a wedge of
        bare skin at the crotch, "crotch hole", "skin slivers in the gap"), filled from the garment
        round it, in place. Trousers cover her thighs; where her legs stand apart the plate's
        background shows between them, and that stays."""
        legs = {g for *_rest, g, _kind in layers if g in (Group.RIGHT_LEG, Group.LEFT_LEG)}
        covered = coverage > TUNING.hem_cover
        if len(legs) < 2 or not covered.any():
            return
        height, width = coverage.shape
        cols = np.arange(width)[None, :]
        left = np.where(covered, cols, width).min(axis=1)[:, None]
        right = np.where(covered, cols, -1).max(axis=1)[:, None]
        between = (cols > left) & (cols < right)
        painted = painted_legs(dst, shoulder_span(shopper.keypoints), (height, width))
        # the garment's soft edge over her painted leg (mixed with her skin) goes too
        solid = coverage >= TUNING.legs_gap_solid
        gap = between & ~solid & painted & (shopper.person_mask > 127)
        ys, xs = np.nonzero(gap)
        if ys.size == 0:
            return
        # each pixel takes the garment's mirror image across the nearer garment edge of its row
        # (the leg beside it continued over her thigh, its print included)
        before = np.where(solid, cols, -1)
        after = np.where(solid, cols, width)
        nearest_left = np.maximum.accumulate(before, axis=1)[ys, xs]
        nearest_right = np.minimum.accumulate(after[:, ::-1], axis=1)[:, ::-1][ys, xs]
        from_left = (xs - nearest_left) <= (nearest_right - xs)
        source = np.where(from_left, 2 * nearest_left - xs, 2 * nearest_right - xs)
        source = np.clip(source, 0, width - 1)
        usable = solid[ys, source]
        ys, xs, source = ys[usable], xs[usable], source[usable]
        canvas[ys, xs] = canvas[ys, source]
        coverage[ys, xs] = 1.0

    @staticmethod
    def _sleeves_on_her_arms(arm_layers: list, layers: list, shopper: PhotoAnalysis, dst: Skeleton) -> None:
        """A packshot sleeve turned down along her arm swings its underarm into the garment's body
        (over the chest print): inside her torso and the body's edge it is kept only near her arm
        bones (an arm across her front keeps its sleeve), in place."""
        height, width = shopper.parsing.shape
        span = shoulder_span(shopper.keypoints)
        body = _layer_alpha(layers, (height, width), lambda group, _kind: group == Group.TORSO)
        if not body.any():
            return
        size = max(3, round(2 * TUNING.sleeve_overlap * span) | 1)
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
        torso = np.zeros((height, width), np.uint8)
        cv2.fillConvexPoly(torso, np.round(dst.polygon()).astype(np.int32), 1)
        inside = cv2.erode((body > 0.5).astype(np.uint8), kernel) & cv2.erode(torso, kernel)
        for warped, (x0, y0, x1, y1) in arm_layers:
            ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
            near = np.full(xs.shape, np.inf, np.float32)
            for bone in ARM_BONES:
                if bone in dst.bones:
                    near = np.minimum(near, segment_distance(xs, ys, *dst.bones[bone]))
            off_arm = (inside[y0:y1, x0:x1] > 0) & (near > TUNING.sleeve_room * span)
            if off_arm.any():
                soft = cv2.GaussianBlur(off_arm.astype(np.float32), (0, 0), max(0.5, TUNING.paste_softness))
                warped *= np.maximum(1.0 - soft, 0.0)[..., None] * ~off_arm[..., None]

    @staticmethod
    def _require_placed(layers: list, span: float) -> None:
        """Refuse (rather than return the shopper's photo as a "success") when the warped garment,
        once kept to the shopper's body, covers (almost) nothing."""
        placed = _area(layers)
        if placed < TUNING.min_placed * span * span:
            raise CannotRender(NOT_PLACED)

    # ------------------------------------------------------------------ shopper layers
    @staticmethod
    def _removed(
        shopper: PhotoAnalysis,
        kinds: list[GarmentKind],
        dst: Skeleton | None = None,
        keep_dress: bool = True,
        below_new: np.ndarray | None = None,
        sleeves_gone: np.ndarray | None = None,
    ) -> np.ndarray:
        classes = sorted({c for kind in kinds for c in REPLACES[kind]})
        if not classes:
            return np.zeros(shopper.parsing.shape, bool)
        old = np.isin(shopper.parsing, classes)
        if dst is not None:
            # well above the shoulders "garment" is often hair or face the parser mislabelled: keep
            # it unless its colour says garment (a dark collar or puffed shoulder of the old top)
            reach = -TUNING.garment_above_shoulders
            high = old & ~WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, reach)
            old &= WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, reach)
            # ... but a strap going on over her shoulder is the garment below it
            old |= WarpRenderer._strap_tops(old, high, shopper)
            if C.UPPER_CLOTHES in classes:
                hair = shopper.parsing == C.HAIR
                old |= WarpRenderer._garment_coloured(shopper, dst, high | hair)
                # hair lying over the old top (or all of it) parsed as the top is kept, never filled
                old &= ~recovered_hair(shopper.image, shopper.parsing, dst)
        if dst is not None and C.UPPER_CLOTHES in classes:
            # The shopper's own sleeves beyond the new garment's stay: a shorter sleeve over them reads
            # as a layered look, while bare arms painted where a sleeve was read as a damaged photo;
            # but ``sleeves_gone`` go: short ones whose arm is drawn from the arm below them.
            own = WarpRenderer._own_sleeves(shopper, dst)
            old &= ~(own & ~sleeves_gone) if sleeves_gone is not None else ~own
        if dst is not None and classes == [C.UPPER_CLOTHES]:
            # A new top replaces the shopper's top down to the hips; a dress (the old top reaching
            # mid-thigh, ``dress_level``) stays below that, under the new top, rather than turning
            # into bare legs (or a band of background between the top's hem and the dress).
            if keep_dress and WarpRenderer._skirt_kept(shopper, dst, old):
                old &= ~WarpRenderer._below_hem(shopper, dst, TUNING.dress_from)
        elif dst is not None and below_new is not None:  # only given with a new dress
            # A new dress shorter than hers: below its hem her dress stays, worn under it, as her
            # trousers do, rather than legs painted where it was
            top = old & (shopper.parsing == C.UPPER_CLOTHES)
            if WarpRenderer._skirt_kept(shopper, dst, top):
                old &= ~(below_new & (shopper.parsing == C.UPPER_CLOTHES))
        elif dst is not None and C.UPPER_CLOTHES not in classes:
            # A new bottom on a shopper in a dress or long tunic: the dress is a top down to just below
            # the hips (kept over the bottom) and goes below that, so trousers are not framed by a skirt.
            top = shopper.parsing == C.UPPER_CLOTHES
            top &= WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, -TUNING.garment_above_shoulders)
            if WarpRenderer._long_top(shopper, dst, top):
                old |= top & WarpRenderer._below_hem(shopper, dst, TUNING.top_over_bottom)
        return grow_into_background(old, shopper.parsing, shopper.image)

    @staticmethod
    def _strap_tops(old: np.ndarray, high: np.ndarray, shopper: PhotoAnalysis) -> np.ndarray:
        """The pieces of ``high`` (garment above the shoulder line) thinner than a strap's width in
        ``old | high`` and joined to ``old`` below them: a strap's end over the shoulder."""
        span = shoulder_span(shopper.keypoints)
        thin = high & thin_parts(old | high, span)
        if not thin.any():
            return thin
        # where a strap meets the garment the opening keeps a strap's width of it: look that far
        near = 2 * max(1, round(warp_body.TUNING.strip_width * span)) + 1
        joined = cv2.dilate(old.astype(np.uint8), np.ones((near, near), np.uint8)) > 0
        tops = pieces_touching(thin, joined)
        # with the stretch of it the opening kept where it meets the garment
        return tops | (high & joined & (cv2.dilate(tops.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0))

    @staticmethod
    def _top_worn_under(layers: list, shopper: PhotoAnalysis, dst: Skeleton, span: float) -> np.ndarray:
        """Her top where a new top or dress leaves a large piece of it uncovered on her torso,
        shoulders or arms (a cami's neckline and shoulders over her tee): there it stays, worn under
        the new garment. Removed, it was painted over as a flat block of skin, the reviewers' "skin
        block painted over chest"; slivers beside the new garment's outline still go."""
        height, width = shopper.parsing.shape
        cover = _layer_alpha(layers, (height, width))
        top = shopper.parsing == C.UPPER_CLOTHES
        bare = top & (cover < TUNING.hem_cover)
        upper = painted_upper_body(dst, span, (height, width))
        if any(kind == GarmentKind.DRESS for *_rest, kind in layers) or WarpRenderer._long_top(
            shopper, dst, top
        ):
            # her dress follows the dress rules (kept below a new top's hem, gone beside a new
            # dress's skirt): only its part where skin would be painted is in question here
            bare &= upper
        count, labels = cv2.connectedComponents(bare.astype(np.uint8), connectivity=8)
        # a piece is measured where skin would be painted and kept whole: cut to that region, the
        # tops of her straps were painted as background (a notch at each shoulder) and a tee's part
        # over her hips as legs (two dark arches below the new top)
        painted = np.bincount(labels[upper], minlength=count)
        large = painted >= TUNING.worn_under_area * span * span
        large[0] = False
        return large[labels]

    @staticmethod
    def _below_new_hem(layers: list, shape: tuple[int, int]) -> np.ndarray | None:
        """Pixels below the new garment's body, column by column (below its lowest row in the
        columns it covers, below its lowest row anywhere in the others); None when it covers none."""
        cover = np.zeros(shape, bool)
        for warped, (x0, y0, x1, y1), group, _kind in layers:
            if group == Group.TORSO:
                cover[y0:y1, x0:x1] |= warped[..., 3] > TUNING.hem_cover * 255.0
        if not cover.any():
            return None
        rows = np.arange(shape[0])[:, None]
        lowest = np.where(cover.any(axis=0), (cover * rows).max(axis=0), -1)
        lowest = np.where(lowest < 0, lowest.max(), lowest)
        return rows > lowest[None, :]

    @staticmethod
    def _arm_looks(shopper: PhotoAnalysis, dst: Skeleton) -> list:
        """Her arms that show bare below a short or 3/4 sleeve of her own, read there (:mod:`arms`)."""
        return warp_arms.read_arms(shopper, dst)

    @staticmethod
    def _kept_top(
        layers: list, shopper: PhotoAnalysis, dst: Skeleton, span: float
    ) -> tuple[list, np.ndarray, np.ndarray]:
        """The arms drawn from her own (:meth:`_arm_looks`; each with its colour and alpha from
        :func:`arms.draw_arm`), her top kept under the new garment
        (:meth:`_top_worn_under`) less their sleeves, and those sleeves. An arm drawn through a
        piece of her top kept under the new garment (kept on both sides of it: a sleeve of hers
        lying over her body) would cut a stripe of skin through it: there her sleeve stays as well."""
        worn = WarpRenderer._top_worn_under(layers, shopper, dst, span)
        size = 2 * max(2, round(TUNING.arm_rim * span)) + 1
        ring = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
        arms = []
        for look in WarpRenderer._arm_looks(shopper, dst):
            colour, alpha = warp_arms.draw_arm(look, dst, worn.shape)
            arm = (alpha > TUNING.hem_cover).astype(np.uint8)
            rim = (cv2.dilate(arm, ring) > 0) & (arm == 0)
            if (rim & worn).sum() <= TUNING.arm_in_kept_top * max(1, rim.sum()):
                arms.append((look, colour, alpha))
        gone = WarpRenderer._sleeves_gone(shopper, dst, arms)
        return arms, worn & ~gone, gone

    @staticmethod
    def _sleeves_gone(shopper: PhotoAnalysis, dst: Skeleton, arms: list) -> np.ndarray:
        """Her sleeves on the arms drawn from her own (``arms``): her top under the drawn arm, and
        outside her torso as far as ``wide_sleeve`` from the arm's line down to the hem (a wide
        sleeve's far parts), not beyond (a bag she holds, which the parser calls her top, stays)."""
        top = shopper.parsing == C.UPPER_CLOTHES
        torso = np.zeros(top.shape, np.uint8)
        cv2.fillConvexPoly(torso, np.round(dst.polygon()).astype(np.int32), 1)
        span = shoulder_span(shopper.keypoints)
        poly = dst.polygon()
        middle, across = (poly[0] + poly[1]) / 2, (poly[1] - poly[0]) / max(span, 1e-6)
        ys, xs = np.nonzero(top & (torso == 0))
        xs_f, ys_f = xs.astype(np.float64), ys.astype(np.float64)
        # out beside her shoulders, not above them (a garment's shoulders and neckline are no sleeve)
        side = np.abs((xs_f - middle[0]) * across[0] + (ys_f - middle[1]) * across[1])
        gone = np.zeros(top.shape, bool)
        for look, _colour, alpha in arms:
            gone |= (alpha > TUNING.hem_cover) & top
            # a wide sleeve's far parts too, down to its hem
            near = warp_arms.near_sleeve(look, dst, xs_f, ys_f) <= TUNING.wide_sleeve * span
            near &= side >= span / 2 - look.width / 2
            gone[ys[near], xs[near]] = True
        return gone

    @staticmethod
    def _own_sleeves(shopper: PhotoAnalysis, dst: Skeleton) -> np.ndarray:
        """The shopper's upper-garment pixels on her arms: around the arm bones (sleeve room), outside
        the torso between her shoulder and hip joints."""
        height, width = shopper.parsing.shape
        span = shoulder_span(shopper.keypoints)
        torso = np.zeros((height, width), np.uint8)
        cv2.fillConvexPoly(torso, np.round(dst.polygon()).astype(np.int32), 1)
        arms = np.zeros((height, width), np.uint8)
        sleeved = {group for group in ARM_GROUPS if WarpRenderer._has_sleeve(shopper, dst, group, span)}
        for name in ARM_BONES:
            if name in dst.bones and BONES[name][0] in sleeved:
                a, b = (np.round(p).astype(int) for p in dst.bones[name])
                thickness = max(1, round(2 * TUNING.own_sleeve_reach * span))
                cv2.line(arms, tuple(int(v) for v in a), tuple(int(v) for v in b), 1, thickness)
        # what puffs up above the shoulder line is the old garment's shoulder, not a sleeve
        below_shoulders = WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, TUNING.own_sleeve_below)
        return (shopper.parsing == C.UPPER_CLOTHES) & (arms > 0) & (torso == 0) & below_shoulders

    @staticmethod
    def _has_sleeve(shopper: PhotoAnalysis, dst: Skeleton, group: Group, span: float) -> bool:
        """Whether her garment covers this arm's upper arm a way down from the shoulder (a sleeve),
        not only around the shoulder joint (a tank's strap or armhole)."""
        names = [n for n in ARM_BONES if BONES[n][0] == group and "upper" in n and n in dst.bones]
        if not names:
            return False
        bone = dst.bones[names[0]]
        t = TUNING
        centre = bone[0] + t.own_sleeve_probe * (bone[1] - bone[0])
        radius = max(1.0, t.own_sleeve_probe_radius * span)
        height, width = shopper.parsing.shape
        x0, x1 = max(0, int(centre[0] - radius)), min(width, int(centre[0] + radius) + 1)
        y0, y1 = max(0, int(centre[1] - radius)), min(height, int(centre[1] + radius) + 1)
        if x1 <= x0 or y1 <= y0:
            return False
        ys, xs = np.mgrid[y0:y1, x0:x1]
        disc = (xs - centre[0]) ** 2 + (ys - centre[1]) ** 2 <= radius**2
        person = disc & (shopper.person_mask[y0:y1, x0:x1] > 127)
        if not person.any():
            return False
        garment = person & (shopper.parsing[y0:y1, x0:x1] == C.UPPER_CLOTHES)
        return float(garment.sum()) >= t.own_sleeve_cover * float(person.sum())

    @staticmethod
    def _dress_kept(shopper: PhotoAnalysis, dst: Skeleton, kinds: list[GarmentKind]) -> bool:
        """Whether a new top (and outerwear) leaves the shopper's dress in place below its hem."""
        if not kinds or GarmentKind.TOP not in kinds:
            return False
        if any(kind not in (GarmentKind.TOP, GarmentKind.OUTERWEAR) for kind in kinds):
            return False
        below = WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, -TUNING.garment_above_shoulders)
        old = (shopper.parsing == C.UPPER_CLOTHES) & below
        return WarpRenderer._skirt_kept(shopper, dst, old)

    @staticmethod
    def _skirt_kept(shopper: PhotoAnalysis, dst: Skeleton, top: np.ndarray) -> bool:
        """Whether her long top stays below a new top's hem as a skirt: a dress does (removed, her
        thighs were painted as blocks of skin); a tunic or kurta over trousers does not (kept, it
        read as her old garment left under the new top, "old kurta hem shows below"): her trousers
        are continued up to the new hem (:mod:`trousers`)."""
        return WarpRenderer._long_top(shopper, dst, top) and not WarpRenderer._tunic_over_trousers(
            shopper, dst
        )

    @staticmethod
    def _tunic_over_trousers(shopper: PhotoAnalysis, dst: Skeleton) -> bool:
        """Whether she wears trousers under a top that covers her thighs (a kurta), not one that only
        hangs over them somewhere (a blouse's tie over her jeans: there her jeans stay hers)."""
        if not wears_trousers(shopper):
            return False
        legs = painted_legs(dst, shoulder_span(shopper.keypoints), shopper.parsing.shape)
        thighs = legs & WarpRenderer._below_hem(shopper, dst, TUNING.tunic_from)
        thighs &= ~WarpRenderer._below_hem(shopper, dst, TUNING.dress_level)
        if not thighs.any():
            return False
        return float((shopper.parsing[thighs] == C.UPPER_CLOTHES).mean()) >= TUNING.tunic_cover

    @staticmethod
    def _covers_dress(layers: list, shopper: PhotoAnalysis, dst: Skeleton) -> bool:
        """Whether a new top is itself dress-length: its torso covers most of the shopper's dress
        towards the knees. Then the whole old dress goes (kept below the new hem, its edges would
        show beside the new skirt)."""
        knees = WarpRenderer._below_hem(shopper, dst, TUNING.knee_level)
        old = (shopper.parsing == C.UPPER_CLOTHES) & knees
        if old.sum() < TUNING.min_old_dress:
            return False
        cover = _layer_alpha(
            layers,
            old.shape,
            lambda group, kind: group == Group.TORSO and kind in (GarmentKind.TOP, GarmentKind.OUTERWEAR),
        )
        return float(cover[old].mean()) >= TUNING.new_dress_cover

    @staticmethod
    def _long_top(shopper: PhotoAnalysis, dst: Skeleton, top: np.ndarray) -> bool:
        """Whether the shopper's top reaches down her thighs (a dress or a tunic)."""
        down_thighs = top & WarpRenderer._below_hem(shopper, dst, TUNING.dress_level)
        return bool(down_thighs.sum() > TUNING.long_top * max(1, top.sum()))

    @staticmethod
    def _below_hem(shopper: PhotoAnalysis, dst: Skeleton, past_hips: float, spans: float = 0.0) -> np.ndarray:
        """Pixels below a line across the torso ``past_hips`` torso lengths (plus ``spans``
        shoulder spans) below the hips."""
        poly = dst.polygon()
        unit = dst.frame.down / (np.linalg.norm(dst.frame.down) + 1e-9)
        span = float(np.linalg.norm(poly[1] - poly[0]))
        hem = (poly[2] + poly[3]) / 2 + past_hips * dst.frame.down + spans * span * unit
        height, width = shopper.parsing.shape
        # a column term plus a row term, each element summed as (x - hem) * u + (y - hem) * u would be
        across = ((np.arange(width) - hem[0]) * unit[0])[None, :]
        down = ((np.arange(height) - hem[1]) * unit[1])[:, None]
        return across + down >= 0

    @staticmethod
    def _base(
        shopper: PhotoAnalysis, dst: Skeleton, removed: np.ndarray, new_bottom: bool = False, arms: list = ()
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The shopper's photo with the ``removed`` old garment replaced by the clean plate and its
        edge's mixed pixels on her skin cleaned of it, the pixels that changed, and those of her arm
        that an arm drawn from her own (``arms``, :meth:`_kept_top`) runs on over past a removed
        sleeve's hem. The
        stored plate paints her legs in the trousers she wears (they stay under a new top or dress); a
        ``new_bottom`` replaces them, so there her legs are painted in her skin: in her old trousers'
        colour they read as her old trousers left between the new legs and at the ankles."""
        if not removed.any():
            return shopper.image, removed, removed
        bare_legs = new_bottom and wears_trousers(shopper)
        plate = shopper.extras.get(CLEAN_BARE_LEGS_KEY if bare_legs else CLEAN_KEY)
        drawn = np.zeros(removed.shape, bool)
        if arms:
            sides = tuple(look.side for look, _colour, _alpha in arms)
            plate = WarpRenderer._armless_plate(shopper, dst, sides, bare_legs).astype(np.float32)
            grain = skin_grain(shopper, removed.shape)[..., None]
            for _look, colour, alpha in arms:
                plate = plate * (1.0 - alpha[..., None]) + colour * grain * alpha[..., None]
                # past the hem the drawn arm fades into her own (the plate is her photo there),
                # over the hem's mixed pixels
                drawn |= (alpha > 0) & (shopper.parsing == C.ARMS)
            plate = np.clip(plate + 0.5, 0, 255).astype(np.uint8)
            removed = removed | drawn
        elif plate is None or plate.shape != shopper.image.shape:
            also = WarpRenderer._top_parsed_as_hair(shopper, dst)
            plate = clean_plate(shopper, dst, also=also, legs_in_trousers=not bare_legs)
        base = np.where(removed[..., None], plate, shopper.image)
        rim, cleaned = garment_rim(shopper.image, shopper.parsing, removed)
        base[rim] = np.round(cleaned).astype(np.uint8)
        changed = removed | rim
        if not new_bottom and WarpRenderer._tunic_over_trousers(shopper, dst):
            # her trousers under a removed tunic, continued up from where they show (:mod:`trousers`)
            changed |= warp_trousers.continue_trousers(base, shopper, dst, removed)
        return base, changed, drawn

    @staticmethod
    def _armless_plate(
        shopper: PhotoAnalysis, dst: Skeleton, sides: tuple[str, ...], bare_legs: bool = False
    ) -> np.ndarray:
        """The clean plate without the painted tubes of the arms on ``sides`` (they are drawn from
        her own arm: :mod:`arms`); stored with her photo's analysis for the arms it reads."""
        stored = shopper.extras.get(_armless_key(sides))
        if not bare_legs and stored is not None and stored.shape == shopper.image.shape:
            return stored
        also = WarpRenderer._top_parsed_as_hair(shopper, dst)
        gone = {f"{side}_{bone}" for side in sides for bone in ("upper_arm", "forearm")}
        plain = Skeleton(dst.frame, {k: v for k, v in dst.bones.items() if k not in gone}, dst.torso_polygon)
        return clean_plate(shopper, plain, also=also, legs_in_trousers=not bare_legs)

    @staticmethod
    def _top_parsed_as_hair(shopper: PhotoAnalysis, dst: Skeleton) -> np.ndarray:
        """Her top's collar or shoulders that the parser labelled hair (near her shoulders, coloured
        like her top): a new top removes them with her top (:meth:`_removed`), so the clean plate
        must paint them too, or they stay as they were."""
        hair = shopper.parsing == C.HAIR
        if not hair.any():
            return hair
        return WarpRenderer._garment_coloured(shopper, dst, hair) & ~recovered_hair(
            shopper.image, shopper.parsing, dst
        )

    @staticmethod
    def _own_top(shopper: PhotoAnalysis, dst: Skeleton) -> np.ndarray:
        top = shopper.parsing == C.UPPER_CLOTHES
        return _soft_inside(top & ~WarpRenderer._below_hem(shopper, dst, TUNING.top_over_bottom))

    @staticmethod
    def _shopper_arms(shopper: PhotoAnalysis, dst: Skeleton) -> tuple[np.ndarray, np.ndarray]:
        """Her arms: (drawn over the garment's torso, her shoulders and collarbones drawn under
        it). Neither holds skin the parser labels arms far from her arm bones (a bare midriff),
        which the new garment covers whatever its source; her shoulders pasted over a garment cut
        from an on-model photo (warp-100 and before) were holes in its shoulders, the reviewers'
        "bare shoulder hole"."""
        arms = shopper.parsing == C.ARMS
        arms &= WarpRenderer._near_arm_bones(shopper, dst, arms)
        around = WarpRenderer._shoulders(shopper, dst)
        # the parser's arm edge is coarse at full resolution: soften it with the photo's size
        sigma = max(TUNING.paste_softness, shopper.height / TUNING.arm_softness_rows)
        return _soft_inside(arms & ~around, sigma), _soft_inside(arms & around, sigma)

    @staticmethod
    def _near_arm_bones(shopper: PhotoAnalysis, dst: Skeleton, where: np.ndarray) -> np.ndarray:
        """The pixels of ``where`` within ``arm_bone_reach`` of her arm bones or of a hand (the
        forearm run on past the wrist by ``hand_reach``), or outside her torso (an arm whose elbow
        or wrist the pose missed hangs beside it; a bare midriff lies on it); all of them when no
        arm bone is known. But not her bare waist between her arms (:meth:`_between_arms`), which
        both rules took where her arms hang close to it: pasted over the new garment as two holes."""
        span = shoulder_span(shopper.keypoints)
        bones = [dst.bones[name] for name in ARM_BONES if name in dst.bones]
        for side in ("right", "left"):
            if f"{side}_forearm" in dst.bones:
                elbow, wrist = dst.bones[f"{side}_forearm"]
                along = (wrist - elbow) / (float(np.linalg.norm(wrist - elbow)) + 1e-6)
                bones.append((wrist, wrist + along * TUNING.hand_reach * span))
        if not bones:
            return where
        ys, xs = np.nonzero(where)
        xs_f, ys_f = xs.astype(np.float64), ys.astype(np.float64)
        nearest = np.min([segment_distance(xs_f, ys_f, a, b) for a, b in bones], axis=0)
        torso = np.zeros(where.shape, np.uint8)
        cv2.fillConvexPoly(torso, np.round(dst.polygon()).astype(np.int32), 1)
        out = np.zeros_like(where)
        near = (nearest <= TUNING.arm_bone_reach * span) | (torso[ys, xs] == 0)
        out[ys, xs] = near & ~WarpRenderer._between_arms(shopper, dst, xs_f, ys_f, span)
        return out

    @staticmethod
    def _between_arms(shopper: PhotoAnalysis, dst: Skeleton, xs: np.ndarray, ys: np.ndarray, span: float):
        """Which of the points lie between her two arms, above both wrists, farther from each arm
        bone than her arm's own half-width with room (:meth:`_arm_reach`): her waist, not her arm.
        None lie there unless all four arm bones are known."""
        names = ("right_upper_arm", "right_forearm", "left_upper_arm", "left_forearm")
        if not all(name in dst.bones for name in names):
            return np.zeros(xs.shape, bool)
        arms = shopper.parsing == C.ARMS
        middle = dst.polygon().mean(axis=0)
        between = np.ones(xs.shape, bool)
        for name in names:
            a, b = dst.bones[name]
            d = b - a
            side = np.sign(d[0] * (ys - a[1]) - d[1] * (xs - a[0]))
            inward = np.sign(d[0] * (middle[1] - a[1]) - d[1] * (middle[0] - a[0]))
            reach = WarpRenderer._arm_reach(arms, a, b, span)
            between &= (side == inward) & (segment_distance(xs, ys, a, b) > reach)
        for side_name in ("right", "left"):
            elbow, wrist = dst.bones[f"{side_name}_forearm"]
            along = wrist - elbow
            between &= (xs - wrist[0]) * along[0] + (ys - wrist[1]) * along[1] < 0
        return between

    @staticmethod
    def _arm_reach(arms: np.ndarray, a: np.ndarray, b: np.ndarray, span: float) -> float:
        """How far from bone a-b her arm reaches: the median half-width of the runs of arm pixels
        across it (where the bone lies on arm pixels), times ``arm_room``, within
        [``arm_min_reach``, ``arm_bone_reach``] shoulder spans."""
        t = TUNING
        limit = t.arm_bone_reach * span
        d = np.asarray(b, np.float64) - np.asarray(a, np.float64)
        length = float(np.linalg.norm(d)) or 1.0
        perp = np.array([-d[1], d[0]]) / length
        offsets = np.arange(-np.ceil(limit), np.ceil(limit) + 1)
        middle = len(offsets) // 2
        halves = []
        for share in t.arm_samples:
            run = run_through(arms, np.asarray(a, np.float64) + share * d, perp, offsets)
            if run is not None:
                _cols, _rows, lo, hi = run
                halves.append(max(middle - lo, hi - middle))
        if not halves:
            return limit
        return float(np.clip(t.arm_room * float(np.median(halves)), t.arm_min_reach * span, limit))

    @staticmethod
    def _shoulders(shopper: PhotoAnalysis, dst: Skeleton) -> np.ndarray:
        """Above her armpits and near the line between her shoulder joints: where a garment's
        shoulders and neckline lie over her."""
        height, width = shopper.parsing.shape
        poly = dst.polygon()
        span = float(np.linalg.norm(poly[1] - poly[0]))
        near = np.zeros((height, width), np.uint8)
        a, b = (tuple(int(v) for v in np.round(p)) for p in poly[:2])
        cv2.line(near, a, b, 1, max(1, round(2 * TUNING.shoulder_reach * span)))
        return (near > 0) & ~WarpRenderer._below_hem(shopper, dst, TUNING.armpit_level)

    @staticmethod
    def _garment_coloured(shopper: PhotoAnalysis, dst: Skeleton, candidates: np.ndarray) -> np.ndarray:
        """The ``candidates`` near the shoulders (up to half a span above their line) whose colour is
        more likely under a Gaussian model of the shopper's top (below the shoulders) than under
        the models of her hair (on the head) and skin (face, arms)."""
        t = TUNING
        near = candidates & WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, -t.hair_zone)
        if not near.any():
            return near
        parsing = shopper.parsing
        below = WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, t.colour_samples_below)
        high = ~WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, -t.hair_zone)
        samples = {
            "garment": (parsing == C.UPPER_CLOTHES) & below,
            "hair": (parsing == C.HAIR) & high,
            "skin": np.isin(parsing, (C.FACE, C.ARMS)),
        }
        image = shopper.image.astype(np.float32)
        pixels = image[near]
        scores = {}
        for name, where in samples.items():
            if where.sum() < t.min_colour_samples:
                continue
            data = image[where]
            mean = data.mean(axis=0)
            cov = np.cov(data, rowvar=False) + np.eye(3) * t.min_colour_variance
            diff = pixels - mean
            maha = np.einsum("ij,jk,ik->i", diff, np.linalg.inv(cov), diff)
            scores[name] = -0.5 * maha - 0.5 * float(np.log(np.linalg.det(cov)))
        if "garment" not in scores or len(scores) < 2:
            return np.zeros_like(near)
        others = np.max([v for k, v in scores.items() if k != "garment"], axis=0)
        out = np.zeros_like(near)
        out[near] = scores["garment"] > others
        return WarpRenderer._joined_to_top(shopper, out)

    @staticmethod
    def _joined_to_top(shopper: PhotoAnalysis, mask: np.ndarray) -> np.ndarray:
        """The pieces of ``mask`` that touch her labelled top: a collar the parser took for hair lies
        against her top, while strands of dark hair over a dark top, coloured like it but away from
        it, are hair (removed with the top, they were painted as background: holes in her hair)."""
        if not mask.any():
            return mask
        span = shoulder_span(shopper.keypoints)
        size = max(3, round(2 * TUNING.collar_join * span) | 1)
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
        top = cv2.dilate((shopper.parsing == C.UPPER_CLOTHES).astype(np.uint8), kernel) > 0
        return pieces_touching(mask, top)

    @staticmethod
    def _true_hair(shopper: PhotoAnalysis, dst: Skeleton, hair: np.ndarray) -> np.ndarray:
        """``hair`` without what is more likely the shopper's garment: near and below the shoulder
        line, pixels coloured like the garment rather than like hair or skin (a dark collar), and
        specks."""
        hair = hair & ~WarpRenderer._garment_coloured(shopper, dst, hair)
        # specks (a few pixels of noisy parsing inside a garment) are not hair in front of it
        return _main_parts(hair, keep=TUNING.hair_speck) if hair.any() else hair

    @staticmethod
    def _feet(shopper: PhotoAnalysis, span: float) -> np.ndarray:
        """Her feet and shoes (leg pixels around and below each ankle): a trouser hem or a long skirt
        ends at them, never paints over them."""
        parsing = shopper.parsing
        height, width = parsing.shape
        ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
        feet = np.zeros(parsing.shape, bool)
        for side in ("right", "left"):
            ankle, knee = shopper.keypoints[KP[f"{side}_ankle"]], shopper.keypoints[KP[f"{side}_knee"]]
            if ankle[0] < 0 or knee[0] < 0:
                continue
            down = ankle[:2] - knee[:2]
            down = down / (float(np.linalg.norm(down)) + 1e-6)
            dx, dy = xs - ankle[0], ys - ankle[1]
            near = dx * dx + dy * dy <= (TUNING.foot_reach * span) ** 2
            near &= dx * down[0] + dy * down[1] > -TUNING.foot_above_ankle * span
            feet |= near
        return feet & (parsing == C.LEGS)

    @staticmethod
    def _near_head(dst: Skeleton, where: np.ndarray, span: float) -> np.ndarray:
        """The pixels of ``where`` within ``head_reach`` shoulder spans of her head's bone (neck to
        nose). Where the pose has no nose (a photo cut off at her face) the head stands straight up
        from the middle of her shoulder line: taking all of ``where`` there put the parser's face
        labels on her shoulder tops in front of a top laid onto them, as skin patches."""
        if not where.any():
            return where
        if "head" in dst.bones:
            neck, nose = dst.bones["head"]
        else:
            shoulders = dst.polygon()[:2]
            up = -dst.frame.down / (float(np.linalg.norm(dst.frame.down)) or 1.0)
            neck = shoulders.mean(axis=0)
            nose = neck + up * float(np.linalg.norm(shoulders[1] - shoulders[0]))
        ys, xs = np.nonzero(where)
        near = segment_distance(xs.astype(np.float64), ys.astype(np.float64), neck, nose)
        out = np.zeros(where.shape, bool)
        out[ys, xs] = near <= TUNING.head_reach * span
        return out

    @staticmethod
    def _front_parts(shopper: PhotoAnalysis, dst: Skeleton, head_only: bool = False) -> np.ndarray:
        """Hair, face, hands and feet: always in front of the garment; with ``head_only``, of the
        face only the head (the parser's face runs down her neck to her old top's neckline), and
        otherwise not the face labels on her shoulder tops either (farther than ``head_reach`` from
        her head's bone): her neck and the middle of her chest stay in front of an on-model garment
        (its cut carries the product model's hair and skin there), but her shoulders pasted over its
        shoulders were holes in it, the reviewers' "bare shoulder hole"."""
        parsing = shopper.parsing
        poly = dst.polygon()
        span = float(np.linalg.norm(poly[1] - poly[0]))
        # hair reaching well down the chest is more likely a dark garment mislabelled as hair
        chest = np.zeros(parsing.shape, np.uint8)
        lowered = poly.copy()
        lowered[:2] += dst.frame.down / (np.linalg.norm(dst.frame.down) + 1e-9) * TUNING.hair_on_chest * span
        cv2.fillConvexPoly(chest, np.round(lowered).astype(np.int32), 1)
        hair = (parsing == C.HAIR) & (chest == 0)
        face = parsing == C.FACE
        if head_only:
            face &= ~WarpRenderer._below_hem(shopper, dst, SHOULDER_LINE, -TUNING.head_above_shoulders)
        face &= WarpRenderer._near_head(dst, face, span)
        front = WarpRenderer._true_hair(shopper, dst, hair) | face
        front |= recovered_hair(shopper.image, parsing, dst)
        height, width = parsing.shape
        hands = np.zeros(parsing.shape, bool)
        for side in ("right", "left"):
            wrist, elbow = shopper.keypoints[KP[f"{side}_wrist"]], shopper.keypoints[KP[f"{side}_elbow"]]
            if wrist[0] < 0:
                continue
            # the hand: arm pixels around the wrist and beyond it (a sleeve may run up to the wrist)
            r = max(TUNING.min_hand_reach, round(TUNING.hand_reach * span))
            x0, y0 = max(0, round(float(wrist[0])) - r), max(0, round(float(wrist[1])) - r)
            x1, y1 = min(width, round(float(wrist[0])) + r + 1), min(height, round(float(wrist[1])) + r + 1)
            if x1 <= x0 or y1 <= y0:
                continue
            ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
            dx, dy = xs - wrist[0], ys - wrist[1]
            near = dx * dx + dy * dy <= r * r
            if elbow[0] >= 0:
                along = wrist - elbow
                along = along / (float(np.linalg.norm(along)) + 1e-6)
                near &= dx * along[0] + dy * along[1] > -TUNING.hand_behind_wrist * span
            hands[y0:y1, x0:x1] |= near
        front |= (parsing == C.ARMS) & hands
        front |= WarpRenderer._feet(shopper, span)
        return _soft_inside(front)


__all__ = ["VERSION", "WarpRenderer"]
