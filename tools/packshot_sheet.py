"""Contact sheet of packshot try-on: every demo packshot style on a few fixture shoppers.

    .venv/bin/python tools/packshot_sheet.py /tmp/packshots.png [--people onmodel_08,onmodel_20]

Renders as the store does: the shopper analysed with ``ml.analysis.get_analyzer()`` (cached under
/tmp), the packshot drawn by ``ml.garments.draw_packshot``, saved as PNG and read back with the
garment mask re-derived from its light background (``ml.garments.packshot_mask``, the store's
function: it has no Django imports), then ``GarmentSource(packshot=...)`` through the warp
renderer. The sheet holds fixture photos: write it under /tmp, never commit it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PEOPLE = REPO.parent / "shared" / "fixtures" / "people"
DEFAULT_PEOPLE = "onmodel_08,onmodel_20,onmodel_03,onmodel_12,onmodel_27"
CACHE = Path("/tmp/packshot_sheet_cache")

# (label, kind, style, colour, pattern): one per demo style, colours from catalog/demo.py
PRODUCTS = (
    ("tee ivory", "top", "tshirt", (238, 232, 220), "solid"),
    ("tee navy", "top", "tshirt", (35, 45, 80), "solid"),
    ("breton", "top", "longsleeve", (245, 243, 238), "stripes"),
    ("shirt", "top", "shirt", (190, 60, 60), "check"),
    ("blouse", "top", "blouse", (30, 30, 40), "dots"),
    ("tank", "top", "tank", (110, 120, 70), "solid"),
    ("jacket", "outerwear", "jacket", (70, 100, 150), "denim"),
    ("coat", "outerwear", "coat", (190, 150, 100), "solid"),
    ("slip dress", "dress", "sleeveless", (20, 110, 80), "solid"),
    ("tea dress", "dress", "short_sleeve", (250, 235, 225), "floral"),
    ("shirt dress", "dress", "long_sleeve", (235, 240, 250), "stripes"),
    ("chinos", "bottom", "trousers", (200, 190, 165), "solid"),
    ("jeans", "bottom", "trousers", (50, 75, 120), "denim"),
    ("shorts", "bottom", "shorts", (225, 215, 190), "solid"),
    ("skirt", "bottom", "skirt", (120, 40, 50), "check"),
)
OUTFITS = (("tee+chinos", ("tee ivory", "chinos")), ("coat+jeans", ("coat", "jeans")))


def store_packshot(kind: str, style: str, colour, pattern: str, seed: int = 1):
    """A demo packshot as the store keeps it: PNG pixels, stored landmarks, mask from the background."""
    from ml.garments import draw_packshot, packshot_mask
    from ml.types import GarmentKind, Packshot

    drawn = draw_packshot(kind=GarmentKind(kind), colour=colour, pattern=pattern, seed=seed, style=style)
    buffer = io.BytesIO()
    Image.fromarray(drawn.image).save(buffer, format="PNG")
    image = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))
    return Packshot(image=image, mask=packshot_mask(image), kind=drawn.kind, landmarks=drawn.landmarks)


def analysed(name: str):
    from ml.analysis import get_analyzer
    from ml.intake import load_image
    from ml.types import PhotoAnalysis

    path = PEOPLE / f"{name}.jpg"
    analyzer = get_analyzer()
    key = hashlib.sha1(path.read_bytes()).hexdigest()[:12] + "-" + str(analyzer.version)
    cached = CACHE / f"{name}-{key}.npz"
    if cached.exists():
        return PhotoAnalysis.load(cached)
    analysis = analyzer.predict(load_image(path))
    CACHE.mkdir(parents=True, exist_ok=True)
    analysis.save(cached)
    return analysis


def _cell(image: np.ndarray, height: int, label: str) -> Image.Image:
    pil = Image.fromarray(image)
    pil = pil.resize((max(1, round(pil.width * height / pil.height)), height), Image.LANCZOS)
    cell = Image.new("RGB", (round(height * 0.75), height + 16), (255, 255, 255))
    cell.paste(pil, ((cell.width - pil.width) // 2, 0))
    ImageDraw.Draw(cell).text((3, height + 2), label, fill=(0, 0, 0))
    return cell


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--people", default=DEFAULT_PEOPLE)
    parser.add_argument("--only", default="", help="comma-separated product labels (default: all)")
    parser.add_argument("--height", type=int, default=240)
    args = parser.parse_args(argv)

    from ml.errors import MLError
    from ml.render import get_renderer
    from ml.types import GarmentKind, GarmentSource, RenderRequest

    renderer = get_renderer("warp")
    wanted = [s for s in args.only.split(",") if s]
    products = {
        label: (kind, store_packshot(kind, style, colour, pattern))
        for label, kind, style, colour, pattern in PRODUCTS
    }
    columns = [(label, (label,)) for label in products] + list(OUTFITS)
    if wanted:
        columns = [c for c in columns if c[0] in wanted]
    rows = []
    for name in args.people.split(","):
        shopper = analysed(name)
        shopper.extras.update(renderer.precompute(shopper))
        cells = [_cell(shopper.image, args.height, name)]
        for label, parts in columns:
            garments = tuple(
                GarmentSource(kind=GarmentKind(products[p][0]), packshot=products[p][1]) for p in parts
            )
            try:
                result = renderer.render(RenderRequest(shopper=shopper, garments=garments))
                cells.append(_cell(result.card, args.height, label))
            except MLError as exc:
                blank = np.full((args.height, round(args.height * 0.75), 3), 230, np.uint8)
                cells.append(_cell(blank, args.height, f"{label}: {str(exc)[:20]}"))
        rows.append(cells)
    cw, ch = rows[0][0].width, rows[0][0].height
    sheet = Image.new("RGB", (cw * max(len(r) for r in rows), ch * len(rows)), (255, 255, 255))
    for r, cells in enumerate(rows):
        for c, cell in enumerate(cells):
            sheet.paste(cell, (c * cw, r * ch))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.output)
    size = f"{sheet.width}x{sheet.height}"
    print(f"wrote {args.output} ({size}, {len(rows)} shoppers x {len(columns)} products)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
