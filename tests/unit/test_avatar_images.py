"""Avatar uploads checked and rendered by Pillow, without a database or storage."""

import struct
import zlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from broadsheet.accounts.avatars import MAX_BYTES, SIZES, avatar_render
from broadsheet.core.errors import InvalidInput

RED, BLUE = (220, 20, 20), (20, 20, 220)


def image_file(
    image: Image.Image, fmt: str = "PNG", name: str = "me.png", **save
) -> SimpleUploadedFile:
    out = BytesIO()
    image.save(out, fmt, **save)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge canvas: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def open_webp(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    assert image.format == "WEBP"
    return image.convert("RGB")


def test_renders_square_webp_at_each_size_from_a_wide_picture():
    renditions = avatar_render(image_file(Image.new("RGB", (300, 120), RED)))
    assert set(renditions) == set(SIZES)
    for size, data in renditions.items():
        assert open_webp(data).size == (size, size)


def test_crops_the_centre():
    # Blue bands at both ends of a wide picture are cut away; the red middle stays.
    image = Image.new("RGB", (300, 100), BLUE)
    image.paste(RED, (100, 0, 200, 100))
    big = open_webp(avatar_render(image_file(image))[128])
    for x in (2, 64, 125):
        r, _, b = big.getpixel((x, 64))
        assert r > 150 and b < 100, (x, big.getpixel((x, 64)))


def test_follows_exif_orientation():
    # Top red, bottom blue as stored; orientation 3 (rotated 180°) shows blue on top.
    image = Image.new("RGB", (100, 100), RED)
    image.paste(BLUE, (0, 50, 100, 100))
    exif = Image.Exif()
    exif[0x0112] = 3
    upload = image_file(image, "JPEG", "me.jpg", exif=exif.tobytes(), quality=95)
    shown = open_webp(avatar_render(upload)[128])
    top, bottom = shown.getpixel((64, 10)), shown.getpixel((64, 118))
    assert top[2] > 150 and top[0] < 100, top
    assert bottom[0] > 150 and bottom[2] < 100, bottom


def test_keeps_transparency():
    image = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    rendered = Image.open(BytesIO(avatar_render(image_file(image))[48]))
    assert rendered.mode == "RGBA"
    assert rendered.getpixel((10, 10))[3] == 0


def test_accepts_palette_gif_and_greyscale():
    assert avatar_render(image_file(Image.new("P", (40, 40), 3), "GIF", "a.gif"))
    assert avatar_render(image_file(Image.new("L", (40, 40), 128)))


def test_strips_metadata():
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    upload = image_file(Image.new("RGB", (80, 80), RED), "JPEG", "me.jpg", exif=exif.tobytes())
    for data in avatar_render(upload).values():
        assert b"SecretCam" not in data


def refusal(upload) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        avatar_render(upload)
    assert caught.value.field == "avatar"
    return caught.value


def test_refuses_text():
    error = refusal(SimpleUploadedFile("me.png", b"just some words\n" * 10, "image/png"))
    assert error.code == "avatar_not_image"
    assert "not a picture" in error.message


def test_refuses_formats_outside_the_list():
    error = refusal(image_file(Image.new("RGB", (20, 20)), "BMP", "me.bmp"))
    assert error.code == "avatar_not_image"


def test_refuses_empty_file():
    assert refusal(SimpleUploadedFile("me.png", b"", "image/png")).code == "avatar_empty"


def test_refuses_files_over_two_megabytes_before_decoding():
    upload = SimpleUploadedFile("me.png", b"\x89PNG" + b"\x00" * MAX_BYTES, "image/png")
    error = refusal(upload)
    assert error.code == "avatar_too_large"
    assert "the limit is 2 MB" in error.message


def test_refuses_oversized_stream_without_a_declared_size():
    class Stream(BytesIO):
        size = None

    error = refusal(Stream(b"\x00" * (MAX_BYTES + 10)))
    assert error.code == "avatar_too_large"


def test_refuses_pictures_wider_than_the_limit():
    error = refusal(image_file(Image.new("L", (4001, 8))))
    assert error.code == "avatar_dimensions"
    assert "4001x8 pixels" in error.message and "4000x4000" in error.message


@pytest.mark.parametrize(("width", "height"), [(50_000, 50_000), (4001, 4001), (100_000, 1)])
def test_refuses_decompression_bombs_from_the_header(width, height):
    error = refusal(SimpleUploadedFile("bomb.png", png_claiming(width, height), "image/png"))
    assert error.code == "avatar_dimensions"


def test_refuses_a_truncated_picture():
    out = BytesIO()
    Image.effect_noise((200, 200), 64).convert("RGB").save(out, "PNG")
    cut = out.getvalue()[: len(out.getvalue()) // 2]
    error = refusal(SimpleUploadedFile("cut.png", cut, "image/png"))
    assert error.code in {"avatar_damaged", "avatar_not_image"}
