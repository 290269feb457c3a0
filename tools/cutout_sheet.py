"""Contact sheet of packshot cut-outs: each development packshot of one part with its mask.

    .venv/bin/python tools/cutout_sheet.py /tmp/cutouts.png [--part tune|heldout]

The garment is shown as cut (the ground dimmed and tinted, the outline in red) with its landmarks.
The sheet holds licensed fixture photos: write it under /tmp, never commit it. Look at the held-out
part only to measure a change, never to tune one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def cutout_tile(image: np.ndarray, mask: np.ndarray, landmarks: dict | None, height: int = 260) -> np.ndarray:
    alpha = (mask.astype(np.float32) / 255.0)[..., None]
    tint = np.array([120, 200, 255], np.float32)
    shown = image.astype(np.float32) * alpha + (0.35 * image + 0.65 * tint) * (1 - alpha)
    shown = shown.astype(np.uint8)
    contours, _ = cv2.findContours((mask > 127).astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    cv2.drawContours(shown, contours, -1, (255, 0, 0), max(1, image.shape[0] // 300))
    for x, y in (landmarks or {}).values():
        cv2.circle(shown, (int(x), int(y)), max(3, image.shape[0] // 150), (255, 0, 255), -1)
    scale = height / shown.shape[0]
    return cv2.resize(shown, (round(shown.shape[1] * scale), height), interpolation=cv2.INTER_AREA)


def main(argv: list[str] | None = None) -> int:
    from ml.errors import MLError
    from ml.evaluation.data import GARMENTS, photos
    from ml.garments import prepare_packshot
    from ml.intake import load_image

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--part", default="tune", choices=["tune", "heldout"])
    parser.add_argument("--fixtures", type=Path, default=REPO.parent / "shared" / "fixtures")
    args = parser.parse_args(argv)
    tiles = []
    for photo in photos(args.fixtures):
        if photo.folder != GARMENTS or photo.part != args.part:
            continue
        image = load_image(photo.path)
        try:
            packshot = prepare_packshot(image, photo.kind)
            tile = cutout_tile(image, packshot.mask, packshot.landmarks)
        except MLError as error:
            print(f"{photo.name}: {error.message}")
            tile = cutout_tile(image, np.zeros(image.shape[:2], np.uint8), None)
            cv2.line(tile, (0, 0), (tile.shape[1], tile.shape[0]), (255, 0, 0), 3)
        cv2.putText(tile, f"{photo.name} {photo.kind}", (4, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1)
        tiles.append(tile)
    columns = 7
    width = max(t.shape[1] for t in tiles)
    tiles = [np.pad(t, ((2, 2), (2, width - t.shape[1] + 2), (0, 0)), constant_values=255) for t in tiles]
    while len(tiles) % columns:
        tiles.append(np.full_like(tiles[0], 255))
    rows = [np.concatenate(tiles[i : i + columns], 1) for i in range(0, len(tiles), columns)]
    Image.fromarray(np.concatenate(rows, 0)).save(args.output)
    print(f"{args.output}: {len(tiles)} tiles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
