"""Validation of uploaded images: one function every upload path (forms, API, admin, import) uses.

The pixel decoding, the format sniffing and the re-encoding are delegated to
:func:`ml.intake.reencode_image_bytes` (which raises :class:`ml.errors.InvalidImage` with a human
sentence): what is stored is a JPEG or PNG written from the decoded pixels, never the uploaded
bytes, so no EXIF/GPS/ICC metadata and nothing but image data is ever stored or served. This
module adds the byte limit and the content hash (of the stored bytes), and turns the error into a
Django ``ValidationError``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat

from ml.errors import InvalidImage

_EXTENSIONS = {
    "JPEG": "jpg",
    "MPO": "jpg",
    "PNG": "png",
    "WEBP": "webp",
    "GIF": "gif",
    "BMP": "bmp",
    "TIFF": "tif",
}


@dataclass(frozen=True)
class UploadedImage:
    data: bytes
    format: str
    width: int
    height: int
    content_hash: str

    @property
    def extension(self) -> str:
        return _EXTENSIONS.get(self.format, "img")


def read_upload(file) -> bytes:
    """All bytes of an uploaded file (or a path-like/bytes), refusing oversize files early."""
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    size = getattr(file, "size", None)
    if size is not None and size > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(_too_big_message(), code="too_large")
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(settings.MAX_UPLOAD_BYTES + 1)
    if hasattr(file, "seek"):
        file.seek(0)
    return data


def _too_big_message() -> str:
    return f"The file is too large: the limit is {filesizeformat(settings.MAX_UPLOAD_BYTES)}."


def validate_image_upload(file) -> UploadedImage:
    """Check an upload completely; raise ``ValidationError`` with a sentence a shopper understands."""
    data = read_upload(file)
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise ValidationError(_too_big_message(), code="too_large")
    try:
        from ml.intake import reencode_image_bytes

        # Only pixels are kept: the stored file is re-encoded from them (no EXIF/GPS, no extra bytes).
        clean = reencode_image_bytes(data, max_pixels=settings.MAX_UPLOAD_PIXELS)
    except InvalidImage as error:
        raise ValidationError(str(error), code="invalid_image") from error
    return UploadedImage(
        data=clean.data,
        format=clean.format,
        width=clean.width,
        height=clean.height,
        content_hash=hashlib.sha256(clean.data).hexdigest(),
    )


def image_file_store(instance, upload: UploadedImage, *, stem: str = "image") -> None:
    """Put a validated upload into ``instance.image`` with its size and hash (the row is not saved)."""
    instance.image.save(f"{stem}.{upload.extension}", ContentFile(upload.data), save=False)
    instance.width, instance.height = upload.width, upload.height
    instance.content_hash = upload.content_hash


def image_row_create(instance, upload: UploadedImage, *, stem: str = "image") -> None:
    """Store the upload and save the new row; the stored file goes again when the row cannot be saved."""
    image_file_store(instance, upload, stem=stem)
    try:
        instance.save()
    except Exception:
        default_storage.delete(instance.image.name)
        raise


def validate_min_resolution(upload: UploadedImage, *, min_side: int, message: str) -> None:
    """Refuse an image whose shorter side is below ``min_side`` pixels.

    ``message`` is formatted with ``width``, ``height`` and ``min_side`` (a sentence for the form,
    the API and the admin). Callers choose the limit: reference photos and product images differ.
    """
    if min(upload.width, upload.height) < min_side:
        raise ValidationError(
            message.format(width=upload.width, height=upload.height, min_side=min_side), code="too_small"
        )
