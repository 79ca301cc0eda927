"""The one pipeline for uploaded pictures: checked by content, bounded, re-encoded without metadata.

:func:`clean_image` is a pure function from uploaded bytes to a clean picture, shared by speaker
photos, summary photos and certificate signatures; each use passes its own :class:`ImageLimits`.

- The type is what Pillow finds in the bytes, and only the accepted decoders are tried: the file
  name and the browser's content type never count.
- The byte count is bounded before anything is parsed, and the pixel count is read from the
  header and bounded before anything is decoded (a few kilobytes of PNG can claim 100 megapixels).
- An animated picture (APNG, animated WebP) keeps its first frame only.
- The EXIF orientation is applied, then only the pixels are copied into a fresh image, so no EXIF
  (camera, GPS), XMP, ICC profile, comment or text chunk can come along.

A refusal is an :class:`ImageRefused` with a stable ``reason``; each area turns it into its own
error code and sentence, so this module needs neither translations nor HTTP.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageOps, UnidentifiedImageError

RefusalReason = Literal["empty", "too_large", "not_an_image", "too_many_pixels"]
# webp: always WebP; png: always PNG (keeps transparency, lossless: signatures);
# jpeg_or_png: PNG when the picture has transparency, JPEG otherwise.
OutputPolicy = Literal["webp", "png", "jpeg_or_png"]

DEFAULT_ACCEPTED = frozenset({"JPEG", "PNG", "WEBP"})


@dataclass(frozen=True)
class ImageLimits:
    """What one use of the pipeline allows and produces."""

    max_bytes: int
    max_pixels: int
    max_side: int
    output: OutputPolicy
    accepted: frozenset[str] = DEFAULT_ACCEPTED

    def __post_init__(self) -> None:
        if min(self.max_bytes, self.max_pixels, self.max_side) <= 0:
            raise ValueError("image limits must be positive")
        if not self.accepted <= DEFAULT_ACCEPTED:
            raise ValueError("only JPEG, PNG and WebP can be accepted")


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    media_type: str
    extension: str
    width: int
    height: int


class ImageRefused(Exception):
    """The upload is not a picture this use accepts; ``reason`` says why."""

    def __init__(self, reason: RefusalReason, limits: ImageLimits) -> None:
        super().__init__(reason)
        self.reason: RefusalReason = reason
        self.limits = limits


def _open(data: bytes, limits: ImageLimits) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only the accepted decoders look at the bytes: a GIF, SVG or PHP file named .jpg
            # is unidentified here, whatever its name.
            image = Image.open(io.BytesIO(data), formats=sorted(limits.accepted))
            # Image.open reads only the header: bound the pixels before anything is decoded.
            width, height = image.size
            if width * height > limits.max_pixels:
                raise ImageRefused("too_many_pixels", limits)
            if image.format not in limits.accepted:  # pragma: no cover - formats= limits it
                raise ImageRefused("not_an_image", limits)
            # The first frame of an animation is the one kept; load() decodes only that one.
            image.load()
            return image
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused("too_many_pixels", limits) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageRefused("not_an_image", limits) from exc


def clean_image(data: bytes, limits: ImageLimits) -> CleanImage:
    """``data`` as a fresh picture at most ``limits.max_side`` on its longer side, no metadata."""
    if not data:
        raise ImageRefused("empty", limits)
    if len(data) > limits.max_bytes:
        raise ImageRefused("too_large", limits)
    image = _open(data, limits)
    try:
        upright = ImageOps.exif_transpose(image) or image
    except (OSError, ValueError, SyntaxError) as exc:  # a broken EXIF block
        raise ImageRefused("not_an_image", limits) from exc
    alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
    mode = "RGBA" if alpha else "RGB"
    converted = upright.convert(mode)
    converted.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS)
    # Only the pixels travel on: no EXIF, XMP, ICC profile, comment or text chunk comes along.
    clean = Image.frombytes(mode, converted.size, converted.tobytes())
    out = io.BytesIO()
    if limits.output == "webp":
        clean.save(out, "WEBP", quality=85, method=4)
        media_type, extension = "image/webp", "webp"
    elif limits.output == "png" or alpha:
        clean.save(out, "PNG", optimize=True)
        media_type, extension = "image/png", "png"
    else:
        clean.save(out, "JPEG", quality=85, optimize=True, progressive=True)
        media_type, extension = "image/jpeg", "jpg"
    return CleanImage(out.getvalue(), media_type, extension, clean.width, clean.height)
