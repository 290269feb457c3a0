"""Contact sheets: one row per picture (shopper | product | render), labelled, at card size."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

TILE_HEIGHT = 300  # the rubric's card size
LABEL_HEIGHT = 22
GAP = 6
BACKGROUND = (255, 255, 255)


def _tile(image: np.ndarray, height: int = TILE_HEIGHT) -> Image.Image:
    picture = Image.fromarray(np.ascontiguousarray(image))
    width = max(1, round(picture.width * height / picture.height))
    return picture.resize((width, height), Image.LANCZOS)


def row_image(images: Sequence[np.ndarray], label: str, height: int = TILE_HEIGHT) -> Image.Image:
    tiles = [_tile(image, height) for image in images]
    width = sum(t.width for t in tiles) + GAP * (len(tiles) - 1)
    row = Image.new("RGB", (width, height + LABEL_HEIGHT), BACKGROUND)
    ImageDraw.Draw(row).text((4, 4), label, fill=(0, 0, 0))
    x = 0
    for tile in tiles:
        row.paste(tile, (x, LABEL_HEIGHT))
        x += tile.width + GAP
    return row


def contact_sheet(rows: Sequence[tuple], path: Path, columns: int = 2, height: int = TILE_HEIGHT) -> None:
    """``rows`` of (shopper, product, render, label) as a PNG grid of ``columns`` rows side by side,
    each picture ``height`` px tall."""
    images = [row_image(row[:-1], row[-1], height) for row in rows]
    if not images:
        Image.new("RGB", (200, 100), BACKGROUND).save(path, format="PNG")
        return
    cell_w = max(i.width for i in images) + 2 * GAP
    cell_h = max(i.height for i in images) + 2 * GAP
    lines = (len(images) + columns - 1) // columns
    sheet = Image.new("RGB", (cell_w * min(columns, len(images)), cell_h * lines), BACKGROUND)
    for index, image in enumerate(images):
        sheet.paste(image, ((index % columns) * cell_w + GAP, (index // columns) * cell_h + GAP))
    sheet.save(path, format="PNG")
