"""Photos for a summary: checked by content, size-limited, resized, stripped of all metadata.

The type is what Pillow finds in the bytes (JPEG, PNG or WebP), never the file name or the
browser's content type. The picture is turned upright (EXIF orientation), scaled to fit
``MAX_SIDE`` pixels, and re-encoded from its pixels alone: no EXIF (camera, GPS), no ICC
profile, no comments, no XMP survive. Pictures with transparency stay PNG, the rest become JPEG.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from events import i18n
from events.errors import InvalidInput

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
ACCEPTED = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class ProcessedPhoto:
    data: bytes
    media_type: str
    extension: str
    width: int
    height: int


def _refuse(message: str) -> InvalidInput:
    return InvalidInput("photo_invalid", message, field="photo")


def process_photo(data: bytes, *, max_side: int = MAX_SIDE) -> ProcessedPhoto:
    if not data:
        raise _refuse(i18n.gettext("Choose a photo to upload."))
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            "photo_too_large", i18n.gettext("The photo is larger than 8 MB."), field="photo"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ACCEPTED:
                raise _refuse(i18n.gettext("Only JPEG, PNG and WebP photos are accepted."))
            if probe.width * probe.height > MAX_PIXELS:
                raise _refuse(i18n.gettext("The photo has too many pixels."))
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except InvalidInput:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise _refuse(i18n.gettext("This file is not a JPEG, PNG or WebP photo.")) from exc
    upright: Image.Image = ImageOps.exif_transpose(image) or image
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    converted = upright.convert("RGBA" if has_alpha else "RGB")
    converted.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    # A fresh image from the pixels alone: nothing of the original's metadata comes along.
    clean = Image.new(converted.mode, converted.size)
    clean.paste(converted)
    out = io.BytesIO()
    if has_alpha:
        clean.save(out, format="PNG", optimize=True)
        media_type, extension = "image/png", "png"
    else:
        clean.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
        media_type, extension = "image/jpeg", "jpg"
    return ProcessedPhoto(out.getvalue(), media_type, extension, clean.width, clean.height)


def process_signature(data: bytes) -> ProcessedPhoto:
    """A signature image: the same checks, smaller; kept as PNG so a transparent one stays so."""
    photo = process_photo(data, max_side=800)
    if photo.media_type == "image/png":
        return photo
    image = Image.open(io.BytesIO(photo.data))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return ProcessedPhoto(out.getvalue(), "image/png", "png", image.width, image.height)
