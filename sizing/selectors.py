"""Size advice for the signed-in shopper (reads only; no N+1 on a page of cards)."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import BodyMeasurements
from accounts.selectors import body_measurements_get
from catalog.models import Product, SizeChartRow
from sizing.advice import NO_MEASUREMENTS, ChartRow, SizeAdvice, advise_size

MEASURES = ("chest", "waist", "hips", "inseam")


def chart_row_of(row: SizeChartRow) -> ChartRow:
    return ChartRow(
        size=row.size,
        ranges={m: (getattr(row, f"{m}_min"), getattr(row, f"{m}_max")) for m in MEASURES},
    )


def size_charts_for(products: Iterable[Product]) -> dict[int, list[ChartRow]]:
    """Each product's chart, small to large (the prefetched rows, else one query for all)."""
    products = list(products)
    charts: dict[int, list[ChartRow]] = {p.pk: [] for p in products}
    missing = []
    for product in products:
        cache = getattr(product, "_prefetched_objects_cache", {})
        if "size_chart" in cache:
            rows = sorted(cache["size_chart"], key=lambda r: (r.order, r.pk))
            charts[product.pk] = [chart_row_of(r) for r in rows]
        else:
            missing.append(product.pk)
    if missing:
        for row in SizeChartRow.objects.filter(product_id__in=missing).order_by("product_id", "order", "id"):
            charts[row.product_id].append(chart_row_of(row))
    return charts


def shopper_measurements(*, user) -> dict[str, float]:
    row: BodyMeasurements | None = body_measurements_get(user=user)
    return row.effective() if row is not None else {}


def size_advice_for_products(
    *, user, products: Iterable[Product], measurements: dict[str, float] | None = None
) -> dict[int, SizeAdvice]:
    """Product id -> advice for ``user`` (two queries at most, whatever the number of products)."""
    products = list(products)
    if measurements is None:
        measurements = shopper_measurements(user=user)
    charts = size_charts_for(products)
    advice = {}
    for product in products:
        result = advise_size(measurements, product.garment_kind, charts[product.pk])
        if not measurements and result.status != "no_chart":
            result = NO_MEASUREMENTS
        advice[product.pk] = result
    return advice
