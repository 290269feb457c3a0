"""Business logic for users and their reference photos. Views, API views and the admin call these."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from accounts.models import BodyMeasurements, ReferencePhoto, User
from accounts.signals import body_inputs_changed
from shop.images import image_row_create, validate_image_upload
from tryon import services as tryon_services


def user_create(
    *,
    email: str,
    password: str | None,
    height_cm: int | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
    validate: bool = True,
) -> User:
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "An account with this e-mail address already exists."})
    user = User(email=email, height_cm=height_cm, is_staff=is_staff, is_superuser=is_superuser)
    if password is not None and validate:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


def user_update_profile(*, user: User, height_cm: int | None) -> User:
    changed = User.objects.filter(pk=user.pk).values_list("height_cm", flat=True).first() != height_cm
    user.height_cm = height_cm
    user.full_clean(exclude=["password"])
    user.save(update_fields=["height_cm"])
    if changed:
        body_inputs_changed.send(sender=User, user_id=user.pk)
    return user


def _delete_file_on_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def reference_photo_create(*, user: User, file, kind: str) -> ReferencePhoto:
    """Validate and store a photo; the user's first photo becomes the primary one."""
    if kind not in ReferencePhoto.Kind.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(ReferencePhoto.Kind.values)}."})
    upload = validate_image_upload(file)
    # Lock the user's row so that two concurrent first uploads cannot both become primary.
    User.objects.select_for_update().filter(pk=user.pk).first()
    is_first = not ReferencePhoto.objects.filter(user=user).exists()
    photo = ReferencePhoto(user=user, kind=kind, is_primary=is_first)
    image_row_create(photo, upload, stem="photo")
    tryon_services.reference_photo_schedule_analysis(photo=photo)
    body_inputs_changed.send(sender=ReferencePhoto, user_id=user.pk)
    return photo


@transaction.atomic
def reference_photo_delete(*, photo: ReferencePhoto) -> None:
    """Delete the photo and its file; if it was primary, the newest remaining one becomes primary."""
    user_id = photo.user_id
    was_primary = photo.is_primary
    _delete_file_on_commit(photo.image.name)
    tryon_services.reference_photo_cleanup(photo=photo)
    photo.delete()
    if was_primary:
        newest = ReferencePhoto.objects.filter(user_id=user_id).order_by("-created_at", "-id").first()
        if newest is not None:
            newest.is_primary = True
            newest.save(update_fields=["is_primary", "updated_at"])
            tryon_services.reference_photo_primary_changed(photo=newest)
    body_inputs_changed.send(sender=ReferencePhoto, user_id=user_id)


@transaction.atomic
def reference_photo_set_primary(*, photo: ReferencePhoto) -> ReferencePhoto:
    ReferencePhoto.objects.filter(user_id=photo.user_id, is_primary=True).exclude(pk=photo.pk).update(
        is_primary=False
    )
    if not photo.is_primary:
        photo.is_primary = True
        photo.save(update_fields=["is_primary", "updated_at"])
        tryon_services.reference_photo_primary_changed(photo=photo)
        body_inputs_changed.send(sender=ReferencePhoto, user_id=photo.user_id)
    return photo


def _body_measurements_row(*, user_id: int) -> BodyMeasurements:
    row, _ = BodyMeasurements.objects.select_for_update().get_or_create(user_id=user_id)
    return row


@transaction.atomic
def body_measurements_mark_pending(*, user_id: int, inputs_key: str) -> BodyMeasurements:
    row = _body_measurements_row(user_id=user_id)
    row.status = BodyMeasurements.Status.PENDING
    row.reason = ""
    row.inputs_key = inputs_key
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def body_measurements_set_estimate(
    *,
    user_id: int,
    estimated: dict[str, dict[str, float]],
    notes: list[str],
    inputs_key: str,
    model_version: str,
) -> BodyMeasurements:
    """Store a new estimate (the shopper's corrections are kept and still win)."""
    from django.utils import timezone

    unknown = set(estimated) - set(BodyMeasurements.NAMES)
    if unknown:
        raise ValidationError({"estimated": f"Unknown measurements: {', '.join(sorted(unknown))}."})
    row = _body_measurements_row(user_id=user_id)
    row.status = BodyMeasurements.Status.DONE
    row.reason = ""
    row.estimated = {
        name: {
            "value_cm": round(float(v["value_cm"]), 1),
            "uncertainty_cm": round(float(v["uncertainty_cm"]), 1),
        }
        for name, v in estimated.items()
    }
    row.notes = list(notes)
    row.inputs_key = inputs_key
    row.model_version = model_version
    row.measured_at = timezone.now()
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def body_measurements_set_failed(*, user_id: int, reason: str, inputs_key: str) -> BodyMeasurements:
    """The photos cannot be measured: keep the reason; an earlier estimate is dropped (it described
    other photos or another height)."""
    row = _body_measurements_row(user_id=user_id)
    row.status = BodyMeasurements.Status.FAILED
    row.reason = reason
    row.estimated = {}
    row.notes = []
    row.inputs_key = inputs_key
    row.full_clean()
    row.save()
    return row


MEASUREMENT_RANGE_CM = (10.0, 250.0)


@transaction.atomic
def body_measurements_correct(*, user: User, corrected: dict[str, float | None]) -> BodyMeasurements:
    """Set the shopper's own figures (None clears one, the estimate applies again)."""
    errors = {}
    clean: dict[str, float] = {}
    for name, value in corrected.items():
        if name not in BodyMeasurements.NAMES:
            errors[name] = "Unknown measurement."
            continue
        if value is None:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            errors[name] = "Enter a number of centimetres."
            continue
        low, high = MEASUREMENT_RANGE_CM
        if not (low <= number <= high):
            errors[name] = f"Enter a figure between {low:.0f} and {high:.0f} cm."
            continue
        clean[name] = round(number, 1)
    if errors:
        raise ValidationError(errors)
    row = _body_measurements_row(user_id=user.pk)
    merged = {k: v for k, v in (row.corrected or {}).items() if k not in corrected}
    merged.update(clean)
    row.corrected = merged
    row.full_clean()
    row.save()
    return row
