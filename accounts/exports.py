"""Download my data: a zip that every app adds its part of a user's data to.

Apps register an exporter in ``AppConfig.ready``::

    register_user_exporter("orders", export_orders)   # (user) -> iterable of (path, bytes)

Paths are relative to a folder named after the exporter inside the zip (``orders/…``). The
accounts app itself exports ``profile.json`` and the original photos.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import ReferencePhoto, User

UserExporter = Callable[[User], Iterable[tuple[str, bytes]]]
_exporters: dict[str, UserExporter] = {}


def register_user_exporter(name: str, exporter: UserExporter) -> None:
    """Add ``exporter``'s files to every data export under ``<name>/``."""
    if "/" in name or not name:
        raise ValueError("An exporter name is one folder name, e.g. 'orders'.")
    _exporters[name] = exporter


def registered_exporters() -> list[str]:
    return sorted(_exporters)


def json_bytes(data: object) -> bytes:
    def default(value):
        if isinstance(value, datetime):
            return value.isoformat()
        return str(value)

    return json.dumps(data, indent=2, ensure_ascii=False, default=default).encode()


def export_profile(user: User) -> Iterable[tuple[str, bytes]]:
    photos = [
        {
            "id": photo.pk,
            "kind": photo.kind,
            "is_primary": photo.is_primary,
            "width": photo.width,
            "height": photo.height,
            "uploaded_at": photo.created_at,
            "file": f"photos/{photo.pk}-{photo.kind}{_suffix(photo.image.name)}",
        }
        for photo in ReferencePhoto.objects.filter(user=user).order_by("id")
    ]
    profile = {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "height_cm": user.height_cm,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "photos": photos,
        "exported_at": timezone.now(),
    }
    yield "profile.json", json_bytes(profile)


def export_photos(user: User) -> Iterable[tuple[str, bytes]]:
    for photo in ReferencePhoto.objects.filter(user=user).order_by("id"):
        try:
            with default_storage.open(photo.image.name, "rb") as handle:
                data = handle.read()
        except OSError:
            continue  # a file missing from storage is left out, the rest is exported
        yield f"{photo.pk}-{photo.kind}{_suffix(photo.image.name)}", data


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot > name.rfind("/") else ""


def user_export_build(*, user: User) -> bytes:
    """The zip of everything the store keeps about ``user`` (each registered app adds its part)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in registered_exporters():
            for path, data in _exporters[name](user):
                archive.writestr(f"{name}/{path}", data)
    return buffer.getvalue()


register_user_exporter("account", export_profile)
register_user_exporter("photos", export_photos)
