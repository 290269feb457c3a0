"""Measuring the shopper's body from their photos and height (the task's work) and scheduling it."""

from __future__ import annotations

import hashlib
import logging

from django.db import transaction

from accounts.models import BodyMeasurements, ReferencePhoto
from accounts.selectors import body_measurement_inputs
from accounts.services import (
    body_measurements_mark_pending,
    body_measurements_set_estimate,
    body_measurements_set_failed,
)

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
        return body_measurements_set_failed(user_id=user_id, reason=NO_HEIGHT, inputs_key=key)
    if front is None:
        return body_measurements_set_failed(user_id=user_id, reason=NO_FRONT_PHOTO, inputs_key=key)
    try:
        result = _measure(height_cm=height, front=front, side=side)
    except MLError as error:
        return body_measurements_set_failed(user_id=user_id, reason=error.message, inputs_key=key)
    except (OSError, ValueError, RuntimeError):
        logger.exception("body measurement of user %s failed", user_id)
        return body_measurements_set_failed(user_id=user_id, reason=FAILED, inputs_key=key)
    return body_measurements_set_estimate(
        user_id=user_id,
        estimated={
            name: {"value_cm": m.value_cm, "uncertainty_cm": m.uncertainty_cm}
            for name, m in result.measurements.items()
        },
        notes=result.notes,
        inputs_key=key,
        model_version=result.model_version,
    )


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
