"""Intake at the door: stored photos are re-encoded from pixels, media responses are never sniffed.

The stored file is read back from storage and its metadata inspected with Pillow and as raw bytes.
"""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from accounts.services import reference_photo_create
from accounts.tests.factories import UserFactory
from catalog.services import product_image_create
from catalog.tests.factories import ProductFactory
from ml.intake import bounded_image_bytes, reencode_image_bytes

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
BODY_SERIAL = 0xA431
ORIENTATION = 0x0112


def _private_jpeg(
    width: int = 270, height: int = 360, *, orientation: int = 1, trailer: bytes = b""
) -> bytes:
    """A JPEG with everything a phone puts in: EXIF (GPS, camera serial), an ICC profile, a comment."""
    image = Image.new("RGB", (width, height), (180, 60, 40))
    image.paste((20, 200, 20), (0, 0, width // 2, height // 4))  # a mark to check the orientation
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 15"
    exif[BODY_SERIAL] = "SN-0042-SECRET"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 22.0, 7.5), 3: "E", 4: (4.0, 53.0, 2.1)})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95, exif=exif, icc_profile=icc, comment=b"taken at home")
    return buffer.getvalue() + trailer


def _stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def test_a_reference_photo_is_stored_without_exif_gps_icc_or_extra_bytes(settings):
    # given
    user = UserFactory()
    html = b"<html><script>alert(document.cookie)</script></html>"
    upload = _private_jpeg(orientation=6, trailer=html)
    source = Image.open(io.BytesIO(upload))
    assert source.getexif().get_ifd(GPS_IFD)  # the upload does carry a position
    assert b"SN-0042-SECRET" in upload

    # when
    photo = reference_photo_create(
        user=user, file=SimpleUploadedFile("me.jpg", upload, "image/jpeg"), kind="front"
    )

    # then
    data = _stored(photo.image.name)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert photo.image.name.endswith(".jpg")
    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(GPS_IFD) == {}
    assert "icc_profile" not in stored.info
    assert "comment" not in stored.info
    assert "exif" not in stored.info
    for secret in (b"SN-0042-SECRET", b"PhoneMaker", b"taken at home", b"<html", b"Exif\x00\x00"):
        assert secret not in data
    assert data.endswith(b"\xff\xd9")  # nothing after the end-of-image marker
    # orientation 6 (rotate 90 degrees clockwise) is applied to the pixels: 270x360 becomes 360x270
    assert stored.size == (360, 270)
    assert (photo.width, photo.height) == (360, 270)
    assert stored.convert("RGB").getpixel((340, 5))[1] > 150  # the green mark moved to the top right
    assert photo.content_hash == hashlib.sha256(data).hexdigest()


def test_a_png_packshot_keeps_its_transparency_but_not_its_text_chunks(settings):
    # given
    product = ProductFactory()
    image = Image.new("RGBA", (256, 384), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (16, 16, 48, 80))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "studio-photographer@example.com")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info)

    # when
    stored_image = product_image_create(
        product=product, file=SimpleUploadedFile("a.png", buffer.getvalue(), "image/png"), role="packshot"
    )

    # then
    data = _stored(stored_image.image.name)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "PNG"
    assert stored.mode == "RGBA"
    assert stored.info.get("Author") is None
    assert b"studio-photographer" not in data
    assert stored.getpixel((0, 0))[3] == 0
    assert stored.getpixel((30, 40)) == (200, 30, 30, 255)


def test_media_responses_are_inline_and_never_sniffed(client, settings):
    # given
    user = UserFactory()
    photo = reference_photo_create(
        user=user, file=SimpleUploadedFile("me.jpg", _private_jpeg(), "image/jpeg"), kind="front"
    )
    product_image = product_image_create(
        product=ProductFactory(),
        file=SimpleUploadedFile("p.jpg", _private_jpeg(), "image/jpeg"),
        role="on_model",
    )
    client.force_login(user)

    # when
    private = client.get(photo.image.url)
    public = client.get(product_image.image.url)

    # then
    for response in (private, public):
        assert response.status_code == 200
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline")
        assert response["Content-Type"] == "image/jpeg"
    assert private["Cache-Control"] == "private, no-store"


def test_the_working_copy_of_a_large_photo_is_bounded_and_a_small_one_is_left_alone():
    # given
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 4000), (90, 120, 150)).save(buffer, format="JPEG", quality=90)
    large = buffer.getvalue()
    small = reencode_image_bytes(_private_jpeg()).data

    # when
    bounded, scale = bounded_image_bytes(large, max_side=2048)
    same, same_scale = bounded_image_bytes(small, max_side=2048)

    # then
    assert Image.open(io.BytesIO(bounded)).size == (1536, 2048)
    assert scale == pytest.approx(1536 / 3000)
    assert (same, same_scale) == (small, 1.0)
