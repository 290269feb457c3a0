"""Parsing overlay sheets of the development people photos, one part of the split at a time.

    .venv/bin/python -m tools.parsing_sheet /tmp/parsing-tune --part tune [--per-page 8]
    .venv/bin/python -m tools.parsing_sheet /tmp/parsing-heldout --part heldout
    .venv/bin/python -m tools.parsing_sheet --tally /tmp/parsing-heldout/marks.tsv

Every person photo of ``people/`` and ``vton/models/`` in that part (``ml/evaluation/split.tsv``)
gets a numbered tile: the photo and its parsing overlay (classes coloured, a legend on every
page). The pages, ``index.tsv`` (tile number -> photo), the reviewer's instruction
(``review.md``) and a blank ``marks.tsv`` go to the output folder; the pages show the fixture
photos, so write them outside the repository and never commit them. Tune on the tune sheets
only; the held-out sheets go to a reviewer who did not write the parser, who sees only the pages
and ``review.md`` and fills ``marks.tsv`` (ok / wrong per photo and class); ``--tally`` gives
each class's share of photos marked ok.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from PIL import Image, ImageDraw

from ml.analysis import analyze_file
from ml.errors import MLError
from ml.evaluation.data import SHOPPER_FOLDERS, photos
from ml.evaluation.split import Part
from ml.overlays import add_legend, parsing_overlay

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT.parent / "shared" / "fixtures"
TILE_HEIGHT = 420
REVIEWED = ("upper_clothes", "lower_clothes", "arms", "legs")
MARKS = ("ok", "wrong")
INSTRUCTION = """# Parsing review

Each numbered tile shows a photo (left) and the same photo with the person's parts coloured
(right; the legend is under each page): upper clothes red (tops, dresses, coats, jackets), pants
blue and skirt purple (both count as **lower clothes**), arms green (bare arms and hands), legs
cyan (bare legs, socks and shoes), face orange, hair pink; the background is dimmed.

For every photo, mark each of the four classes `ok` or `wrong` in `marks.tsv`:

* upper_clothes, lower_clothes, arms, legs: `ok` when the colour covers that part of the photo
  (allowing ragged edges and small specks) and nothing large of another part is painted in it;
  `wrong` when a large piece is missing or mislabelled (e.g. trousers coloured as upper clothes,
  bare legs coloured as a garment, a printed garment coloured as arms).
* A part the photo does not show (lower clothes under a dress, legs out of the frame) is `ok`
  when nothing is coloured as it.
* Pants coloured as skirt or the other way round is `ok` for lower clothes. Shoes count as legs.

Judge only what you see on the sheets.
"""


def tile(number: int, path: Path, height: int) -> Image.Image:
    """The photo and its overlay side by side under a numbered caption."""
    caption = 18
    try:
        analysis = analyze_file(path)
    except MLError as error:
        blank = Image.new("RGB", (height * 3 // 2, height + caption), (255, 255, 255))
        ImageDraw.Draw(blank).text((4, 2), f"#{number}: no parsing ({error})"[:90], fill=(200, 0, 0))
        return blank
    width = round(analysis.width * height / analysis.height)
    photo = Image.fromarray(analysis.image).resize((width, height), Image.BILINEAR)
    overlay = parsing_overlay(analysis.image, analysis.parsing, legend=False)
    pair = Image.new("RGB", (2 * width + 4, height + caption), (255, 255, 255))
    pair.paste(photo, (0, caption))
    pair.paste(overlay.resize((width, height), Image.NEAREST), (width + 4, caption))
    ImageDraw.Draw(pair).text((4, 3), f"#{number}", fill=(0, 0, 0))
    return pair


def page(tiles: list[Image.Image], columns: int) -> Image.Image:
    cell_w = max(t.width for t in tiles) + 8
    cell_h = max(t.height for t in tiles) + 8
    rows = (len(tiles) + columns - 1) // columns
    sheet = Image.new("RGB", (cell_w * min(columns, len(tiles)), cell_h * rows), (255, 255, 255))
    for i, t in enumerate(tiles):
        sheet.paste(t, ((i % columns) * cell_w, (i // columns) * cell_h))
    return add_legend(sheet)


def tally(rows: list[dict[str, str]]) -> dict[str, tuple[int, int]]:
    """Per reviewed class: (photos marked ok, photos marked); rows without a mark are skipped."""
    counts = {}
    for name in REVIEWED:
        marks = [row.get(name, "").strip().lower() for row in rows]
        bad = sorted({m for m in marks if m and m not in MARKS})
        if bad:
            raise ValueError(f"unknown mark(s) for {name}: {', '.join(bad)} (use ok or wrong)")
        counts[name] = (sum(m == "ok" for m in marks), sum(m in MARKS for m in marks))
    return counts


def print_tally(path: Path) -> int:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    try:
        counts = tally(rows)
    except ValueError as error:
        print(f"error: {path}: {error}", file=sys.stderr)
        return 2
    for name, (ok, marked) in counts.items():
        share = f"{100 * ok / marked:.0f}%" if marked else "-"
        print(f"{name:14s} {share:>5s} right ({ok} of {marked} photos)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, nargs="?", help="a folder outside the repository")
    parser.add_argument("--part", choices=[p.value for p in Part])
    parser.add_argument("--tally", type=Path, help="a filled marks.tsv: print each class's share right")
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--per-page", type=int, default=8)
    parser.add_argument("--columns", type=int, default=4)
    parser.add_argument("--height", type=int, default=TILE_HEIGHT)
    parser.add_argument("--only", nargs="*", help="photo names (e.g. onmodel_03.jpg) to draw alone")
    args = parser.parse_args(argv)
    if args.tally:
        return print_tally(args.tally)
    if args.output is None or args.part is None:
        parser.error("give the output folder and --part (or --tally marks.tsv)")
    chosen = [
        p
        for p in photos(args.fixtures)
        if p.folder in SHOPPER_FOLDERS and p.part == args.part and (not args.only or p.name in args.only)
    ]
    if not chosen:
        print(f"error: no {args.part} person photos under {args.fixtures}", file=sys.stderr)
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    index = ["number\tphoto"]
    pages = 0
    for start in range(0, len(chosen), args.per_page):
        batch = chosen[start : start + args.per_page]
        tiles = []
        for offset, photo in enumerate(batch):
            number = start + offset + 1
            tiles.append(tile(number, photo.path, args.height))
            index.append(f"{number}\t{photo.id}")
        pages += 1
        page(tiles, args.columns).save(args.output / f"sheet-{pages:02d}.png")
    (args.output / "index.tsv").write_text("\n".join(index) + "\n")
    (args.output / "review.md").write_text(INSTRUCTION)
    blank = ["\t".join(("number", *REVIEWED))] + [
        f"{n}" + "\t" * len(REVIEWED) for n in range(1, len(chosen) + 1)
    ]
    (args.output / "marks.tsv").write_text("\n".join(blank) + "\n")
    print(f"wrote {pages} pages of {len(chosen)} {args.part} photos to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
