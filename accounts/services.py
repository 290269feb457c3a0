"""Business logic for users and their reference photos. Views, API views and the admin call these."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import BodyMeasurements, ReferencePhoto, User
from accounts.selectors import photo_usability, primary_photo_candidates
from accounts.signals import (
    body_inputs_changed,
    reference_photo_added,
    reference_photo_made_primary,
    reference_photo_removed,
    user_deleted,
)
from shop.events import announce
from shop.images import UploadedImage, image_row_create, validate_image_upload, validate_min_resolution

TOO_SMALL_PHOTO = (
    "This photo is too small ({width}×{height} pixels): try-on needs at least {min_side} pixels on its "
    "shorter side, or the clothes shown on you would look blurry. Please upload a larger photo."
)


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
        announce(body_inputs_changed, sender=User, user_id=user.pk)
    return user


def _delete_file_on_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def reference_photo_validate_upload(file) -> UploadedImage:
    """An upload checked as an image and for the smallest size try-on can use (``ValidationError``)."""
    upload = validate_image_upload(file)
    validate_min_resolution(upload, min_side=settings.REFERENCE_PHOTO_MIN_SIDE, message=TOO_SMALL_PHOTO)
    return upload


@transaction.atomic
def reference_photo_create(*, user: User, file, kind: str) -> ReferencePhoto:
    """Validate and store a photo; it becomes the main photo when the user has none.

    A main photo whose check later finds it unusable (no person, …) gives way again
    (:func:`reference_photo_demote_unusable`), so the next upload becomes the main photo.
    """
    if kind not in ReferencePhoto.Kind.values:
        raise ValidationError({"kind": f"Choose one of: {', '.join(ReferencePhoto.Kind.values)}."})
    upload = reference_photo_validate_upload(file)
    # Lock the user's row so that two concurrent uploads cannot both become primary.
    User.objects.select_for_update().filter(pk=user.pk).first()
    has_primary = ReferencePhoto.objects.filter(user=user, is_primary=True).exists()
    photo = ReferencePhoto(user=user, kind=kind, is_primary=not has_primary)
    image_row_create(photo, upload, stem="photo")
    announce(reference_photo_added, sender=ReferencePhoto, photo_id=photo.pk, user_id=user.pk)
    announce(body_inputs_changed, sender=ReferencePhoto, user_id=user.pk)
    return photo


def _make_primary(photo: ReferencePhoto) -> ReferencePhoto:
    ReferencePhoto.objects.filter(user_id=photo.user_id, is_primary=True).exclude(pk=photo.pk).update(
        is_primary=False
    )
    photo.is_primary = True
    photo.save(update_fields=["is_primary", "updated_at"])
    announce(reference_photo_made_primary, sender=ReferencePhoto, photo_id=photo.pk, user_id=photo.user_id)
    announce(body_inputs_changed, sender=ReferencePhoto, user_id=photo.user_id)
    return photo


@transaction.atomic
def reference_photo_delete(
    *, photo: ReferencePhoto, new_primary: ReferencePhoto | None = None, choose_best: bool = True
) -> ReferencePhoto | None:
    """Delete the photo and its file; returns the user's main photo afterwards (None: none).

    When the main photo goes, ``new_primary`` takes its place; without one, the best remaining
    photo does when ``choose_best`` (checked before unchecked, fewer warnings, newest; never a
    photo that cannot carry try-on), otherwise the user is left without a main photo.
    """
    user = photo.user
    was_primary = photo.is_primary
    if new_primary is not None:
        reference_photo_check_can_be_primary(photo=new_primary, user_id=photo.user_id, deleting=photo)
    _delete_file_on_commit(photo.image.name)
    photo_id = photo.pk
    photo.delete()
    announce(reference_photo_removed, sender=ReferencePhoto, photo_id=photo_id, user_id=user.pk)
    announce(body_inputs_changed, sender=ReferencePhoto, user_id=user.pk)
    if not was_primary:
        return ReferencePhoto.objects.filter(user=user, is_primary=True).first()
    if new_primary is None and choose_best:
        candidates = primary_photo_candidates(user=user)
        new_primary = candidates[0].photo if candidates else None
    return _make_primary(new_primary) if new_primary is not None else None


def reference_photo_check_can_be_primary(
    *, photo: ReferencePhoto, user_id: int, deleting: ReferencePhoto | None = None
) -> None:
    """Raise ``ValidationError`` (a sentence) when ``photo`` may not become the user's main photo."""
    if photo.user_id != user_id or (deleting is not None and photo.pk == deleting.pk):
        raise ValidationError("Choose one of your other photos.", code="invalid_choice")
    usability = photo_usability(photo=photo)  # read afresh
    if not usability.usable:
        raise ValidationError(
            f"This photo cannot be your main photo: {usability.reason}", code="photo_unusable"
        )


@transaction.atomic
def reference_photo_set_primary(*, photo: ReferencePhoto) -> ReferencePhoto:
    """Make ``photo`` the main photo; a photo that cannot carry try-on is refused (``ValidationError``)."""
    if ReferencePhoto.objects.filter(pk=photo.pk, is_primary=True).exists():
        photo.is_primary = True
        return photo
    reference_photo_check_can_be_primary(photo=photo, user_id=photo.user_id)
    return _make_primary(photo)


@transaction.atomic
def reference_photo_demote_unusable(*, photo: ReferencePhoto) -> ReferencePhoto | None:
    """The main photo's check found it unusable: it stays stored (with its findings) but stops
    being the main photo, and the best usable photo, if any, takes its place (returned)."""
    photo = ReferencePhoto.objects.select_for_update().filter(pk=photo.pk, is_primary=True).first()
    if photo is None or photo_usability(photo=photo).usable:
        return None
    photo.is_primary = False
    photo.save(update_fields=["is_primary", "updated_at"])
    candidates = primary_photo_candidates(user=photo.user, exclude_ids=[photo.pk])
    return _make_primary(candidates[0].photo) if candidates else None


# --------------------------------------------------------------------------- sign-up without disclosure


def _link(base_url: str, name: str, **kwargs) -> str:
    return base_url.rstrip("/") + reverse(name, kwargs=kwargs)


def _send(template: str, *, email: str, context: dict) -> None:
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(subject, body, None, [email])


def signup_request(*, email: str, height_cm: int | None, base_url: str) -> None:
    """Start a sign-up; the caller answers the same way whether or not the address is registered.

    A new address gets an inactive account and a link to choose its password (which activates it);
    an address still waiting for that gets the link again; an address with an account gets a
    note with the log-in and password-reset links. Nothing is said to the browser either way.
    """
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, height_cm=height_cm, is_active=False)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    if user.is_active:
        context = {
            "email": email,
            "login_url": _link(base_url, "accounts:login"),
            "reset_url": _link(base_url, "accounts:password_reset"),
        }
        _send("signup_exists", email=email, context=context)
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    context = {
        "email": email,
        "confirm_url": _link(base_url, "accounts:signup_confirm", uidb64=uid, token=token),
    }
    _send("signup_confirm", email=email, context=context)


def signup_user_for_link(*, uidb64: str, token: str) -> User | None:
    """The inactive account a sign-up link is for, when the link is valid."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=False).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def signup_complete(*, user: User, password: str) -> User:
    """Set the chosen password and activate the account (the link stops working: its hash changes)."""
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return user


# --------------------------------------------------------------------------- deleting an account


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account and everything of it: rows, photos, analyses, renders and their files.

    The rows of the apps above that hold the user's data (try-on analyses and renders, size views)
    point at the user or the photos with cascading foreign keys, so they go in this transaction;
    their files go after the commit (each app's ``post_delete`` receivers), on local storage and S3
    alike. ``accounts.signals.user_deleted`` is announced after the commit.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    for photo in ReferencePhoto.objects.filter(user=user):
        _delete_file_on_commit(photo.image.name)
    user_id = user.pk
    user.delete()
    announce(user_deleted, sender=User, user_id=user_id)


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
