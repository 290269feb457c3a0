"""Synthetic bodies with known measurements, drawn from the model's own parameter space, seen
through realistic cameras as a pose model and a person segmenter would see them (for the accuracy
benchmark and tests)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from ml.body.fit import ADULT_AGE, rasterize_silhouette
from ml.body.measure import measure_mesh
from ml.body.model import LOCAL_CHANGES, PHENOTYPES, BodyModel
from ml.body.observe import EASE_CM, clothing_allowance
from ml.body.types import CLOTHES_FITS, ClothesFit, ViewObservation
from ml.types import ParsingClass

# How much clothes widen the outline, per side (cm), drawn per body: a top from slim to loose
# (about 5 to 20 cm of ease around the chest, over 2 pi), trousers from slim to regular.
TOP_WIDENS_CM = (0.8, 3.2)
TROUSERS_WIDEN_CM = (0.5, 2.0)
# A dress: a top to the hips, then a skirt flaring out to this much beyond the hips per side (cm)
# at a hem between the knees (0) and the ankles (1).
SKIRT_FLARE_CM = (2.0, 15.0)
HEM_BETWEEN_KNEES_AND_ANKLES = (0.0, 0.8)
OUTFITS = ("bare", "top and trousers", "dress")
# A body that says how its clothes fit names the third of the drawing range its clothes' widening
# falls in, and a neighbouring word instead this often (a shopper's own judgement is rough).
MISJUDGED_FIT = 0.25
# A segmenter's edge errors are smooth along the edge: the noise field's blur, a share of the height.
EDGE_NOISE_LENGTH = 0.01
# Rows of BLAZE_TO_ANNY's keypoints.
_SHOULDERS = [5, 6]
_HIPS = [11, 12]
_KNEES = [13, 14]
_ANKLES = [15, 16]


@dataclass
class SyntheticBody:
    height_cm: float
    weight_kg: float
    phenotypes: dict[str, float]
    local_changes: dict[str, float]
    truth: dict[str, float]  # measurements of the ground-truth mesh (cm)
    views: dict[str, ViewObservation]
    outfit: str  # one of OUTFITS
    # how far each garment widens the outline per side (cm: "top", "trousers"; a dress's "flare" and
    # "hem" share); empty for a bare body
    clothes_cm: dict[str, float] = field(default_factory=dict)
    stated_fit: ClothesFit | None = None  # what the body says of its clothes' fit (``states_fit``)

    @property
    def clothed(self) -> bool:
        return self.outfit != "bare"


def draw_body(
    model: BodyModel,
    rng: np.random.Generator,
    *,
    outfit: str,
    noise_px: float = 0.006,
    mask_noise: float = 0.0,
    states_fit: bool = False,
):
    """One random adult (both genders, 18-70, full weight and muscle range) wearing ``outfit`` (one
    of OUTFITS), photographed from the front and the side. ``noise_px`` is the landmark noise as a
    fraction of the person's height; ``mask_noise`` moves the silhouette's edge in and out by about
    that fraction of it (one sigma), smoothly along the edge, as a segmenter's mask differs from
    the true outline (0: the mesh's own silhouette, exact to the pixel). The mask noise comes from a
    generator spawned from ``rng``, so the body, its pose and cameras are the same with or without it.
    With ``states_fit`` a clothed body says how its clothes fit (``stated_fit``) and its allowance
    follows the word, as the product's does for a shopper who says it."""
    if outfit not in OUTFITS:
        raise ValueError(f"outfit must be one of {OUTFITS}, not {outfit!r}")
    import roma
    import torch

    phen = {
        "gender": float(rng.choice([0.0, 1.0]) if rng.random() < 0.6 else rng.random()),
        "age": float(rng.uniform(*ADULT_AGE)),
        "muscle": float(rng.uniform(0.0, 1.0)),
        "weight": float(rng.uniform(0.0, 1.0)),
        "height": float(rng.uniform(0.1, 0.9)),
        "proportions": float(rng.uniform(0.2, 0.8)),
    }
    local = {name: float(np.clip(rng.normal(0.0, 0.3), -0.8, 0.8)) for name in LOCAL_CHANGES}
    height_cm = float(rng.uniform(150, 195))
    phen_t = torch.tensor([[phen[n] for n in PHENOTYPES]], dtype=torch.float32)
    local_t = torch.tensor([[local[n] for n in model.local_change_labels]], dtype=torch.float32)
    views: dict[str, ViewObservation] = {}
    edge_rng = rng.spawn(1)[0] if mask_noise > 0 else None
    with torch.no_grad():
        rest_out = model.forward(phen_t, local_t, None)
        rest = rest_out["rest_vertices"][0]
        scale = height_cm / 100.0 / float(rest[:, 2].max() - rest[:, 2].min())
        rest_np = rest.numpy() * scale
        kp_rest = model.keypoints(rest_out["rest_vertices"])[0].numpy() * scale
        truth = measure_mesh(rest_np, model.faces, kp_rest, model.waist_loop, model.bust_points)
        volume = _volume(rest_np, model.faces)
        # The same clothes in both photos (drawn only for a clothed body: bare ones stay as they were).
        sizes = (
            {
                "top": float(rng.uniform(*TOP_WIDENS_CM)),
                "trousers": float(rng.uniform(*TROUSERS_WIDEN_CM)),
                "flare": float(rng.uniform(*SKIRT_FLARE_CM)),
                "hem": float(rng.uniform(*HEM_BETWEEN_KNEES_AND_ANKLES)),
            }
            if outfit != "bare"
            else {}
        )
        stated = stated_fit(sizes, rng.spawn(1)[0]) if states_fit and sizes else None
        for view, yaw in (("front", 0.0), ("side", rng.choice([-90.0, 90.0]))):
            pose = torch.eye(4).repeat(1, model.anny.bone_count, 1, 1)
            rots = torch.from_numpy(
                rng.normal(0.0, 0.08, (len(model.pose_bone_indices), 3)).astype(np.float32)
            )
            if view == "front":  # arms a little away from the body, as asked for a photo
                rots[0, 1] += float(rng.uniform(-0.25, 0.0))
                rots[1, 1] -= float(rng.uniform(-0.25, 0.0))
            pose[0, list(model.pose_bone_indices), :3, :3] = roma.rotvec_to_rotmat(rots)
            out = model.forward(phen_t, local_t, pose)
            verts = out["vertices"][0].numpy() * scale
            kps = model.keypoints(out["vertices"])[0].numpy() * scale
            width, height = 600, 900
            focal = rng.uniform(0.8, 1.6) * height
            tilt = math.radians(rng.uniform(-8, 8))
            yaw_r = math.radians(yaw + rng.uniform(-5, 5))
            fill = rng.uniform(0.7, 0.9)  # fraction of the frame's height the person fills
            distance = focal * height_cm / 100.0 / (fill * height)
            r = _camera_rotation(yaw_r, tilt)
            centre = verts.mean(axis=0)
            shift = np.array([0.0, 0.0, distance])
            for _ in range(2):  # centre the body in the frame (head to feet inside, as asked of a shopper)
                cam = (verts - centre) @ r.T + shift
                proj = cam[:, :2] / cam[:, 2:3] * focal + np.array([width / 2, height / 2])
                middle = (proj.min(axis=0) + proj.max(axis=0)) / 2 - np.array([width / 2, height / 2])
                shift[:2] -= middle * distance / focal
            cam = (verts - centre) @ r.T + shift
            cam_kp = (kps - centre) @ r.T + shift
            proj = cam[:, :2] / cam[:, 2:3] * focal + np.array([width / 2, height / 2])
            proj_kp = cam_kp[:, :2] / cam_kp[:, 2:3] * focal + np.array([width / 2, height / 2])
            mask = rasterize_silhouette(proj, model.faces, (height, width))
            if edge_rng is not None:
                mask = _segmenter_edge(mask, edge_rng, mask_noise * fill * height)
            landmarks = np.zeros((33, 2), np.float32)
            visibility = np.zeros(33, np.float32)
            noise = rng.normal(0.0, noise_px * fill * height, (len(model.blaze_indices), 2))
            for k, blaze in enumerate(model.blaze_indices):
                landmarks[blaze] = proj_kp[k] + noise[k]
                visibility[blaze] = 0.95
            allowance, ease, clothing = None, None, {}
            if outfit != "bare":
                mask, parsing = _wear(mask, proj_kp, outfit, sizes, px_per_cm=fill * height / height_cm)
                # The allowance exactly as the product derives it from a parsing.
                allowance, ease, clothing = clothing_allowance(parsing, mask, landmarks, stated)
            views[view] = ViewObservation(
                view=view,
                width=width,
                height=height,
                landmarks=landmarks,
                visibility=visibility,
                mask=mask,
                allowance_cm=allowance,
                ease_cm=ease,
                clothing=clothing,
            )
    return SyntheticBody(
        height_cm=height_cm,
        weight_kg=float(volume * 985.0),
        phenotypes=phen,
        local_changes=local,
        truth=truth,
        views=views,
        outfit=outfit,
        clothes_cm=dict(sizes),
        stated_fit=stated,
    )


def _wear(
    mask: np.ndarray, keypoints: np.ndarray, outfit: str, sizes: dict[str, float], *, px_per_cm: float
) -> tuple[np.ndarray, np.ndarray]:
    """Put ``outfit`` on a silhouette: the silhouette the clothes make, and the parsing a parser
    would give it (upper clothes, trousers)."""
    shoulders_y = int(min(keypoints[_SHOULDERS, 1]))
    hips_y = int(keypoints[_HIPS, 1].mean())
    ankles_y = int(max(keypoints[_ANKLES, 1]))
    dressed = mask.copy()
    parsing = np.zeros(mask.shape, np.uint8)

    def widen(cm: float, top: int, bottom: int, cls: ParsingClass) -> None:
        kernel = max(1, round(cm * px_per_cm))
        grown = cv2.dilate(mask.astype(np.uint8), np.ones((2 * kernel + 1, 2 * kernel + 1), np.uint8))
        band = np.zeros_like(mask)
        band[top:bottom] = True
        worn = grown.astype(bool) & band
        dressed[worn] = True
        parsing[worn] = int(cls)

    widen(sizes["top"], shoulders_y, hips_y, ParsingClass.UPPER_CLOTHES)
    if outfit == "top and trousers":
        widen(sizes["trousers"], hips_y, ankles_y, ParsingClass.PANTS)
        return dressed, parsing
    # The skirt: from the hips' outline (plus the top's ease) flaring out to the hem, over both legs.
    centre_x = float(keypoints[_HIPS, 0].mean())
    row = mask[hips_y]
    left = right = int(np.clip(round(centre_x), 0, mask.shape[1] - 1))
    while left > 0 and row[left - 1]:
        left -= 1
    while right < mask.shape[1] - 1 and row[right + 1]:
        right += 1
    knees_y = float(keypoints[_KNEES, 1].mean())
    hem_y = int(knees_y + sizes["hem"] * (ankles_y - knees_y))
    ys, xs = np.mgrid[hips_y:hem_y, 0 : mask.shape[1]]
    share = (ys - hips_y) / max(1, hem_y - hips_y)
    half = (right - left) / 2 + (sizes["top"] + share * sizes["flare"]) * px_per_cm
    skirt = np.abs(xs - (left + right) / 2) <= half
    dressed[hips_y:hem_y] |= skirt
    parsing[hips_y:hem_y][skirt] = int(ParsingClass.UPPER_CLOTHES)
    return dressed, parsing


def _segmenter_edge(mask: np.ndarray, rng: np.random.Generator, sigma_px: float) -> np.ndarray:
    """``mask`` with its edge moved in and out by about ``sigma_px`` (one sigma), by a random field
    smooth over EDGE_NOISE_LENGTH of the frame's height added to the mask's signed distance."""
    distance_in = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2, 5)
    distance_out = cv2.distanceTransform((~mask).astype(np.uint8), cv2.DIST_L2, 5)
    signed = distance_in - distance_out  # > 0 inside
    field = cv2.GaussianBlur(
        rng.standard_normal(mask.shape).astype(np.float32), (0, 0), EDGE_NOISE_LENGTH * mask.shape[0]
    )
    field *= sigma_px / max(float(field.std()), 1e-6)
    return (signed + field) > 0


def _camera_rotation(yaw: float, tilt: float) -> np.ndarray:
    """World (x left, y back, z up) -> camera (x right, y down, z forward), the body turned by yaw
    about the vertical and the camera pitched by tilt."""
    c, s = math.cos(yaw), math.sin(yaw)
    rz = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    base = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
    ct, st = math.cos(tilt), math.sin(tilt)
    rx = np.array([[1.0, 0.0, 0.0], [0.0, ct, -st], [0.0, st, ct]])
    return rx @ base @ rz


def _volume(vertices: np.ndarray, faces: np.ndarray) -> float:
    v0, v1, v2 = vertices[faces[:, 0]], vertices[faces[:, 1]], vertices[faces[:, 2]]
    return float(abs((np.cross(v0, v1) * v2).sum()) / 6.0)


def ease_floor_cm(body: SyntheticBody) -> dict[str, float]:
    """Chest, waist and hips: the girth error (cm) of a fit exact in everything but the clothes'
    ease, which it guesses as the product does (``EASE_CM``, the middle of the range the clothes are
    drawn from). Both photos show the outline widened by the same w on every side, which adds 2 pi w
    to a girth, and nothing in them tells w. 0 for a bare body, and for a dress's hips (its skirt
    flares from the hips down: no single w; not counted)."""
    if not body.clothed:
        return {"chest": 0.0, "waist": 0.0, "hips": 0.0}
    top = 2 * math.pi * abs(body.clothes_cm["top"] - EASE_CM[int(ParsingClass.UPPER_CLOTHES)])
    hips = 0.0
    if body.outfit == "top and trousers":
        hips = 2 * math.pi * abs(body.clothes_cm["trousers"] - EASE_CM[int(ParsingClass.PANTS)])
    return {"chest": top, "waist": top, "hips": hips}


def stated_fit(sizes: dict[str, float], rng: np.random.Generator) -> ClothesFit:
    """The words a body in these clothes uses for their fit: the third of its garment's drawing
    range the widening falls in, one word off (towards the middle or away from it, at random) with
    probability ``MISJUDGED_FIT``."""

    def word(cm: float, low: float, high: float) -> str:
        third = int(np.clip((cm - low) / (high - low) * 3, 0, 2))
        if rng.random() < MISJUDGED_FIT:
            third = int(np.clip(third + rng.choice([-1, 1]), 0, 2)) if third == 1 else 1
        return CLOTHES_FITS[third]

    return ClothesFit(
        top=word(sizes["top"], *TOP_WIDENS_CM), bottom=word(sizes["trousers"], *TROUSERS_WIDEN_CM)
    )
