"""Size advice for the signed-in shopper (reads only; no N+1 on a page of cards)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from accounts.models import BodyMeasurements
from accounts.selectors import body_measurements_get
from catalog.models import Product, ProductImage, SizeChartRow
from sizing.advice import NO_MEASUREMENTS, ChartRow, SizeAdvice, advise_size
from sizing.models import BodyShape, ShapeView

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


# --------------------------------------------------------------------------- "My shape"

# Bump when the drawing of the mannequin or of the garment on it changes (views are redrawn).
SHAPE_VIEW_VERSION = "shape-1"
SHAPE_MEASURE_FOR_KIND = {"bottom": ("waist", "hips"), "default": ("chest", "waist")}

NO_BODY_SHAPE = (
    "Add your height and a full-body photo facing the camera: once we have measured you, "
    "this product is drawn here on a mannequin with your shape."
)
NO_CHART_SHAPE = "This product has no size chart, so we cannot show how its sizes fit your shape."
NO_PACKSHOT_SHAPE = "This product has no flat product photo to dress your mannequin with."
NO_SIZE_SHAPE = "We cannot advise a size of this product for your measurements, so there is nothing to draw."


@dataclass(frozen=True)
class ShapeSize:
    size: str
    role: str  # down | recommended | up
    measure: str
    garment_cm: float  # the middle of the size's chart range
    body_cm: float


@dataclass(frozen=True)
class ShapePlan:
    """What "My shape" of a product shows the shopper: ``state`` "ready" (with the sizes to draw
    and the key of those pixels) or a sentence why there is nothing to draw."""

    state: str  # ready | no_body | no_chart | no_packshot | no_size
    reason: str = ""
    key: str = ""
    sizes: tuple[ShapeSize, ...] = ()
    body_shape: BodyShape | None = None
    packshot: ProductImage | None = None


def packshot_of(product: Product) -> ProductImage | None:
    images = sorted(product.images.all(), key=lambda image: (image.order, image.pk))
    return next((image for image in images if image.role == ProductImage.Role.PACKSHOT), None)


def _chart_figure(row: ChartRow, measures: tuple[str, ...]) -> tuple[str, float] | None:
    for measure in measures:
        low, high = row.ranges.get(measure, (None, None))
        if low is not None or high is not None:
            values = [v for v in (low, high) if v is not None]
            return measure, float(sum(values) / len(values))
    return None


def shape_plan_for(*, user, product: Product) -> ShapePlan:
    """The recommended size and its neighbours on the chart, compared with the shopper's figures."""
    body_shape = BodyShape.objects.filter(user=user).first()
    row = body_measurements_get(user=user)
    if body_shape is None or row is None or row.status != BodyMeasurements.Status.DONE:
        reason = row.reason if row is not None and row.status == BodyMeasurements.Status.FAILED else ""
        return ShapePlan(state="no_body", reason=f"{reason} {NO_BODY_SHAPE}".strip())
    if body_shape.inputs_key != row.inputs_key:
        return ShapePlan(state="no_body", reason=NO_BODY_SHAPE)
    chart = size_charts_for([product])[product.pk]
    if not chart:
        return ShapePlan(state="no_chart", reason=NO_CHART_SHAPE)
    packshot = packshot_of(product)
    if packshot is None:
        return ShapePlan(state="no_packshot", reason=NO_PACKSHOT_SHAPE)
    measurements = row.effective()
    advice = size_advice_for_products(user=user, products=[product], measurements=measurements)[product.pk]
    names = [r.size for r in chart]
    if advice.size not in names:
        return ShapePlan(state="no_size", reason=NO_SIZE_SHAPE)
    at = names.index(advice.size)
    measures = SHAPE_MEASURE_FOR_KIND.get(product.garment_kind, SHAPE_MEASURE_FOR_KIND["default"])
    measures = tuple(m for m in measures if m in measurements)
    sizes = []
    for index, role in ((at - 1, "down"), (at, "recommended"), (at + 1, "up")):
        if not 0 <= index < len(chart):
            continue
        figure = _chart_figure(chart[index], measures)
        if figure is None:
            continue
        measure, garment_cm = figure
        sizes.append(ShapeSize(chart[index].size, role, measure, garment_cm, float(measurements[measure])))
    if not any(s.role == "recommended" for s in sizes):
        return ShapePlan(state="no_size", reason=NO_SIZE_SHAPE)
    parts = [
        SHAPE_VIEW_VERSION,
        body_shape.inputs_key,
        body_shape.image.name,
        str(product.pk),
        product.garment_kind,
        f"{packshot.pk}:{packshot.content_hash}",
        json.dumps(packshot.landmarks, sort_keys=True),
        json.dumps([asdict(s) for s in sizes]),
    ]
    key = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return ShapePlan(state="ready", key=key, sizes=tuple(sizes), body_shape=body_shape, packshot=packshot)


def shape_view_get(*, user, product: Product) -> ShapeView | None:
    return ShapeView.objects.filter(user=user, product=product).first()
