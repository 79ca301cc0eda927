"""Photos and signature images for a summary, through the shared picture pipeline.

:func:`events.documents.images.clean_image` does the work (type by content: JPEG, PNG or WebP;
bytes and pixels bounded; turned upright; re-encoded from the pixels alone, so no EXIF, GPS, ICC
profile, comment or XMP survives); this module holds the summary's limits and turns a refusal into
the area's error codes. Photos with transparency stay PNG, the rest become JPEG; signatures are
always PNG so a transparent one stays so.
"""

from __future__ import annotations

from events import i18n
from events.documents.images import CleanImage, ImageLimits, ImageRefused, clean_image
from events.errors import InvalidInput

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
PHOTO_LIMITS = ImageLimits(
    max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_side=MAX_SIDE, output="jpeg_or_png"
)
SIGNATURE_LIMITS = ImageLimits(
    max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, max_side=800, output="png"
)

# The processed picture: bytes, media type, extension, width and height.
ProcessedPhoto = CleanImage


def _refusal(refused: ImageRefused) -> InvalidInput:
    """The shared pipeline's refusal as this area's stable code and sentence."""
    if refused.reason == "too_large":
        return InvalidInput(
            "photo_too_large", i18n.gettext("The photo is larger than 8 MB."), field="photo"
        )
    if refused.reason == "empty":
        message = i18n.gettext("Choose a photo to upload.")
    elif refused.reason == "too_many_pixels":
        message = i18n.gettext("The photo has too many pixels.")
    else:
        message = i18n.gettext("This file is not a JPEG, PNG or WebP photo.")
    return InvalidInput("photo_invalid", message, field="photo")


def _clean(data: bytes, limits: ImageLimits) -> ProcessedPhoto:
    try:
        return clean_image(data, limits)
    except ImageRefused as refused:
        raise _refusal(refused) from refused


def process_photo(data: bytes) -> ProcessedPhoto:
    """A summary photo at most ``MAX_SIDE`` pixels on its longer side, without metadata."""
    return _clean(data, PHOTO_LIMITS)


def process_signature(data: bytes) -> ProcessedPhoto:
    """A signature image: the same checks, smaller, always PNG."""
    return _clean(data, SIGNATURE_LIMITS)
