import pytest

from accounts.models import BodyMeasurements
from accounts.tests.factories import UserFactory
from catalog.models import SizeChartRow
from catalog.tests.factories import ProductFactory, ProductVariantFactory


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
