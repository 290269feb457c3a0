"""Business logic for users and their reference photos. Views, API views and the admin call these."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction

from accounts.models import ReferencePhoto, User
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
    user.height_cm = height_cm
    user.full_clean(exclude=["password"])
    user.save(update_fields=["height_cm"])
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


@transaction.atomic
def reference_photo_set_primary(*, photo: ReferencePhoto) -> ReferencePhoto:
    ReferencePhoto.objects.filter(user_id=photo.user_id, is_primary=True).exclude(pk=photo.pk).update(
        is_primary=False
    )
    if not photo.is_primary:
        photo.is_primary = True
        photo.save(update_fields=["is_primary", "updated_at"])
        tryon_services.reference_photo_primary_changed(photo=photo)
    return photo
