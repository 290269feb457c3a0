"""Measuring the shopper's body from their photos and height (the task's work) and scheduling it."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import BodyMeasurements, ReferencePhoto
from accounts.selectors import body_measurement_inputs
from accounts.services import (
    body_measurements_mark_pending,
    body_measurements_set_estimate,
    body_measurements_set_failed,
)
from catalog.models import Product
from sizing.models import BodyShape, ShapeView
from sizing.selectors import ShapePlan, shape_plan_for

logger = logging.getLogger(__name__)

NO_HEIGHT = (
    "Enter your height in your profile so that we can measure you: photos alone do not give the scale."
)
NO_FRONT_PHOTO = "Add a full-body photo of you facing the camera so that we can measure you."
FAILED = "We could not measure this photo. Try another full-body photo, facing the camera."


def _model_version() -> str:
    from ml.body import BODY_MODEL_VERSION

    return BODY_MODEL_VERSION


def body_measurement_inputs_key(
    *, height_cm: int | None, front: ReferencePhoto | None, side: ReferencePhoto | None
) -> str:
    """What an estimate depends on: the height, the photos' contents and the model's version."""
    parts = [
        str(height_cm),
        f"{front.pk}:{front.content_hash}" if front else "-",
        f"{side.pk}:{side.content_hash}" if side else "-",
        _model_version(),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def body_measurement_schedule(*, user_id: int) -> None:
    """Mark the measurements as pending and measure on the ``preprocess`` queue after the commit."""
    from sizing.tasks import measure_body

    height, front, side = body_measurement_inputs(user_id=user_id)
    key = body_measurement_inputs_key(height_cm=height, front=front, side=side)
    body_measurements_mark_pending(user_id=user_id, inputs_key=key)
    transaction.on_commit(lambda: measure_body.delay(user_id))


def body_measurement_compute(*, user_id: int) -> BodyMeasurements | None:
    """Measure the user's body from their current photos and height (idempotent per inputs)."""
    from ml.errors import MLError

    height, front, side = body_measurement_inputs(user_id=user_id)
    if not BodyMeasurements.objects.filter(user_id=user_id).exists() and height is None and front is None:
        from accounts.models import User

        if not User.objects.filter(pk=user_id).exists():
            return None  # the user is gone
    key = body_measurement_inputs_key(height_cm=height, front=front, side=side)
    current = BodyMeasurements.objects.filter(user_id=user_id).first()
    if (
        current is not None
        and current.inputs_key == key
        and current.status
        in (
            BodyMeasurements.Status.DONE,
            BodyMeasurements.Status.FAILED,
        )
    ):
        return current
    if height is None:
        return _measurement_failed(user_id=user_id, reason=NO_HEIGHT, inputs_key=key)
    if front is None:
        return _measurement_failed(user_id=user_id, reason=NO_FRONT_PHOTO, inputs_key=key)
    try:
        result = _measure(height_cm=height, front=front, side=side)
    except MLError as error:
        return _measurement_failed(user_id=user_id, reason=error.message, inputs_key=key)
    except (OSError, ValueError, RuntimeError):
        logger.exception("body measurement of user %s failed", user_id)
        return _measurement_failed(user_id=user_id, reason=FAILED, inputs_key=key)
    row = body_measurements_set_estimate(
        user_id=user_id,
        estimated={
            name: {"value_cm": m.value_cm, "uncertainty_cm": m.uncertainty_cm}
            for name, m in result.measurements.items()
        },
        notes=result.notes,
        inputs_key=key,
        model_version=result.model_version,
    )
    if result.fit is not None:
        body_shape_store(user_id=user_id, fit=result.fit, inputs_key=key)
    return row


def _measurement_failed(*, user_id: int, reason: str, inputs_key: str) -> BodyMeasurements:
    row = body_measurements_set_failed(user_id=user_id, reason=reason, inputs_key=inputs_key)
    body_shape_delete(user_id=user_id)
    return row


def _read(photo: ReferencePhoto):
    from ml.intake import load_image

    with photo.image.open("rb") as handle:
        return load_image(handle.read())


def _measure(*, height_cm: int, front: ReferencePhoto, side: ReferencePhoto | None):
    from ml.body import CannotMeasure, measure_body

    side_image = None
    if side is not None:
        side_image = _read(side)
    try:
        return measure_body(_read(front), height_cm=height_cm, side=side_image)
    except CannotMeasure as error:
        if side_image is None or "side photo" not in error.message:
            raise
    # An unusable side photo should not cost the shopper the front-only figures.
    return measure_body(_read(front), height_cm=height_cm)


# --------------------------------------------------------------------------- "My shape"

SHAPE_FAILED = "We could not draw this product on your mannequin."


def _png(array) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def _delete_files_on_commit(names: list[str], storage) -> None:
    names = [n for n in names if n]
    if names:
        transaction.on_commit(lambda: [storage.delete(n) for n in names])


@transaction.atomic
def body_shape_store(*, user_id: int, fit, inputs_key: str) -> BodyShape | None:
    """Draw the fitted body as a mannequin and store it; the shopper's "My shape" views are then
    drawn again on the ``preprocess`` queue. A body that cannot be drawn leaves no shape."""
    from ml.body.mannequin import draw_mannequin
    from ml.errors import MLError

    try:
        mannequin = draw_mannequin(fit)
    except (MLError, ValueError):
        logger.exception("drawing the body of user %s failed", user_id)
        body_shape_delete(user_id=user_id)
        return None
    shape = BodyShape.objects.select_for_update().filter(user_id=user_id).first() or BodyShape(
        user_id=user_id
    )
    old = shape.image.name if shape.pk else ""
    shape.inputs_key = inputs_key
    shape.geometry = mannequin.to_dict()
    shape.image.save(f"body-{inputs_key[:16]}.png", ContentFile(_png(mannequin.image)), save=False)
    shape.full_clean()
    shape.save()
    if old != shape.image.name:
        _delete_files_on_commit([old], shape.image.storage)
    shape_views_redraw(user_id=user_id)
    return shape


@transaction.atomic
def body_shape_delete(*, user_id: int) -> None:
    """No body to draw (the photos cannot be measured): the shape and its views go."""
    shapes = list(BodyShape.objects.filter(user_id=user_id))
    views = list(ShapeView.objects.filter(user_id=user_id))
    for row in (*shapes, *views):
        _delete_files_on_commit([row.image.name], row.image.storage)
        row.delete()


def shape_views_redraw(*, user_id: int) -> None:
    """Every product the shopper has seen "My shape" of is drawn again (after the commit)."""
    from sizing.tasks import draw_shape_view

    for product_id in ShapeView.objects.filter(user_id=user_id).values_list("product_id", flat=True):
        transaction.on_commit(lambda product_id=product_id: draw_shape_view.delay(user_id, product_id))


def shape_view_request(*, user, product: Product, plan: ShapePlan | None = None) -> ShapeView | None:
    """The product's "My shape" view, queued for drawing when it is missing or out of date
    (None when there is nothing to draw; the selector's plan says why)."""
    from sizing.tasks import draw_shape_view

    if plan is None:
        plan = shape_plan_for(user=user, product=product)
    if plan.state != "ready":
        return None
    view = ShapeView.objects.filter(user=user, product=product).first()
    if view is not None and view.key == plan.key:
        return view
    with transaction.atomic():
        view, _ = ShapeView.objects.select_for_update().get_or_create(
            user=user, product=product, defaults={"key": plan.key}
        )
        if view.key == plan.key and view.status != ShapeView.Status.QUEUED:
            return view
        view.key = plan.key
        view.status = ShapeView.Status.QUEUED
        view.reason = ""
        view.full_clean()
        view.save()
        transaction.on_commit(lambda: draw_shape_view.delay(user.pk, product.pk))
    return view


def shape_view_draw(*, user_id: int, product_id: int) -> ShapeView | None:
    """The task's work: the mannequin wearing the product in each planned size (idempotent per key)."""
    from accounts.models import User
    from ml.errors import MLError

    user = User.objects.filter(pk=user_id).first()
    product = Product.objects.filter(pk=product_id).prefetch_related("images", "size_chart").first()
    if user is None or product is None:
        return None
    plan = shape_plan_for(user=user, product=product)
    view = ShapeView.objects.filter(user=user, product=product).first()
    if plan.state != "ready":
        if view is not None:
            _shape_view_set(view=view, key=view.key, status=ShapeView.Status.FAILED, reason=plan.reason)
        return view
    if view is not None and view.key == plan.key and view.status == ShapeView.Status.DONE:
        return view
    if view is None:
        view = ShapeView(user=user, product=product)
    try:
        png = _draw_sizes(plan=plan, product=product)
    except MLError as error:
        return _shape_view_set(view=view, key=plan.key, status=ShapeView.Status.FAILED, reason=error.message)
    except (OSError, ValueError):
        logger.exception("drawing product %s on user %s failed", product_id, user_id)
        return _shape_view_set(view=view, key=plan.key, status=ShapeView.Status.FAILED, reason=SHAPE_FAILED)
    sizes = [{"size": s.size, "role": s.role} for s in plan.sizes]
    return _shape_view_set(view=view, key=plan.key, status=ShapeView.Status.DONE, png=png, sizes=sizes)


def _draw_sizes(*, plan, product: Product) -> bytes:
    import numpy as np
    from PIL import Image

    from ml.body.mannequin import Mannequin, SizeFit, dress_mannequin, size_strip
    from ml.garments import prepare_packshot
    from ml.intake import load_image

    with plan.body_shape.image.open("rb") as handle:
        body = np.asarray(Image.open(handle).convert("RGBA"))
    mannequin = Mannequin.from_dict(body, plan.body_shape.geometry)
    with plan.packshot.image.open("rb") as handle:
        image = load_image(handle.read())
    packshot = prepare_packshot(image, product.garment_kind, plan.packshot.landmarks or None)
    panels = [
        dress_mannequin(mannequin, packshot, SizeFit(s.size, s.measure, s.garment_cm, s.body_cm))
        for s in plan.sizes
    ]
    return _png(size_strip(panels))


@transaction.atomic
def _shape_view_set(
    *, view: ShapeView, key: str, status: str, reason: str = "", png: bytes | None = None, sizes=None
) -> ShapeView:
    old = view.image.name if view.image else ""
    view.key = key
    view.status = status
    view.reason = reason
    view.sizes = list(sizes or [])
    if png is not None:
        view.image.save(f"shape-{view.product_id}-{key[:16]}.png", ContentFile(png), save=False)
    else:
        view.image = ""
    view.full_clean()
    view.save()
    if old and old != view.image.name:
        _delete_files_on_commit([old], view.image.storage)
    return view
