"""Speaker photos: checked by content, size-limited, re-encoded without metadata, stored by hash.

:func:`process_photo` turns uploaded bytes into a clean WebP image through the shared pipeline
(:func:`events.documents.images.clean_image`, with this area's limits): the format is read from the
content, bytes and pixels are bounded before decoding, every piece of metadata is dropped.
:func:`store_photo` writes the result under ``<data dir>/media/speakers/`` with a content-hash
name, so a URL never changes meaning and can be cached for a year.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from events.documents.images import ImageLimits, ImageRefused, clean_image
from events.errors import InvalidInput
from events.i18n import gettext

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 800
LIMITS = ImageLimits(max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_side=MAX_SIDE, output="webp")
MEDIA_TYPE = "image/webp"
SUFFIX = ".webp"
# What a stored photo's name looks like: 64 hex digits of SHA-256 and the suffix.
FILE_NAME = re.compile(r"^[0-9a-f]{64}\.webp$")
FIELD = "photo"


def _refusal(refused: ImageRefused) -> InvalidInput:
    """The shared pipeline's refusal as this area's stable code and sentence."""
    if refused.reason == "empty":
        code, message = "photo_empty", gettext("Choose an image file to upload.")
    elif refused.reason == "too_large":
        code = "photo_too_large"
        message = gettext(
            "The photo is larger than %(size)d MB; upload a smaller image.",
            size=MAX_BYTES // (1024 * 1024),
        )
    elif refused.reason == "too_many_pixels":
        code = "photo_too_many_pixels"
        message = gettext(
            "The photo has more than %(megapixels)d megapixels; upload a smaller image.",
            megapixels=MAX_PIXELS // 1_000_000,
        )
    else:
        code, message = (
            "photo_invalid_type",
            gettext("The photo must be a JPEG, PNG or WebP image."),
        )
    return InvalidInput(code, message, field=FIELD)


def process_photo(data: bytes) -> bytes:
    """The photo as WebP at most ``MAX_SIDE`` pixels on its longer side, without metadata."""
    try:
        return clean_image(data, LIMITS).data
    except ImageRefused as refused:
        raise _refusal(refused) from refused


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
