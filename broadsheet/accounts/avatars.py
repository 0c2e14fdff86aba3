"""Avatar images: an upload checked with Pillow, squared, resized and stored as WebP files.

An upload is decoded only after its size and its declared dimensions pass, so
a small file that claims a huge canvas (a decompression bomb) is refused
before any pixel is unpacked. Re-encoding also drops all metadata (EXIF GPS
positions included). Files live in Django's default storage as
`avatars/<user id>/<random token>-<size>.webp`; the user row keeps only
`avatars/<user id>/<token>` (its `avatar_key`), so a new upload gets new
names and no cache ever serves a stale picture.
"""

import secrets
import warnings
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

from broadsheet.core.errors import InvalidInput

from .identicons import identicon_data_uri
from .models import User

SIZES = (48, 128)
MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4000
FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
WEBP_QUALITY = 85
FIELD = "avatar"


def avatar_url(user: User, size: int = 48) -> str:
    """The stored picture nearest in size, or the user's identicon when there is none."""
    return avatar_url_for(user_id=user.pk, avatar_key=user.avatar_key, size=size)


def avatar_url_for(*, user_id: int, avatar_key: str, size: int = 48) -> str:
    """`avatar_url` from the two values it depends on (what cached comment markup keys on)."""
    size = min(SIZES, key=lambda s: abs(s - size))
    if avatar_key:
        return default_storage.url(f"{avatar_key}-{size}.webp")
    return identicon_data_uri(f"user:{user_id}")


def _refuse(message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code, field=FIELD)


def _read_bounded(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(_too_big_message(size), "avatar_too_large")
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(_too_big_message(size), "avatar_too_large")
    if not data:
        raise _refuse("The file is empty. Choose a JPEG, PNG, GIF or WebP picture.", "avatar_empty")
    return data


def _too_big_message(size: int | None) -> str:
    limit = MAX_BYTES // (1024 * 1024)
    if size:
        return f"The picture is {size / (1024 * 1024):.1f} MB; the limit is {limit} MB."
    return f"The picture is larger than the limit of {limit} MB."


def _too_wide(width: int, height: int) -> InvalidInput:
    return _refuse(
        f"The picture is {width}x{height} pixels; the limit is {MAX_SIDE}x{MAX_SIDE}. "
        "Choose a smaller one.",
        "avatar_dimensions",
    )


def _not_an_image() -> InvalidInput:
    return _refuse(
        "That file is not a picture we can read. Choose a JPEG, PNG, GIF or WebP image.",
        "avatar_not_image",
    )


def _decode(data: bytes) -> Image.Image:
    """Opens and decodes one frame, refusing bombs, oversize canvases and damaged files."""
    with warnings.catch_warnings():
        # Pillow only warns between its two thresholds; here every bomb is an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data), formats=FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(
                f"The picture declares far more pixels than the limit of {MAX_SIDE}x{MAX_SIDE}.",
                "avatar_dimensions",
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _not_an_image() from None
        width, height = image.size
        if width > MAX_SIDE or height > MAX_SIDE:
            raise _too_wide(width, height)
        if width < 1 or height < 1:
            raise _not_an_image()
        # JPEG can decode at a reduced scale; nothing bigger than the largest size x4 is needed.
        image.draft(None, (max(SIZES) * 4, max(SIZES) * 4))
        try:
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_wide(width, height) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise _refuse(
                "The picture is damaged or cut short; we could not read it.", "avatar_damaged"
            ) from None
    return image


def _square(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image) or image
    image = image.convert("RGBA")
    if image.getextrema()[3] == (255, 255):
        image = image.convert("RGB")
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    return image.crop((left, top, left + side, top + side))


def avatar_render(upload) -> dict[int, bytes]:
    """Checks an upload and returns its square WebP renditions by size; raises InvalidInput."""
    square = _square(_decode(_read_bounded(upload)))
    renditions = {}
    for size in SIZES:
        out = BytesIO()
        square.resize((size, size), Image.Resampling.LANCZOS).save(
            out, "WEBP", quality=WEBP_QUALITY, method=4
        )
        renditions[size] = out.getvalue()
    return renditions


def avatar_store(*, user_id: int, renditions: dict[int, bytes]) -> str:
    """Writes the renditions under a fresh random key and returns the key."""
    key = f"avatars/{user_id}/{secrets.token_hex(8)}"
    written = []
    try:
        for size, data in renditions.items():
            name = f"{key}-{size}.webp"
            saved = default_storage.save(name, ContentFile(data))
            written.append(saved)
            if saved != name:
                raise OSError(f"Storage renamed avatar file {name!r} to {saved!r}.")
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise
    return key


def avatar_delete(key: str) -> None:
    """Removes every stored file of one avatar key (all sizes, past ones too)."""
    if not key:
        return
    directory, _, token = key.rpartition("/")
    try:
        _, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotImplementedError):
        files = [f"{token}-{size}.webp" for size in SIZES]
    for name in files:
        if name.startswith(f"{token}-"):
            default_storage.delete(f"{directory}/{name}")
