"""Write a contact sheet of skeleton + parsing overlays for every fixture photo.

    .venv/bin/python -m tools.perception_sheet /tmp/perception_sheet.png [--photos DIR] [--height 280]

The sheet shows the fixture photos themselves, so write it outside the repository (or under
``var/``) and never commit it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ml.analysis import analyze_file
from ml.errors import MLError
from ml.overlays import add_legend, parsing_overlay, skeleton_overlay

REPO_ROOT = Path(__file__).resolve().parent.parent
# The real on-model photos beside the checkout (as the tests find them); TRYON_PEOPLE_DIR overrides.
PEOPLE_DIR = Path(os.environ.get("TRYON_PEOPLE_DIR", REPO_ROOT.parent / "shared" / "fixtures" / "people"))


def tile(path: Path, height: int) -> Image.Image:
    try:
        analysis = analyze_file(path)
    except MLError as error:
        blank = Image.new("RGB", (height * 3 // 4 * 2, height), (255, 255, 255))
        ImageDraw.Draw(blank).text((4, 4), f"{path.name}: {error}", fill=(200, 0, 0))
        return blank
    skeleton = skeleton_overlay(analysis.image, analysis.keypoints)
    parsing = parsing_overlay(analysis.image, analysis.parsing, legend=False)
    width = round(analysis.width * height / analysis.height)
    pair = Image.new("RGB", (2 * width, height + 12), (255, 255, 255))
    pair.paste(skeleton.resize((width, height)), (0, 12))
    pair.paste(parsing.resize((width, height), Image.NEAREST), (width, 12))
    label = f"{path.stem[-2:]} {analysis.view} " + ",".join(f.code for f in analysis.findings)
    ImageDraw.Draw(pair).text((2, 0), label[:60], fill=(0, 0, 0))
    return pair


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--photos", type=Path, default=PEOPLE_DIR)
    parser.add_argument("--height", type=int, default=280)
    parser.add_argument("--columns", type=int, default=6)
    parser.add_argument("--only", nargs="*", help="photo numbers, e.g. 03 17")
    args = parser.parse_args(argv)
    photos = sorted(args.photos.glob("*.jpg"))
    if args.only:
        photos = [p for p in photos if any(p.stem.endswith(n) for n in args.only)]
    tiles = [tile(p, args.height) for p in photos]
    cell_w = max(t.width for t in tiles)
    cell_h = max(t.height for t in tiles)
    rows = (len(tiles) + args.columns - 1) // args.columns
    sheet = Image.new("RGB", (cell_w * args.columns, cell_h * rows), (255, 255, 255))
    for i, t in enumerate(tiles):
        sheet.paste(t, ((i % args.columns) * cell_w, (i // args.columns) * cell_h))
    sheet = add_legend(sheet)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.output)
    print(f"wrote {args.output} ({len(tiles)} photos, {np.prod(sheet.size)} px)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
