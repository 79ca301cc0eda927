"""The shared picture pipeline: type by content, bounded bytes and pixels, no metadata comes out."""

from __future__ import annotations

import io
from dataclasses import FrozenInstanceError

import pytest
from PIL import Image

from events.documents.images import CleanImage, ImageLimits, ImageRefused, clean_image

GPS_TAG = 0x8825
EXIF_TAG = 0x8769
WEBP = ImageLimits(max_bytes=1_000_000, max_pixels=4_000_000, max_side=400, output="webp")
JPEG_OR_PNG = ImageLimits(
    max_bytes=1_000_000, max_pixels=4_000_000, max_side=400, output="jpeg_or_png"
)
PNG = ImageLimits(max_bytes=1_000_000, max_pixels=4_000_000, max_side=400, output="png")


def jpeg_with_gps(size: tuple[int, int] = (1000, 500), orientation: int = 1) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x0112] = orientation
    exif[GPS_TAG] = {1: "N", 2: (43.0, 14.0, 18.0), 3: "E", 4: (76.0, 53.0, 45.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"secret comment")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_TAG)  # the input does hold GPS
    return data


def encoded(
    fmt: str, size: tuple[int, int] = (60, 40), mode: str = "RGB", **kwargs: object
) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 0).save(out, fmt, **kwargs)
    return out.getvalue()


def reason(data: bytes, limits: ImageLimits = WEBP) -> str:
    with pytest.raises(ImageRefused) as caught:
        clean_image(data, limits)
    assert caught.value.limits is limits
    return caught.value.reason


@pytest.mark.parametrize("limits", [WEBP, JPEG_OR_PNG, PNG], ids=["webp", "jpeg_or_png", "png"])
def test_exif_and_gps_are_gone_whatever_the_output(limits: ImageLimits) -> None:
    result = clean_image(jpeg_with_gps(), limits)
    image = Image.open(io.BytesIO(result.data))
    exif = image.getexif()
    assert len(exif) == 0
    assert not exif.get_ifd(GPS_TAG) and not exif.get_ifd(EXIF_TAG)
    for key in ("exif", "xmp", "icc_profile", "comment"):
        assert key not in image.info
    assert b"Camera maker" not in result.data and b"secret comment" not in result.data
    assert (result.width, result.height) == image.size == (400, 200)


def test_the_output_policy_decides_the_format() -> None:
    opaque, transparent = jpeg_with_gps(), encoded("PNG", mode="RGBA")
    assert clean_image(opaque, WEBP).media_type == "image/webp"
    assert clean_image(opaque, JPEG_OR_PNG).media_type == "image/jpeg"
    assert clean_image(transparent, JPEG_OR_PNG).media_type == "image/png"
    result = clean_image(opaque, PNG)
    assert (result.media_type, result.extension) == ("image/png", "png")
    assert Image.open(io.BytesIO(result.data)).format == "PNG"


def test_the_exif_orientation_is_applied_before_the_metadata_goes() -> None:
    # Orientation 6: the camera was turned; the stored 1000 × 500 picture is shown 500 × 1000.
    result = clean_image(jpeg_with_gps(orientation=6), WEBP)
    assert (result.width, result.height) == (200, 400)


def test_a_gif_named_like_a_jpeg_is_refused_by_its_content() -> None:
    # The upload is called "portrait.jpg" and sent as image/jpeg: neither is looked at.
    gif = encoded("GIF")
    assert gif.startswith(b"GIF8")
    assert reason(gif) == "not_an_image"


@pytest.mark.parametrize(
    "data",
    [
        b"<?php echo 'x'; ?>",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"\xff\xd8\xff\xe0 not really a jpeg",
        b"\x89PNG\r\n\x1a\n" + b"\0" * 30,
    ],
)
def test_what_is_not_a_picture_is_refused(data: bytes) -> None:
    assert reason(data) == "not_an_image"


def test_a_truncated_picture_is_refused() -> None:
    assert reason(jpeg_with_gps()[:400]) == "not_an_image"


def test_a_format_outside_the_accepted_ones_is_refused() -> None:
    only_png = ImageLimits(
        max_bytes=1_000_000, max_pixels=4_000_000, max_side=400, output="png",
        accepted=frozenset({"PNG"}),
    )  # fmt: skip
    assert reason(jpeg_with_gps(), only_png) == "not_an_image"
    assert clean_image(encoded("PNG"), only_png).media_type == "image/png"


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = encoded("PNG", (10_000, 10_000), mode="1")  # 100 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    assert reason(bomb) == "too_many_pixels"
    # Just over this use's limit, far under Pillow's own: the limit passed in is what counts.
    assert reason(encoded("PNG", (2001, 2000), mode="1")) == "too_many_pixels"
    assert clean_image(encoded("PNG", (2000, 2000), mode="1"), WEBP).width == 400


def test_bytes_are_bounded_before_parsing_and_nothing_is_refused_as_empty() -> None:
    assert reason(b"") == "empty"
    assert reason(b"\xff\xd8" + b"0" * WEBP.max_bytes) == "too_large"


def test_an_animated_picture_keeps_its_first_frame() -> None:
    frames = [Image.new("RGB", (50, 30), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    for fmt in ("PNG", "WEBP"):
        out = io.BytesIO()
        frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
        animated = out.getvalue()
        assert getattr(Image.open(io.BytesIO(animated)), "n_frames", 1) == 2
        result = clean_image(animated, PNG)
        image = Image.open(io.BytesIO(result.data))
        assert getattr(image, "n_frames", 1) == 1
        red, _, blue = image.convert("RGB").getpixel((25, 15))  # lossy WebP: near, not exact
        assert red > 240 and blue < 15


def test_transparency_survives_in_png_and_webp() -> None:
    for limits in (WEBP, PNG, JPEG_OR_PNG):
        result = clean_image(encoded("PNG", mode="RGBA"), limits)
        assert Image.open(io.BytesIO(result.data)).mode == "RGBA"


def test_unusual_modes_are_converted() -> None:
    for mode in ("L", "P", "I;16", "CMYK"):
        fmt = "JPEG" if mode == "CMYK" else "PNG"
        result = clean_image(encoded(fmt, mode=mode), JPEG_OR_PNG)
        assert isinstance(result, CleanImage) and (result.width, result.height) == (60, 40)


def test_limits_are_frozen_and_checked() -> None:
    with pytest.raises(FrozenInstanceError):
        WEBP.max_side = 10  # type: ignore[misc]
    with pytest.raises(ValueError):
        ImageLimits(max_bytes=0, max_pixels=1, max_side=1, output="png")
    with pytest.raises(ValueError):
        ImageLimits(
            max_bytes=1, max_pixels=1, max_side=1, output="png", accepted=frozenset({"GIF"})
        )
