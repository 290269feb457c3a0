"""Quality report for a renderer: render shopper x product pairs and measure each card.

Per pair: success (or the sentence of the refusal); PCKh@0.5 of the keypoints re-detected on
the render against the shopper's; identity (SSIM of the shopper's face and hair region);
garment fidelity (CIEDE2000 between the mean colours of the product's garment region and the
garment region parsed on the render); coverage (share of the shopper's target garment region
that the render's garment covers); render time.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from ml import metrics
from ml.errors import CannotRender, MLError
from ml.garments import estimate_landmarks
from ml.types import KP, GarmentKind, GarmentSource, Packshot, PhotoAnalysis, RenderMode, RenderRequest
from ml.types import ParsingClass as C

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
KIND_CLASSES = {
    GarmentKind.TOP: (C.UPPER_CLOTHES,),
    GarmentKind.OUTERWEAR: (C.UPPER_CLOTHES,),
    GarmentKind.BOTTOM: (C.PANTS, C.SKIRT),
    GarmentKind.DRESS: (C.UPPER_CLOTHES, C.SKIRT),
    GarmentKind.FULL_OUTFIT: (C.UPPER_CLOTHES, C.PANTS, C.SKIRT),
}


def _knee_reach(analysis: PhotoAnalysis) -> tuple[float, float] | None:
    """Heights of the hips and the knees. A knee the pose model missed (hidden under a long
    dress) is taken from the other knee; with neither knee seen (a photo cut off near the hips)
    there is no telling a dress from a top by its length."""
    kp = analysis.keypoints

    def seen(*names: str) -> list[float]:
        return [float(kp[KP[n]][1]) for n in names if kp[KP[n]][0] >= 0]

    hips = seen("right_hip", "left_hip")
    if not hips:
        return None
    hip_y = sum(hips) / len(hips)
    knees = seen("right_knee", "left_knee")
    if not knees:
        return None
    return hip_y, sum(knees) / len(knees)


def infer_kind(analysis: PhotoAnalysis) -> GarmentKind:
    """Garment kind of an on-model photo from its parsing: bottoms, dresses (long tops) or tops."""
    parsing = analysis.parsing
    upper = parsing == C.UPPER_CLOTHES
    lower = (parsing == C.PANTS) | (parsing == C.SKIRT)
    if upper.sum() < 0.25 * lower.sum():
        return GarmentKind.BOTTOM
    if (parsing == C.SKIRT).sum() > 0.2 * upper.sum():
        return GarmentKind.DRESS
    reach = _knee_reach(analysis)
    if reach is not None and upper.any():
        hip_y, knee_y = reach
        bottom = np.flatnonzero(upper.any(axis=1))[-1]
        if bottom > hip_y + 0.4 * (knee_y - hip_y):
            return GarmentKind.DRESS
    return GarmentKind.TOP


def packshot_from_image(image: np.ndarray, kind: GarmentKind) -> Packshot:
    """A real packshot on a plain light background: mask from the background colour, landmarks estimated."""
    border = np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]]).astype(np.float32)
    background = np.median(border, axis=0)
    diff = np.abs(image.astype(np.float32) - background).max(axis=2)
    mask = (diff > 45).astype(np.uint8)  # above the soft drop shadows of studio packshots
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count <= 1:
        raise CannotRender("No garment could be told apart from the packshot's background.")
    best = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    mask = ((labels == best) * 255).astype(np.uint8)
    try:
        landmarks = estimate_landmarks(image, mask, kind)
    except (ValueError, IndexError) as error:
        raise CannotRender(f"The packshot's outline does not look like a {kind}.") from error
    return Packshot(image=image, mask=mask, kind=GarmentKind(kind), landmarks=landmarks)


@dataclass
class PairResult:
    shopper: str
    product: str
    kind: str
    success: bool
    message: str = ""
    pckh: float | None = None
    identity_ssim: float | None = None
    garment_delta_e: float | None = None
    coverage: float | None = None
    seconds: float | None = None


def list_images(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)


def spread_pairs(shoppers: list[Path], products: list[Path], limit: int | None) -> list[tuple[Path, Path]]:
    """Every (shopper, product) pair of different photos, ordered so that a prefix covers everyone."""
    pairs: list[tuple[Path, Path]] = []
    n = max(len(shoppers), len(products))
    for offset in range(n):
        for i, shopper in enumerate(shoppers):
            product = products[(i + offset) % len(products)]
            if product.resolve() != shopper.resolve() and (shopper, product) not in pairs:
                pairs.append((shopper, product))
    return pairs[:limit] if limit else pairs


def measure(
    shopper: PhotoAnalysis, product: PhotoAnalysis, kind: GarmentKind, render: np.ndarray, analyzer
) -> dict[str, float | None]:
    """The per-pair measures of one render (see the module docstring)."""
    out: dict[str, float | None] = {}
    face = np.isin(shopper.parsing, (C.FACE, C.HAIR))
    out["identity_ssim"] = metrics.masked_ssim(shopper.image, render, face)
    try:
        again = analyzer.predict(render)
    except MLError:
        # the render's person is not found again: its keypoints are lost (PCKh 0), but its garment
        # region cannot be parsed, so coverage is not measured (None), not "nothing covered" (0.0)
        out.update(pckh=0.0, garment_delta_e=None, coverage=None)
        return out
    out["pckh"] = metrics.pckh(again.keypoints, shopper.keypoints)
    classes = KIND_CLASSES[kind]
    product_region = np.isin(product.parsing, classes)
    render_region = np.isin(again.parsing, classes)
    out["garment_delta_e"] = metrics.mean_colour_difference(
        product.image, product_region, render, render_region
    )
    target = np.isin(shopper.parsing, classes)
    out["coverage"] = metrics.coverage(target, render_region)
    return out


def _summary(results: list[PairResult]) -> dict[str, float | int | None]:
    done = [r for r in results if r.success]

    def mean(name: str) -> float | None:
        values = [getattr(r, name) for r in done if getattr(r, name) is not None]
        return round(statistics.fmean(values), 4) if values else None

    seconds = sorted(r.seconds for r in done if r.seconds is not None)
    return {
        "pairs": len(results),
        "succeeded": len(done),
        "success_rate": round(len(done) / len(results), 4) if results else None,
        "pckh": mean("pckh"),
        "identity_ssim": mean("identity_ssim"),
        "garment_delta_e": mean("garment_delta_e"),
        "coverage": mean("coverage"),
        "seconds_median": round(statistics.median(seconds), 4) if seconds else None,
        "seconds_p95": round(seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))], 4)
        if seconds
        else None,
    }


def _contact_sheet(
    rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]], path: Path, columns: int = 4
) -> None:
    tile_h, tile_w = 200, 150
    tiles = []
    for row in rows:
        tiles.append(
            np.concatenate(
                [cv2.resize(img, (tile_w, tile_h), interpolation=cv2.INTER_AREA) for img in row], 1
            )
        )
    if not tiles:
        tiles = [np.full((tile_h, 3 * tile_w, 3), 255, np.uint8)]
    blank = np.full_like(tiles[0], 255)
    while len(tiles) % columns:
        tiles.append(blank)
    grid = [np.concatenate(tiles[i : i + columns], 1) for i in range(0, len(tiles), columns)]
    Image.fromarray(np.concatenate(grid, 0)).save(path, format="PNG")


def evaluate(
    shoppers_dir: Path,
    products_dir: Path,
    renderer_name: str,
    out_dir: Path,
    limit: int | None = None,
    mode: RenderMode = RenderMode.TRYON,
    sheet_size: int = 24,
    log=print,
) -> dict:
    from ml.analysis import get_analyzer
    from ml.intake import load_image
    from ml.render import get_renderer

    renderer = get_renderer(renderer_name)
    analyzer = get_analyzer()
    shoppers, products = list_images(shoppers_dir), list_images(products_dir)
    if not shoppers or not products:
        raise CannotRender("Both folders need at least one photo (.jpg, .png or .webp).")
    pairs = spread_pairs(shoppers, products, limit)
    cache: dict[Path, PhotoAnalysis | MLError] = {}

    def analyse(path: Path) -> PhotoAnalysis:
        if path not in cache:
            try:
                analysis = analyzer.predict(load_image(path))
                analysis.extras.update(renderer.precompute(analysis))
                cache[path] = analysis
            except MLError as error:
                cache[path] = error
        found = cache[path]
        if isinstance(found, MLError):
            raise found
        return found

    out_dir.mkdir(parents=True, exist_ok=True)
    results: list[PairResult] = []
    sheet: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for index, (shopper_path, product_path) in enumerate(pairs, 1):
        result = PairResult(shopper=shopper_path.name, product=product_path.name, kind="", success=False)
        try:
            shopper = analyse(shopper_path)
            product = analyse(product_path)
            kind = infer_kind(product)
            result.kind = str(kind)
            request = RenderRequest(
                shopper=shopper, garments=(GarmentSource(kind=kind, analysis=product),), mode=mode
            )
            started = time.perf_counter()
            rendered = renderer.render(request)
            result.seconds = round(time.perf_counter() - started, 4)
            result.success = True
            for name, value in measure(shopper, product, kind, rendered.image, analyzer).items():
                setattr(result, name, None if value is None else round(value, 4))
            if len(sheet) < sheet_size:
                sheet.append((shopper.image, product.image, rendered.card))
        except MLError as error:
            result.message = error.message
        results.append(result)
        log(
            f"[{index}/{len(pairs)}] {result.shopper} x {result.product} ({result.kind or '?'}): "
            + ("ok" if result.success else f"refused: {result.message}")
        )
    cls = type(renderer)
    report = {
        "renderer": cls.name,
        "version": cls.version,
        "mode": str(mode),
        "shoppers": str(shoppers_dir),
        "products": str(products_dir),
        "summary": _summary(results),
        "pairs": [asdict(r) for r in results],
    }
    (out_dir / "report.json").write_text(json.dumps(report, indent=2))
    (out_dir / "report.md").write_text(_markdown(report))
    _contact_sheet(sheet, out_dir / "contact_sheet.png")
    return report


def _fmt(value) -> str:
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _markdown(report: dict) -> str:
    s = report["summary"]
    lines = [
        f"# Render quality: {report['renderer']} {report['version']} ({report['mode']})",
        "",
        f"Shoppers `{report['shoppers']}`, products `{report['products']}`.",
        "",
        "| pairs | succeeded | PCKh@0.5 | identity SSIM | garment ΔE00 | coverage "
        "| median s/card | p95 s/card |",
        "|---|---|---|---|---|---|---|---|",
        f"| {s['pairs']} | {s['succeeded']} | {_fmt(s['pckh'])} | {_fmt(s['identity_ssim'])} | "
        f"{_fmt(s['garment_delta_e'])} | {_fmt(s['coverage'])} | {_fmt(s['seconds_median'])} "
        f"| {_fmt(s['seconds_p95'])} |",
        "",
        "| shopper | product | kind | result | PCKh | SSIM | ΔE00 | coverage | s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in report["pairs"]:
        outcome = "ok" if p["success"] else f"refused: {p['message']}"
        lines.append(
            f"| {p['shopper']} | {p['product']} | {p['kind']} | {outcome} | {_fmt(p['pckh'])} | "
            f"{_fmt(p['identity_ssim'])} | {_fmt(p['garment_delta_e'])} | {_fmt(p['coverage'])} "
            f"| {_fmt(p['seconds'])} |"
        )
    return "\n".join(lines) + "\n"
