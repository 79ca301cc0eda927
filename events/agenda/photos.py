"""Speaker photos: checked by content, size-limited, re-encoded without metadata, stored by hash.

:func:`process_photo` is a pure function from uploaded bytes to a clean WebP image: the format is
read from the content (never the file name), the bytes and the pixel count are bounded before any
decoding, the orientation from EXIF is applied and then every piece of metadata (EXIF with GPS,
XMP, ICC profiles, text chunks) is dropped by copying only the pixels. :func:`store_photo` writes
the result under ``<data dir>/media/speakers/`` with a content-hash name, so a URL never changes
meaning and can be cached for a year.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from events.errors import InvalidInput
from events.i18n import gettext

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 800
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MEDIA_TYPE = "image/webp"
SUFFIX = ".webp"
# What a stored photo's name looks like: 64 hex digits of SHA-256 and the suffix.
FILE_NAME = re.compile(r"^[0-9a-f]{64}\.webp$")
FIELD = "photo"


def _refuse(code: str, message: str) -> InvalidInput:
    return InvalidInput(code, message, field=FIELD)


def process_photo(data: bytes) -> bytes:
    """The photo as WebP at most ``MAX_SIDE`` pixels on its longer side, without metadata."""
    if not data:
        raise _refuse("photo_empty", gettext("Choose an image file to upload."))
    if len(data) > MAX_BYTES:
        raise _refuse(
            "photo_too_large",
            gettext(
                "The photo is larger than %(size)d MB; upload a smaller image.",
                size=MAX_BYTES // (1024 * 1024),
            ),
        )
    not_an_image = _refuse(
        "photo_invalid_type", gettext("The photo must be a JPEG, PNG or WebP image.")
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
            # Image.open reads only the header: bound the pixels before anything is decoded.
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _refuse(
                    "photo_too_many_pixels",
                    gettext(
                        "The photo has more than %(megapixels)d megapixels; upload a smaller "
                        "image.",
                        megapixels=MAX_PIXELS // 1_000_000,
                    ),
                )
            if image.format not in ACCEPTED_FORMATS:  # pragma: no cover - formats= limits it
                raise not_an_image
            image.load()
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _refuse(
            "photo_too_many_pixels",
            gettext(
                "The photo has more than %(megapixels)d megapixels; upload a smaller image.",
                megapixels=MAX_PIXELS // 1_000_000,
            ),
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise not_an_image from exc
    upright = ImageOps.exif_transpose(image) or image
    alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
    mode = "RGBA" if alpha else "RGB"
    converted = upright.convert(mode)
    converted.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    # Only the pixels travel on: no EXIF, XMP, ICC profile or text chunk can come along.
    clean = Image.frombytes(mode, converted.size, converted.tobytes())
    out = io.BytesIO()
    clean.save(out, "WEBP", quality=85, method=4)
    return out.getvalue()


def photo_dir(data_dir: Path) -> Path:
    return data_dir / "media" / "speakers"


def store_photo(data_dir: Path, processed: bytes) -> str:
    """Write ``processed`` under its content hash (atomically); returns the file name."""
    name = hashlib.sha256(processed).hexdigest() + SUFFIX
    directory = photo_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    if not target.exists():
        temporary = directory / f".{name}.{os.getpid()}.tmp"
        temporary.write_bytes(processed)
        temporary.replace(target)
    return name


def photo_path(data_dir: Path, name: str) -> Path | None:
    """The stored file for ``name`` if the name is well formed and the file exists."""
    if not FILE_NAME.fullmatch(name):
        return None
    path = photo_dir(data_dir) / name
    return path if path.is_file() else None
