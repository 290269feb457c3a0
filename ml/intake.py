"""Safe image intake: every photo that enters ``ml`` goes through :func:`load_image`.

The format is sniffed from the content (Pillow's own detection), never from a file name.
Decompression bombs and images above a pixel budget are refused *before* the pixels are
decoded. Whatever the source mode (palette, alpha, greyscale, CMYK, 16-bit), the result is
an (H, W, 3) ``uint8`` RGB array with the EXIF orientation applied.
"""

from __future__ import annotations

import io
import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ml import config
from ml.config import DEFAULT_MAX_IMAGE_PIXELS
from ml.errors import InvalidImage

DEFAULT_MAX_PIXELS = DEFAULT_MAX_IMAGE_PIXELS
# Formats Pillow reads without external delegates and that photos actually arrive in.
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "MPO"})
MAX_FILE_BYTES = 64 * 1024 * 1024

ImageSource = bytes | bytearray | memoryview | str | os.PathLike | BinaryIO


@dataclass(frozen=True)
class ImageInfo:
    """What :func:`validate_image_bytes` learnt about an upload (size after EXIF rotation)."""

    format: str
    width: int
    height: int
    mode: str

    @property
    def pixels(self) -> int:
        return self.width * self.height


def max_pixels_default() -> int:
    """The configured decompression-bomb guard (``MLConfig.max_image_pixels``)."""
    return config.current().max_image_pixels


def _read_bytes(source: ImageSource) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InvalidImage(f"There is no image file at {path}.")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidImage("The file is too large to be a photo we can use (over 64 MB).")
        return path.read_bytes()
    if hasattr(source, "read"):
        data = source.read(MAX_FILE_BYTES + 1)
        if not isinstance(data, bytes | bytearray):
            raise InvalidImage("The upload could not be read as binary data.")
        if len(data) > MAX_FILE_BYTES:
            raise InvalidImage("The file is too large to be a photo we can use (over 64 MB).")
        return bytes(data)
    raise InvalidImage("This is not an image file.")


def _open_checked(data: bytes, max_pixels: int) -> Image.Image:
    """Open (header only) and check format and size; pixels are not decoded yet."""
    if not data:
        raise InvalidImage("The file is empty.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise InvalidImage("The image is far too large (it looks like a decompression bomb).") from error
    except UnidentifiedImageError as error:
        raise InvalidImage(
            "This file is not an image we can read (use a JPEG, PNG or WebP photo)."
        ) from error
    except Exception as error:  # Pillow raises many kinds on corrupt headers
        raise InvalidImage("The image file is damaged and cannot be read.") from error
    if image.format not in ALLOWED_FORMATS:
        raise InvalidImage(
            f"Images in {image.format or 'this'} format are not accepted; use a JPEG, PNG or WebP photo."
        )
    width, height = image.size
    if width < 1 or height < 1:
        raise InvalidImage("The image has no pixels.")
    if width * height > max_pixels:
        megapixels = max_pixels / 1_000_000
        raise InvalidImage(
            f"The image is too large ({width}x{height} pixels); the limit is {megapixels:g} megapixels."
        )
    return image


def _to_rgb(image: Image.Image) -> Image.Image:
    mode = image.mode
    if mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        mode = image.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        # 16/32-bit greyscale: scale to 8 bits by the type's range, not by clipping.
        array = np.asarray(image, dtype=np.uint32 if mode == "I" else np.uint16)
        peak = 65535 if mode != "I" or array.max() > 255 else 255
        array = (array.astype(np.float64) * 255.0 / peak).round().clip(0, 255).astype(np.uint8)
        image = Image.fromarray(array)
        mode = "L"
    if mode == "F":
        array = np.asarray(image, dtype=np.float64)
        peak = 1.0 if array.max() <= 1.0 else 255.0
        image = Image.fromarray((array * 255.0 / peak).round().clip(0, 255).astype(np.uint8))
        mode = "L"
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if mode == "CMYK":
        # Pillow's CMYK->RGB honours Adobe's inverted JPEG CMYK; an embedded profile is ignored.
        return image.convert("RGB")
    if mode != "RGB":
        return image.convert("RGB")
    return image


def _decode(data: bytes, max_pixels: int) -> tuple[Image.Image, str]:
    image = _open_checked(data, max_pixels)
    fmt = image.format
    try:
        if getattr(image, "n_frames", 1) > 1:
            image.seek(0)
        image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise InvalidImage("The image file is truncated or damaged and cannot be read.") from error
    except Exception as error:
        raise InvalidImage("The image file is damaged and cannot be read.") from error
    return image, fmt


def load_image(source: ImageSource, *, max_pixels: int | None = None) -> np.ndarray:
    """Decode ``source`` (bytes, a path or a binary file object) to (H, W, 3) uint8 RGB.

    Raises :class:`ml.errors.InvalidImage` with a sentence fit for a shopper for anything that
    is not a safely readable image (empty, truncated, not an image, a bomb, too many pixels).
    """
    limit = max_pixels if max_pixels is not None else max_pixels_default()
    image, _ = _decode(_read_bytes(source), limit)
    try:
        rgb = _to_rgb(image)
        array = np.asarray(rgb, dtype=np.uint8)
    except Exception as error:
        raise InvalidImage("The image uses a colour format we cannot convert.") from error
    if array.ndim != 3 or array.shape[2] != 3:
        raise InvalidImage("The image uses a colour format we cannot convert.")
    return np.ascontiguousarray(array)


def validate_image_bytes(source: ImageSource, *, max_pixels: int | None = None) -> ImageInfo:
    """Check an upload fully (it is decoded once) and say what it is; for the store's forms."""
    limit = max_pixels if max_pixels is not None else max_pixels_default()
    image, fmt = _decode(_read_bytes(source), limit)
    original_mode = image.mode
    try:
        _to_rgb(image)
    except Exception as error:
        raise InvalidImage("The image uses a colour format we cannot convert.") from error
    width, height = image.size
    return ImageInfo(format=fmt, width=width, height=height, mode=original_mode)


def require_rgb_image(image: object, what: str = "This step", min_side: int = 1) -> np.ndarray:
    """``image`` itself when it is an (H, W, 3) uint8 array at least ``min_side`` on each side.

    Anything else (None, a list, grayscale, RGBA, floats, channels first, empty) raises
    :class:`InvalidImage` here rather than an obscure error deep inside numpy, OpenCV or a model.
    """
    if not isinstance(image, np.ndarray) or image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise InvalidImage(f"{what} needs an RGB image (H, W, 3) of 8-bit values; use ml.intake.load_image.")
    if image.size == 0:
        raise InvalidImage("The image has no pixels.")
    if min(image.shape[:2]) < max(min_side, 1):
        raise InvalidImage(
            f"The image is too small for {what.lower()} (at least {max(min_side, 1)} pixels on each side)."
        )
    return image


def to_pil(image: np.ndarray) -> Image.Image:
    if (
        not isinstance(image, np.ndarray)
        or image.ndim not in (2, 3)
        or (image.ndim == 3 and image.shape[2] not in (3, 4))
        or image.size == 0
        or not (np.issubdtype(image.dtype, np.integer) or image.dtype == np.bool_)
    ):
        raise InvalidImage(
            "Only a non-empty (H, W), (H, W, 3) or (H, W, 4) array of integers can become an image."
        )
    return Image.fromarray(np.ascontiguousarray(image, dtype=np.uint8))


# --------------------------------------------------------------------------- re-encoding

#: Long side of the working copy that analysis and rendering use (see :func:`bounded_image_bytes`).
WORKING_MAX_SIDE = 2048
JPEG_QUALITY = 92


@dataclass(frozen=True)
class CleanImage:
    """An upload re-encoded from its decoded pixels: no EXIF, GPS, ICC, comments or trailing bytes."""

    data: bytes
    format: str  # "JPEG" or "PNG"
    width: int
    height: int
    source_format: str


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Pixels converted from an embedded colour profile to sRGB (the profile itself is not kept)."""
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except Exception:  # a broken or unsupported profile: keep the pixels as decoded
        return image


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding only ``image``'s pixels (no ``info``: nothing can leak into the file)."""
    return Image.frombytes(image.mode, image.size, image.tobytes())


def _encode(image: Image.Image, *, lossy: bool) -> tuple[bytes, str]:
    buffer = io.BytesIO()
    if lossy and image.mode == "RGB":
        image.save(buffer, format="JPEG", quality=JPEG_QUALITY)
        return buffer.getvalue(), "JPEG"
    image.save(buffer, format="PNG")
    return buffer.getvalue(), "PNG"


def reencode_image_bytes(source: ImageSource, *, max_pixels: int | None = None) -> CleanImage:
    """Check an upload like :func:`validate_image_bytes` and re-encode it from its pixels.

    What is stored and served is then only image data: EXIF (GPS position, camera serial),
    XMP, ICC profiles (colours are converted to sRGB first), comments, extra frames and any
    bytes appended to the file (e.g. a JPEG that is also an HTML page) are gone. The EXIF
    orientation is applied to the pixels. Photos (JPEG, lossy WebP) become JPEG; anything with
    transparency, and lossless formats, become PNG.
    """
    limit = max_pixels if max_pixels is not None else max_pixels_default()
    image, fmt = _decode(_read_bytes(source), limit)
    icc = image.info.get("icc_profile")
    try:
        if _has_alpha(image):
            pixels = _to_srgb(image.convert("RGBA"), icc)
            lossy = False
        else:
            pixels = _to_srgb(_to_rgb(image), icc)
            lossy = fmt in ("JPEG", "MPO") or (fmt == "WEBP" and not image.info.get("lossless"))
        data, out_format = _encode(_pixels_only(pixels), lossy=lossy)
    except Exception as error:
        raise InvalidImage("The image uses a colour format we cannot convert.") from error
    return CleanImage(
        data=data, format=out_format, width=pixels.width, height=pixels.height, source_format=fmt
    )


def bounded_image_bytes(data: bytes, *, max_side: int = WORKING_MAX_SIDE) -> tuple[bytes, float]:
    """A working copy of a stored image with its long side at most ``max_side`` pixels.

    Returns ``(bytes, scale)``: the bytes themselves and ``1.0`` when the image is small enough,
    else a re-encoded, downscaled copy and the factor applied to coordinates. A JPEG is decoded
    straight at a reduced scale (``draft``), so a 40 MP photo costs about what a 4 MP one does.
    """
    image = _open_checked(data, max(DEFAULT_MAX_PIXELS, max_pixels_default()))
    width, height = image.size
    if max(width, height) <= max_side:
        return data, 1.0
    scale = max_side / max(width, height)
    try:
        if image.format == "JPEG":
            # DCT scaling: decodes at 1/2, 1/4 or 1/8 of the size, never below the target.
            image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
        image.load()
        image = ImageOps.exif_transpose(image)  # files stored before re-encoding may still carry it
        # The draft may have decoded at a reduced size; the target is taken from what was decoded.
        loaded_width, loaded_height = image.size
        fit = max_side / max(loaded_width, loaded_height)
        target = (max(1, round(loaded_width * fit)), max(1, round(loaded_height * fit)))
        rotated = (loaded_width > loaded_height) != (width > height)
        upright_width = height if rotated else width
        alpha = _has_alpha(image)
        image = image.convert("RGBA") if alpha else _to_rgb(image)
        image = image.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
    except Exception as error:
        raise InvalidImage("The image file is truncated or damaged and cannot be read.") from error
    encoded, _ = _encode(_pixels_only(image), lossy=not alpha)
    return encoded, target[0] / upright_width
