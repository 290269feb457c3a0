"""Builders of the sizing tests: measured shoppers, products sold in sizes with a size chart, a
stored mannequin and a drawn packshot (the browser test uses them too)."""

from __future__ import annotations

import io

import numpy as np
from django.core.files.base import ContentFile
from PIL import Image

from accounts.models import BodyMeasurements
from accounts.tests.factories import UserFactory
from catalog.models import ProductImage, SizeChartRow
from catalog.tests.factories import ProductFactory, ProductImageFactory, ProductVariantFactory
from ml.body.mannequin import Mannequin
from ml.garments import draw_packshot
from ml.types import GarmentKind
from sizing.models import BodyShape


def measured_user(**figures) -> object:
    """A shopper with stored estimates (value, uncertainty 1.0)."""
    user = UserFactory()
    BodyMeasurements.objects.create(
        user=user,
        status=BodyMeasurements.Status.DONE,
        estimated={name: {"value_cm": value, "uncertainty_cm": 1.0} for name, value in figures.items()},
    )
    return user


def with_sizes(product, sizes: list[str]):
    """``product`` sold in ``sizes`` (one variant each, in stock)."""
    for order, size in enumerate(sizes):
        ProductVariantFactory(product=product, size=size, order=order)
    return product


def top_with_chart(**kwargs):
    """A top sized S/M/L with a chest/waist chart."""
    product = with_sizes(ProductFactory(garment_kind="top", **kwargs), ["S", "M", "L"])
    for order, (size, chest, waist) in enumerate(
        [("S", (84, 89), (70, 75)), ("M", (90, 96), (76, 82)), ("L", (97, 104), (83, 90))]
    ):
        SizeChartRow.objects.create(
            product=product,
            size=size,
            order=order,
            chest_min=chest[0],
            chest_max=chest[1],
            waist_min=waist[0],
            waist_max=waist[1],
        )
    return product


GARMENT_RED = (220, 30, 30)
BODY_GREY = (200, 196, 190)


def png_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def give_body_shape(user, *, inputs_key: str = "k1") -> BodyShape:
    """A stored mannequin: a grey 60 x 200 px figure on a transparent 100 x 240 canvas."""
    image = np.zeros((240, 100, 4), np.uint8)
    image[20:220, 20:80] = (*BODY_GREY, 255)
    mannequin = Mannequin(
        image=image,
        anchors={
            "left_shoulder": (70.0, 50.0),
            "right_shoulder": (30.0, 50.0),
            "left_hip": (60.0, 130.0),
            "right_hip": (40.0, 130.0),
            "waist": (50.0, 106.0),
        },
        px_per_cm=200 / 170,
    )
    BodyMeasurements.objects.filter(user=user).update(inputs_key=inputs_key)
    shape = BodyShape(user=user, inputs_key=inputs_key, geometry=mannequin.to_dict())
    shape.image.save("body.png", ContentFile(png_bytes(image)), save=False)
    shape.save()
    return shape


def give_measured_body(user, **figures) -> BodyShape:
    """Stored estimates (value, uncertainty 1.0) and a fitted body for an existing user."""
    BodyMeasurements.objects.create(
        user=user,
        status=BodyMeasurements.Status.DONE,
        estimated={name: {"value_cm": value, "uncertainty_cm": 1.0} for name, value in figures.items()},
    )
    return give_body_shape(user)


def with_packshot(product) -> ProductImage:
    packshot = draw_packshot(kind=GarmentKind.TOP, colour=GARMENT_RED, seed=3, size=(384, 288))
    return ProductImageFactory(
        product=product,
        role=ProductImage.Role.PACKSHOT,
        image=ContentFile(png_bytes(packshot.image), name="packshot.png"),
        landmarks={k: [float(x), float(y)] for k, (x, y) in packshot.landmarks.items()},
    )
