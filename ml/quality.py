"""Self-checks of a try-on picture that need no ground truth, and the confidence built from them.

Every measure compares the render with what the renderer was given (the shopper's photo and the
product's garment pixels), so the store can run them on each card at render time (the quality
gate) and ``ml evaluate`` can report them per pair:

* ``colour_distance``: sliced Wasserstein distance between the Lab colour distributions of the
  product's garment and the garment shown on the render (≈ ΔE76 units). A garment replaced by a
  fragment of itself (a motif blown up), by skin or by the old garment moves whole parts of the
  distribution; a mean colour can stay put.
* ``texture_gap``: |log2| of the ratio of the garments' texture energy (mean gradient of L inside
  the garment, at one scale): a flat slab or a smear loses texture, rigid pieces add edges.
* ``seam_excess``: the strongest straight colour step inside the rendered garment (L units) beyond
  the product's own: the cut lines between rigidly warped pieces.
* ``leftover_share``: share of the shopper's old garment (the classes the new one replaces) that
  the render still shows unchanged, not covered by the new garment.
* ``outside_identity``: SSIM of everything outside the target region (old garment and new
  garment, with a margin) between the shopper's photo and the render: arms, legs, face,
  background painted over.
* ``fill_share``: pixels the render changed that show no new garment (old garment painted over
  with made-up skin or background), as a share of the shopper's person area.
* ``zone_coverage``: share of the body zone the product's kind must cover (the torso for a top,
  the thighs for a bottom, both for a dress) that shows the new garment: a lost or shrunken
  garment leaves it bare.
* ``product_share``: the product's garment as a share of its photo (packshot) or of the model
  (on-model): a cut-out that found only a motif or a strap is small.
* ``attached_share``: the renderer's own signal (share of the warped garment kept on the body),
  where it gives one.

:func:`confidence` combines them with a logistic model whose weights are fitted on the *tune*
split's blinded review scores (``python -m ml review fit``); :data:`GATE` holds the result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

import cv2
import numpy as np

from ml import metrics
from ml.kinds import KIND_CLASSES, REPLACES
from ml.types import KP, GarmentKind, GarmentSource, PhotoAnalysis, RenderResult, Severity


@dataclass(frozen=True)
class MeasureConfig:
    sample_pixels: int = 6000  # colour samples per garment (random, fixed seed)
    slice_directions: int = 24  # projections of the sliced Wasserstein distance
    quantiles: int = 64  # points compared along each projection
    shown_alpha: float = 0.5  # a render pixel shows the new garment above this coverage
    unchanged_delta: float = 6.0  # Lab distance under which a render pixel is still the shopper's own
    texture_height: int = 256  # garments are compared at this height (texture and straight edges)
    texture_floor: float = 1.5  # L units per pixel: below it a garment counts as plain
    interior_erosion: int = 5  # px at texture_height: the outline is not an internal edge
    seam_angle_step: float = 15.0  # degrees between the orientations searched for straight cuts
    seam_min_length: float = 0.2  # of texture_height: a cut must run this long inside the garment
    outside_margin: float = 0.015  # of the photo height around the target region
    top_reach_below_hips: float = 0.25  # a top replaces the old garment down to here (torso lengths)
    min_garment_pixels: int = 200
    measure_height: int = 512  # px: photos and renders are measured at most this tall
    zone_inset: float = 0.2  # the torso zone keeps the middle of the shoulder-hip quad (share cut per side)
    zone_leg_width: float = 0.22  # of the hip span: half-width of the thigh band a bottom must cover


MEASURES = MeasureConfig()


@dataclass
class Quality:
    """The measures of one render, its confidence and the reasons it fell short."""

    colour_distance: float | None = None
    texture_gap: float | None = None
    seam_excess: float | None = None
    leftover_share: float | None = None
    outside_identity: float | None = None
    attached_share: float | None = None
    visible_share: float | None = None
    fill_share: float | None = None
    zone_coverage: float | None = None
    product_share: float | None = None
    photo_warnings: int = 0
    confidence: float = 0.0
    # what the shopper is told if this card is held back (the measure that weighs most against it)
    hold_back_reason: str = ""

    def to_dict(self) -> dict:
        data = asdict(self)
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in data.items()}


# ---------------------------------------------------------------------------------------- measures


def _sample(pixels: np.ndarray, count: int, seed: int = 0) -> np.ndarray:
    if len(pixels) <= count:
        return pixels
    rng = np.random.default_rng(seed)
    return pixels[rng.choice(len(pixels), count, replace=False)]


def _directions(count: int) -> np.ndarray:
    """The three Lab axes plus fixed pseudo-random unit directions."""
    rng = np.random.default_rng(2026)
    extra = rng.normal(size=(max(0, count - 3), 3))
    dirs = np.concatenate([np.eye(3), extra])
    return dirs / np.linalg.norm(dirs, axis=1, keepdims=True)


def colour_distance(
    pixels_a: np.ndarray, pixels_b: np.ndarray, config: MeasureConfig = MEASURES
) -> float | None:
    """Sliced Wasserstein-1 distance between two sets of RGB pixels, in Lab (≈ ΔE76)."""
    if len(pixels_a) < config.min_garment_pixels or len(pixels_b) < config.min_garment_pixels:
        return None
    lab_a = metrics.rgb_to_lab(_sample(pixels_a, config.sample_pixels))
    lab_b = metrics.rgb_to_lab(_sample(pixels_b, config.sample_pixels, seed=1))
    dirs = _directions(config.slice_directions)
    qs = (np.arange(config.quantiles) + 0.5) / config.quantiles
    proj_a = np.quantile(lab_a @ dirs.T, qs, axis=0)
    proj_b = np.quantile(lab_b @ dirs.T, qs, axis=0)
    return float(np.abs(proj_a - proj_b).mean())


def _normalised(image: np.ndarray, mask: np.ndarray, config: MeasureConfig):
    """L channel and mask cropped to the mask's box and scaled to ``texture_height``."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    y0, y1, x0, x1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    scale = config.texture_height / max(1, y1 - y0)
    size = (max(8, round((x1 - x0) * scale)), config.texture_height)
    crop = cv2.resize(np.ascontiguousarray(image[y0:y1, x0:x1]), size, interpolation=cv2.INTER_AREA)
    small = cv2.resize(mask[y0:y1, x0:x1].astype(np.uint8), size, interpolation=cv2.INTER_NEAREST)
    kernel = np.ones((2 * config.interior_erosion + 1,) * 2, np.uint8)
    interior = cv2.erode(small, kernel) > 0
    lightness = cv2.cvtColor(crop, cv2.COLOR_RGB2LAB)[..., 0].astype(np.float32) * (100.0 / 255.0)
    return lightness, interior


def texture_energy(image: np.ndarray, mask: np.ndarray, config: MeasureConfig = MEASURES) -> float | None:
    """Mean gradient magnitude of L (units per pixel) inside the garment, at ``texture_height``."""
    found = _normalised(image, mask, config)
    if found is None:
        return None
    lightness, interior = found
    if interior.sum() < config.min_garment_pixels:
        return None
    gx = cv2.Sobel(lightness, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(lightness, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    return float(np.hypot(gx, gy)[interior].mean())


def texture_gap(
    product: float | None, render: float | None, config: MeasureConfig = MEASURES
) -> float | None:
    if product is None or render is None:
        return None
    return abs(math.log2(max(render, config.texture_floor) / max(product, config.texture_floor)))


def seam_strength(image: np.ndarray, mask: np.ndarray, config: MeasureConfig = MEASURES) -> float | None:
    """The strongest straight colour step inside the garment, in L units.

    For each orientation the signed derivative across it is averaged along every straight line
    (a Radon transform of the derivative): a cut between rigidly warped pieces keeps one sign all
    along its line and survives the average; texture, folds and prints change sign and cancel.
    """
    found = _normalised(image, mask, config)
    if found is None:
        return None
    lightness, interior = found
    if interior.sum() < config.min_garment_pixels:
        return None
    height, width = lightness.shape
    diagonal = int(np.ceil(np.hypot(height, width))) + 2
    best = 0.0
    for angle in np.arange(0.0, 180.0, config.seam_angle_step):
        rotation = cv2.getRotationMatrix2D((width / 2, height / 2), float(angle), 1.0)
        rotation[:, 2] += ((diagonal - width) / 2, (diagonal - height) / 2)
        turned = cv2.warpAffine(
            lightness, rotation, (diagonal, diagonal), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        inside = cv2.warpAffine(
            interior.astype(np.uint8), rotation, (diagonal, diagonal), flags=cv2.INTER_NEAREST
        )
        step = np.zeros_like(turned)
        step[1:-1] = (turned[2:] - turned[:-2]) / 2.0
        valid = (inside[2:] & inside[:-2]).astype(bool)
        valid = np.concatenate([np.zeros((1, diagonal), bool), valid, np.zeros((1, diagonal), bool)])
        counts = valid.sum(axis=1)
        long_rows = counts >= config.seam_min_length * config.texture_height
        if not long_rows.any():
            continue
        sums = np.where(valid, step, 0.0).sum(axis=1)
        means = np.abs(sums[long_rows] / counts[long_rows])
        best = max(best, float(means.max()))
    return best


def _hip_limit(shopper: PhotoAnalysis, config: MeasureConfig) -> np.ndarray | None:
    """Rows a new top is expected to reach: down to a little below the hips."""
    kp = shopper.keypoints
    shoulders = [kp[KP[n]] for n in ("right_shoulder", "left_shoulder") if kp[KP[n], 0] >= 0]
    hips = [kp[KP[n]] for n in ("right_hip", "left_hip") if kp[KP[n], 0] >= 0]
    if not shoulders or not hips:
        return None
    shoulder_y = float(np.mean([p[1] for p in shoulders]))
    hip_y = float(np.mean([p[1] for p in hips]))
    limit = hip_y + config.top_reach_below_hips * max(1.0, hip_y - shoulder_y)
    rows = np.arange(shopper.height)[:, None]
    return np.broadcast_to(rows <= limit, shopper.parsing.shape)


def old_garment_region(
    shopper: PhotoAnalysis, kinds: Sequence[GarmentKind], config: MeasureConfig = MEASURES
) -> np.ndarray:
    """The shopper's garment pixels that the new garments are expected to replace."""
    region = np.zeros(shopper.parsing.shape, bool)
    for kind in kinds:
        classes = REPLACES[GarmentKind(kind)]
        if not classes:
            continue
        part = np.isin(shopper.parsing, classes)
        if GarmentKind(kind) == GarmentKind.TOP:
            # a short top over a dress leaves the dress below the hips: that is not a leftover
            limit = _hip_limit(shopper, config)
            if limit is not None:
                part &= limit
        region |= part
    return region


def leftover_share(
    shopper: PhotoAnalysis,
    render: np.ndarray,
    shown: np.ndarray,
    kinds: Sequence[GarmentKind],
    config: MeasureConfig = MEASURES,
) -> float | None:
    old = old_garment_region(shopper, kinds, config)
    total = int(old.sum())
    if total < config.min_garment_pixels:
        return None
    candidates = old & ~shown
    if not candidates.any():
        return 0.0
    diff = metrics.rgb_to_lab(shopper.image[candidates]) - metrics.rgb_to_lab(render[candidates])
    unchanged = np.linalg.norm(diff, axis=1) < config.unchanged_delta
    return float(unchanged.sum() / total)


def outside_identity(
    shopper: PhotoAnalysis,
    render: np.ndarray,
    target: np.ndarray,
    config: MeasureConfig = MEASURES,
) -> float | None:
    margin = max(1, round(config.outside_margin * shopper.height))
    grown = cv2.dilate(target.astype(np.uint8), np.ones((2 * margin + 1,) * 2, np.uint8)) > 0
    outside = ~grown
    if outside.sum() < config.min_garment_pixels:
        return None
    return float(metrics.ssim_map(shopper.image, render)[outside].mean())


def _kp(shopper: PhotoAnalysis, name: str) -> np.ndarray | None:
    point = shopper.keypoints[KP[name]]
    return None if point[0] < 0 else point.astype(np.float64)


def body_zone(shopper: PhotoAnalysis, kinds: Sequence[GarmentKind], config: MeasureConfig = MEASURES):
    """The body zone the kinds must cover (see ``zone_coverage``), or None without the joints."""
    names = ("right_shoulder", "left_shoulder", "right_hip", "left_hip")
    rs, ls, rh, lh = (_kp(shopper, n) for n in names)
    zone = np.zeros(shopper.parsing.shape, np.uint8)
    drawn = False
    kinds = {GarmentKind(k) for k in kinds}
    if kinds & {GarmentKind.TOP, GarmentKind.DRESS, GarmentKind.FULL_OUTFIT, GarmentKind.OUTERWEAR}:
        if any(p is None for p in (rs, ls, rh, lh)):
            return None
        quad = np.array([rs, ls, lh, rh])
        centre = quad.mean(axis=0)
        inset = centre + (quad - centre) * (1 - 2 * config.zone_inset)
        cv2.fillConvexPoly(zone, np.round(inset).astype(np.int32), 1)
        drawn = True
    if kinds & {GarmentKind.BOTTOM, GarmentKind.DRESS, GarmentKind.FULL_OUTFIT}:
        if rh is None or lh is None:
            return None
        half = max(1, round(config.zone_leg_width * float(np.linalg.norm(lh - rh))))
        for hip, knee in ((rh, _kp(shopper, "right_knee")), (lh, _kp(shopper, "left_knee"))):
            if knee is None:
                continue
            end = hip + 0.7 * (knee - hip)  # to above the knee: a short skirt or shorts still count
            cv2.line(zone, tuple(np.round(hip).astype(int)), tuple(np.round(end).astype(int)), 1, 2 * half)
            drawn = True
    if not drawn:
        return None
    return (zone > 0) & (shopper.person_mask > 127)


def zone_coverage(
    zone: np.ndarray | None, shown: np.ndarray, config: MeasureConfig = MEASURES
) -> float | None:
    if zone is None or zone.sum() < config.min_garment_pixels:
        return None
    return float((zone & shown).sum() / zone.sum())


def fill_share(
    shopper: PhotoAnalysis, render: np.ndarray, shown: np.ndarray, config: MeasureConfig = MEASURES
) -> float | None:
    person = int((shopper.person_mask > 127).sum())
    if person < config.min_garment_pixels:
        return None
    candidates = ~shown
    diff = metrics.rgb_to_lab(shopper.image[candidates]) - metrics.rgb_to_lab(render[candidates])
    changed = np.linalg.norm(diff, axis=1) >= config.unchanged_delta
    return float(changed.sum() / person)


def product_share(garment: GarmentSource) -> float | None:
    _, mask = product_pixels(garment)
    if garment.packshot is not None:
        return float(mask.mean())
    person = int((garment.analysis.person_mask > 127).sum())
    return float(mask.sum() / person) if person else None


def product_pixels(garment: GarmentSource) -> tuple[np.ndarray, np.ndarray]:
    """The product's garment as (image, boolean mask)."""
    if garment.packshot is not None:
        return garment.packshot.image, np.asarray(garment.packshot.mask) > 127
    analysis = garment.analysis
    return analysis.image, np.isin(analysis.parsing, KIND_CLASSES[GarmentKind(garment.kind)])


def _at_measure_size(shopper: PhotoAnalysis, result: RenderResult, height: int):
    """The shopper's analysis and the render scaled down to ``height`` px (unchanged when smaller)."""
    if shopper.height <= height:
        return shopper, result
    scale = height / shopper.height
    size = (max(1, round(shopper.width * scale)), height)

    def area(image: np.ndarray) -> np.ndarray:
        return cv2.resize(image, size, interpolation=cv2.INTER_AREA)

    def nearest(labels: np.ndarray) -> np.ndarray:
        return cv2.resize(labels, size, interpolation=cv2.INTER_NEAREST)

    keypoints = np.where(shopper.keypoints < 0, shopper.keypoints, shopper.keypoints * scale).astype(
        np.float32
    )
    small = replace(
        shopper,
        image=area(shopper.image),
        parsing=nearest(shopper.parsing),
        person_mask=nearest(shopper.person_mask),
        keypoints=keypoints,
        extras={},
    )
    alpha = None if result.garment_alpha is None else area(result.garment_alpha.astype(np.float32))
    return small, replace(result, image=area(result.image), card=result.card, garment_alpha=alpha)


def measure(
    shopper: PhotoAnalysis,
    garments: Sequence[GarmentSource],
    result: RenderResult,
    photo_warnings: int = 0,
    config: MeasureConfig = MEASURES,
) -> Quality:
    """Every measure of one try-on render (the confidence is left at 0: see :func:`assess`).

    The shopper's photo and the render are measured at most ``measure_height`` px tall: the measures
    are shares and distributions, and this keeps the gate a small part of a card's cost."""
    shopper, result = _at_measure_size(shopper, result, config.measure_height)
    render = result.image
    kinds = [GarmentKind(g.kind) for g in garments]
    if result.garment_alpha is not None:
        shown = result.garment_alpha > config.shown_alpha
    else:  # a generator redraws the person: the kinds' classes on the shopper stand in
        shown = np.isin(shopper.parsing, sorted({c for k in kinds for c in KIND_CLASSES[k]}))
    product_rgb, product_masks, textures, seams = [], [], [], []
    for garment in garments:
        image, mask = product_pixels(garment)
        product_rgb.append(image[mask])
        product_masks.append((image, mask))
    product_all = np.concatenate(product_rgb) if product_rgb else np.zeros((0, 3), np.uint8)
    quality = Quality(photo_warnings=photo_warnings)
    quality.colour_distance = colour_distance(product_all, render[shown], config)
    if len(garments) == 1:
        image, mask = product_masks[0]
        textures = [texture_energy(image, mask, config), texture_energy(render, shown, config)]
        seams = [seam_strength(image, mask, config), seam_strength(render, shown, config)]
        quality.texture_gap = texture_gap(textures[0], textures[1], config)
        if seams[0] is not None and seams[1] is not None:
            quality.seam_excess = max(0.0, seams[1] - seams[0])
    quality.leftover_share = leftover_share(shopper, render, shown, kinds, config)
    target = old_garment_region(shopper, kinds, config) | (
        result.garment_alpha > 0.02 if result.garment_alpha is not None else shown
    )
    quality.outside_identity = outside_identity(shopper, render, target, config)
    quality.attached_share = result.signals.get("attached_share")
    quality.visible_share = result.signals.get("visible_share")
    quality.fill_share = fill_share(shopper, render, shown, config)
    quality.zone_coverage = zone_coverage(body_zone(shopper, kinds, config), shown, config)
    shares = [product_share(g) for g in garments]
    quality.product_share = min((v for v in shares if v is not None), default=None)
    return quality


# -------------------------------------------------------------------------------------- confidence

FEATURES = (
    "colour_distance",
    "texture_gap",
    "seam_excess",
    "leftover_share",
    "outside_identity",
    "attached_share",
    "fill_share",
    "zone_coverage",
    "product_share",
    "photo_warnings",
)


@dataclass(frozen=True)
class GateModel:
    """Logistic model of P(a reviewer scores the card 3 or more) from the measures.

    ``fill`` stands in for a measure that could not be taken; ``mean``/``scale`` standardise.
    Written by ``python -m ml review fit`` from the tune split's scores (see ``ml/evaluation``).
    """

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    fill: tuple[float, ...]
    threshold: float
    fitted_on: str

    def features(self, quality: Quality) -> np.ndarray:
        values = []
        for name, fill in zip(FEATURES, self.fill, strict=True):
            value = getattr(quality, name)
            values.append(fill if value is None else float(value))
        return np.array(values, np.float64)

    def probability(self, quality: Quality) -> float:
        z = (self.features(quality) - np.array(self.mean)) / np.array(self.scale)
        logit = float(np.dot(z, self.weights) + self.bias)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, logit))))


# Fitted on the tune part of the blinded review in reviews/ (``python -m ml review fit``).
GATE = GateModel(
    weights=(0.7054, 0.2447, -0.1674, -0.3777, 0.3585, -0.1356, -1.0445, -0.0401, -0.2544, 0.1455),
    bias=-2.3665,
    mean=(1.5781, 0.1601, 0.5653, 0.0812, 0.9954, 0.9707, 0.0969, 0.9127, 0.5101, 0.5781),
    scale=(1.0333, 0.1309, 1.1845, 0.0922, 0.0157, 0.0675, 0.0963, 0.1467, 0.2126, 0.8063),
    fill=(1.335, 0.1431, 0.0, 0.0467, 1.0, 0.9944, 0.0679, 0.9944, 0.4577, 0.0),
    # 9 of the 64 warp-10 tune pictures scored 3+; no confidence level shows enough of them to claim
    # at most 5 % scored 1-2 among the shown ones, so the gate still holds every try-on card back
    threshold=1.0,
    fitted_on="tune part of review 2026-12-01-warp-10-vs-warp-8, warp-10 pictures",
)


# What a held-back card tells the shopper, by the measure that pulled the confidence down most.
REASONS = {
    "colour_distance": "its colours and print did not come through",
    "texture_gap": "its fabric came out flat or smeared",
    "seam_excess": "it came out in visible pieces",
    "leftover_share": "parts of your own clothes would still show",
    "outside_identity": "it would have covered part of your arms or the background",
    "attached_share": "much of it fell outside your outline",
    "fill_share": "too much of your own clothes had to be painted over",
    "zone_coverage": "it would not cover your body where it should",
    "product_share": "we could not cut it cleanly out of its photo",
    "photo_warnings": "your photo hides part of your body",
}
ADVICE = "A photo with your arms a little away from your body helps."


def assess(
    shopper: PhotoAnalysis,
    garments: Sequence[GarmentSource],
    result: RenderResult,
    model: GateModel = GATE,
    config: MeasureConfig = MEASURES,
) -> Quality:
    """Measures plus the gate model's confidence and, when it is below the threshold, a reason."""
    from ml.checks import pair_findings

    warnings = {f.code for f in shopper.findings if f.severity == Severity.WARNING}
    for garment in garments:
        warnings |= {f.code for f in pair_findings(shopper, garment.kind) if f.severity == Severity.WARNING}
    quality = measure(shopper, garments, result, photo_warnings=len(warnings), config=config)
    quality.confidence = model.probability(quality)
    quality.hold_back_reason = held_back_reason(quality, model)
    return quality


def held_back_reason(quality: Quality, model: GateModel = GATE) -> str:
    z = (model.features(quality) - np.array(model.mean)) / np.array(model.scale)
    contributions = z * np.array(model.weights)
    worst = FEATURES[int(np.argmin(contributions))]
    return f"We couldn't show this one on your photo convincingly: {REASONS[worst]}. {ADVICE}"
