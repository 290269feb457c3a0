"""Contact sheet of packshot cut-outs: each development packshot of one part, as shot and as cut.

    .venv/bin/python tools/cutout_sheet.py /tmp/cutouts/sheet_tune.png [--part tune|heldout|all]

Each tile shows the packshot as shot (left) and its cut-out over a checkerboard (right) with the
outline in red, the landmarks (armpits blue, shoulders green, the rest magenta; each sleeve's
opening an orange line, the structure's cuffs cyan rings), the symmetry axis in green and the kind
and structure written under it (``kinds.tsv``'s kind, then the structure's kind check and reading). Refused
packshots are crossed out with their reason printed. Last, it prints the kinds of ``kinds.tsv``
against what the outlines read as (a confusion table). The sheet holds licensed fixture photos: write
it under /tmp, never commit it. Look at the held-out part only to measure a change, never to tune
one.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TILE_HEIGHT = 300
COLUMNS = 5


def checkerboard(height: int, width: int, square: int = 12) -> np.ndarray:
    rows, cols = np.mgrid[0:height, 0:width]
    light = ((rows // square + cols // square) % 2).astype(bool)
    board = np.where(light[..., None], np.uint8(200), np.uint8(150))
    return np.repeat(board, 3, axis=2)


def cutout_tile(image: np.ndarray, mask: np.ndarray, packshot=None, height: int = TILE_HEIGHT) -> np.ndarray:
    alpha = (mask.astype(np.float32) / 255.0)[..., None]
    board = checkerboard(*image.shape[:2], square=max(8, image.shape[0] // 40))
    shown = (image.astype(np.float32) * alpha + board * (1 - alpha)).astype(np.uint8)
    contours, _ = cv2.findContours((mask > 127).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    thick = max(1, image.shape[0] // 400)
    cv2.drawContours(shown, contours, -1, (255, 0, 0), thick)
    structure = getattr(packshot, "structure", None) if packshot is not None else None
    if structure is not None and structure.axis_x is not None:
        x = int(structure.axis_x)
        cv2.line(shown, (x, 0), (x, image.shape[0] - 1), (0, 200, 0), thick)
    draw_landmarks(shown, packshot.landmarks if packshot is not None else {}, structure)
    both = np.concatenate([image, shown], axis=1)
    scale = height / both.shape[0]
    return cv2.resize(both, (round(both.shape[1] * scale), height), interpolation=cv2.INTER_AREA)


LANDMARK_COLOURS = {"armpit": (0, 90, 255), "shoulder": (0, 170, 0)}  # RGB; the rest magenta
OPENING_COLOUR = (255, 140, 0)
CUFF_COLOUR = (0, 200, 200)


def draw_landmarks(shown: np.ndarray, landmarks: dict, structure=None) -> None:
    """The landmarks on ``shown`` (RGB, in place): armpits blue, shoulders green, the rest magenta;
    each sleeve's opening as an orange line from its outer to its inner corner, and the structure's
    cuffs cyan, so an armpit read at the sleeve's end or an opening read at the hem shows at once."""
    radius = max(3, shown.shape[0] // 150)
    thick = max(1, shown.shape[0] // 300)
    for side in ("right", "left"):
        outer, inner = landmarks.get(f"sleeve_{side}_outer"), landmarks.get(f"sleeve_{side}_inner")
        if outer is not None and inner is not None:
            cv2.line(
                shown, (int(outer[0]), int(outer[1])), (int(inner[0]), int(inner[1])), OPENING_COLOUR, thick
            )
        cuff = structure.points.get(f"cuff_{side}") if structure is not None else None
        if cuff is not None:
            cv2.circle(shown, (int(cuff[0]), int(cuff[1])), radius, CUFF_COLOUR, thick)
    for name, (x, y) in landmarks.items():
        colour = next((c for key, c in LANDMARK_COLOURS.items() if name.startswith(key)), (255, 0, 255))
        cv2.circle(shown, (int(x), int(y)), radius, colour, -1)


def caption(tile: np.ndarray, lines: list[str]) -> np.ndarray:
    band = np.full((14 * len(lines) + 4, tile.shape[1], 3), 255, np.uint8)
    for k, line in enumerate(lines):
        cv2.putText(band, line, (3, 12 + 14 * k), cv2.FONT_HERSHEY_SIMPLEX, 0.38, (0, 0, 0), 1, cv2.LINE_AA)
    return np.concatenate([tile, band], axis=0)


def print_confusion(confusion: dict[tuple[str, str], int]) -> None:
    """The kinds of ``kinds.tsv`` (rows) against what the outlines read as (columns)."""
    columns = ["top", "dress", "trousers", "shorts", "skirt", "refused"]
    rows = sorted({kind for kind, _ in confusion})
    print("kinds.tsv \\ read as " + " ".join(f"{c:>8}" for c in columns))
    for kind in rows:
        print(f"{kind:>19} " + " ".join(f"{confusion.get((kind, c), 0):>8}" for c in columns))


def main(argv: list[str] | None = None) -> int:
    from ml.errors import MLError
    from ml.evaluation.data import GARMENTS, photos
    from ml.garments import prepare_packshot
    from ml.intake import load_image

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--part", default="tune", choices=["tune", "heldout", "all"])
    parser.add_argument("--fixtures", type=Path, default=REPO.parent / "shared" / "fixtures")
    parser.add_argument("--only", nargs="*", default=None, help="file names to include (default: all)")
    args = parser.parse_args(argv)
    tiles = []
    confusion: dict[tuple[str, str], int] = {}
    for photo in photos(args.fixtures):
        if photo.folder != GARMENTS or (args.part != "all" and photo.part != args.part):
            continue
        if args.only and photo.name not in args.only:
            continue
        image = load_image(photo.path)
        started = time.perf_counter()
        try:
            packshot = prepare_packshot(image, photo.kind)
            elapsed = time.perf_counter() - started
            tile = cutout_tile(image, packshot.mask, packshot)
            structure = getattr(packshot, "structure", None)
            lines = [f"{photo.name} {photo.kind} {photo.part} {1000 * elapsed:.0f}ms"]
            if structure is not None:
                lines += structure.describe()
                key = (str(photo.kind), structure.read_as)
                confusion[key] = confusion.get(key, 0) + 1
            print(" | ".join(lines))
        except MLError as error:
            print(f"{photo.name}: refused: {error.message}")
            tile = cutout_tile(image, np.zeros(image.shape[:2], np.uint8))
            cv2.line(tile, (0, 0), (tile.shape[1], tile.shape[0]), (255, 0, 0), 3)
            lines = [f"{photo.name} {photo.kind} REFUSED", error.message[:60]]
            confusion[(str(photo.kind), "refused")] = confusion.get((str(photo.kind), "refused"), 0) + 1
        tiles.append(caption(tile, lines))
    if not tiles:
        print("no packshots found")
        return 1
    print_confusion(confusion)
    width = max(t.shape[1] for t in tiles)
    height = max(t.shape[0] for t in tiles)
    tiles = [
        np.pad(t, ((2, height - t.shape[0] + 2), (2, width - t.shape[1] + 2), (0, 0)), constant_values=255)
        for t in tiles
    ]
    while len(tiles) % COLUMNS:
        tiles.append(np.full_like(tiles[0], 255))
    rows = [np.concatenate(tiles[i : i + COLUMNS], 1) for i in range(0, len(tiles), COLUMNS)]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.concatenate(rows, 0)).save(args.output)
    print(f"{args.output}: {len(tiles)} tiles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
