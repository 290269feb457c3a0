import io

import numpy as np
import pytest
from PIL import Image

from ml.errors import InvalidImage
from ml.intake import load_image, validate_image_bytes


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def test_jpeg_bytes_load_as_rgb_uint8():
    # given a JPEG of a flat colour
    data = encode(Image.new("RGB", (40, 30), (200, 100, 50)), "JPEG", quality=95)
    # when it is loaded
    image = load_image(data)
    # then it is (H, W, 3) uint8 with the colour kept
    assert image.shape == (30, 40, 3)
    assert image.dtype == np.uint8
    assert np.abs(image[15, 20].astype(int) - [200, 100, 50]).max() <= 3


def test_path_and_file_object_sources(tmp_path):
    # given the same PNG as a path and as an open binary file, under a misleading name
    data = encode(Image.new("RGB", (8, 6), (1, 2, 3)), "PNG")
    path = tmp_path / "photo.gif"
    path.write_bytes(data)
    # when both are loaded
    from_path = load_image(path)
    with path.open("rb") as handle:
        from_file = load_image(handle)
    # then the content decides, not the name
    assert from_path.shape == (6, 8, 3)
    assert np.array_equal(from_path, from_file)
    assert from_path[0, 0].tolist() == [1, 2, 3]


def test_webp_loads():
    data = encode(Image.new("RGB", (10, 10), (0, 255, 0)), "WEBP", lossless=True)
    assert load_image(data)[5, 5].tolist() == [0, 255, 0]


def test_exif_orientation_is_applied():
    # given a 20x10 (w x h) JPEG whose EXIF says "rotate 90 degrees clockwise to display" (6)
    image = Image.new("RGB", (20, 10), (255, 255, 255))
    image.paste((0, 0, 0), (0, 0, 5, 10))  # a black band on the left
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(image, "JPEG", exif=exif.tobytes(), quality=95)
    # when loaded
    loaded = load_image(data)
    # then it is upright: 10 wide, 20 high, the band now at the top
    assert loaded.shape == (20, 10, 3)
    assert loaded[1, 5].max() < 40
    assert loaded[18, 5].min() > 215


def test_palette_png_becomes_rgb():
    image = Image.new("P", (4, 4))
    image.putpalette([10, 20, 30] + [0, 0, 0] * 255)
    loaded = load_image(encode(image, "PNG"))
    assert loaded.shape == (4, 4, 3)
    assert loaded[0, 0].tolist() == [10, 20, 30]


def test_alpha_is_flattened_on_white():
    # given a fully transparent and a half transparent red pixel
    image = Image.new("RGBA", (2, 1))
    image.putpixel((0, 0), (255, 0, 0, 0))
    image.putpixel((1, 0), (255, 0, 0, 128))
    loaded = load_image(encode(image, "PNG"))
    # then transparency shows white, half-transparency is blended with white
    assert loaded[0, 0].tolist() == [255, 255, 255]
    assert loaded[0, 1, 0] == 255
    assert 120 <= loaded[0, 1, 1] <= 135


def test_greyscale_becomes_three_equal_channels():
    loaded = load_image(encode(Image.new("L", (3, 3), 77), "PNG"))
    assert loaded[1, 1].tolist() == [77, 77, 77]


def test_cmyk_jpeg_becomes_rgb():
    loaded = load_image(encode(Image.new("CMYK", (6, 6), (0, 255, 255, 0)), "JPEG", quality=95))
    assert loaded.shape == (6, 6, 3)
    red, green, blue = loaded[3, 3].tolist()
    assert red > 200 and green < 60 and blue < 60


def test_sixteen_bit_greyscale_is_scaled_to_eight_bits():
    # given a 16-bit PNG at half and full range
    array = np.array([[32768, 65535]], dtype=np.uint16)
    data = encode(Image.fromarray(array), "PNG")
    # when loaded
    loaded = load_image(data)
    # then values are scaled, not clipped
    assert loaded[0, 0].tolist() == [128, 128, 128]
    assert loaded[0, 1].tolist() == [255, 255, 255]


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        (b"", "The file is empty."),
        (b"%PDF-1.4 not an image at all", "This file is not an image we can read"),
        (b"GIF89a" + b"\x00" * 3, "not an image we can read"),
    ],
)
def test_unreadable_input_raises_invalid_image(data, sentence):
    with pytest.raises(InvalidImage) as error:
        load_image(data)
    assert sentence in str(error.value)


def test_truncated_jpeg_is_refused():
    data = encode(Image.effect_noise((200, 200), 50).convert("RGB"), "JPEG")
    with pytest.raises(InvalidImage, match="truncated or damaged"):
        load_image(data[: len(data) // 2])


def test_too_many_pixels_is_refused_before_decoding():
    data = encode(Image.new("RGB", (200, 100)), "PNG")
    with pytest.raises(InvalidImage, match=r"too large \(200x100 pixels\); the limit is 0.01 megapixels"):
        load_image(data, max_pixels=10_000)


def test_pixel_limit_comes_from_the_configuration(ml_config):
    ml_config(max_image_pixels=100)
    data = encode(Image.new("RGB", (20, 20)), "PNG")
    with pytest.raises(InvalidImage, match="too large"):
        load_image(data)
    ml_config(max_image_pixels=400)
    assert load_image(data).shape == (20, 20, 3)


def test_decompression_bomb_is_refused():
    # given a tiny PNG that declares 20000 x 20000 pixels (400 MP, far above Pillow's bomb limit)
    data = encode(Image.new("1", (20000, 20000)), "PNG")
    assert len(data) < 200_000
    # when loaded with a generous pixel budget, then it is still refused
    with pytest.raises(InvalidImage, match=r"decompression bomb|too large"):
        load_image(data, max_pixels=10**10)


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidImage, match="There is no image file at"):
        load_image(tmp_path / "nothing.jpg")


def test_validate_image_bytes_reports_format_and_upright_size():
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(Image.new("RGB", (30, 10)), "JPEG", exif=exif.tobytes())
    info = validate_image_bytes(data)
    assert (info.format, info.width, info.height, info.mode) == ("JPEG", 10, 30, "RGB")
    assert info.pixels == 300


def test_validate_image_bytes_refuses_non_images():
    with pytest.raises(InvalidImage):
        validate_image_bytes(b"hello")
