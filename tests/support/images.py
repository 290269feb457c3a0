"""Small images made in memory for upload tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(width: int = 300, height: int = 400, colour=(180, 60, 40), fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format=fmt)
    return buffer.getvalue()


def image_upload(
    name: str = "photo.png", width: int = 300, height: int = 400, colour=(180, 60, 40), fmt: str = "PNG"
) -> SimpleUploadedFile:
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, image_bytes(width, height, colour, fmt), content_type=content_type)


def text_upload(name: str = "notes.png", content: bytes = b"this is not an image") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")
