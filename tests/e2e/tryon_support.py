"""Helpers of the try-on end-to-end tests: a small drawn catalogue and waiting on the database."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.services import category_get_or_create, product_create, product_image_create
from ml.garments import draw_packshot
from ml.types import GarmentKind

CATALOGUE = (
    ("Linen tee", "top", "tshirt", (196, 70, 60)),
    ("Wide trousers", "bottom", "trousers", (40, 60, 110)),
    ("Summer dress", "dress", "short_sleeve", (30, 130, 90)),
    ("Field jacket", "outerwear", "jacket", (150, 130, 90)),
)


def packshot_upload(kind: str, style: str, colour: tuple[int, int, int], seed: int = 0):
    packshot = draw_packshot(kind=GarmentKind(kind), style=style, colour=colour, seed=seed, size=(384, 288))
    buffer = io.BytesIO()
    Image.fromarray(packshot.image).save(buffer, format="JPEG", quality=90)
    file = SimpleUploadedFile(f"{kind}.jpg", buffer.getvalue(), content_type="image/jpeg")
    landmarks = {name: [x, y] for name, (x, y) in packshot.landmarks.items()}
    return file, landmarks


def make_catalogue(items=CATALOGUE):
    products = []
    for n, (name, kind, style, colour) in enumerate(items):
        category = category_get_or_create(name=kind.title() + "s")
        product = product_create(
            category=category, name=name, slug=f"e2e-{n}", price="25.00", garment_kind=kind
        )
        file, landmarks = packshot_upload(kind, style, colour, seed=n)
        product_image_create(product=product, file=file, role="packshot", landmarks=landmarks)
        products.append(product)
    return products


def wait_for(
    condition: Callable[[], object], *, timeout: float, what: str, worker=None, interval: float = 0.25
):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    log = worker.log()[-4000:] if worker is not None else ""
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}\n--- worker log ---\n{log}")
