"""Business logic for users and their reference photos. Views, API views and the admin call these."""

from __future__ import annotations

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

from accounts.models import ReferencePhoto, User
from accounts.signals import user_erasing
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

    Apps holding a user's data subscribe to ``accounts.signals.user_erasing`` (sent first, in this
    transaction); files go after the commit (receivers), on local storage and S3 alike.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    user_erasing.send(sender=User, user=user)
    for photo in ReferencePhoto.objects.filter(user=user):
        _delete_file_on_commit(photo.image.name)
    user.delete()
