"""Speaker photos: judged by content, bounded in bytes and pixels, re-encoded without metadata."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from events.agenda import photos
from events.errors import InvalidInput

GPS_TAG = 0x8825


def jpeg_with_gps(size: tuple[int, int] = (1600, 1200)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0132] = "2023:10:12 09:00:00"  # DateTime
    exif[0x0112] = 1  # Orientation
    gps = {1: "N", 2: (43.0, 14.0, 18.0), 3: "E", 4: (76.0, 53.0, 45.0)}
    exif[GPS_TAG] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_TAG)  # the input does hold GPS
    return data


def png(size: tuple[int, int] = (300, 200), mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 0).save(out, "PNG")
    return out.getvalue()


def refused(data: bytes) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        photos.process_photo(data)
    assert caught.value.field == "photo"
    assert caught.value.status_code == 422
    return caught.value


def test_a_jpeg_with_gps_comes_out_as_a_small_webp_without_any_metadata() -> None:
    result = photos.process_photo(jpeg_with_gps())
    image = Image.open(io.BytesIO(result))
    assert image.format == "WEBP"
    assert max(image.size) == photos.MAX_SIDE and image.size == (800, 600)
    assert not image.getexif()
    assert not image.getexif().get_ifd(GPS_TAG)
    assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info
    assert b"Camera maker" not in result and b"Exif" not in result


def test_a_png_is_accepted_by_its_content_whatever_its_name(tmp_path: Path) -> None:
    # The upload is called portrait.jpg; only the bytes count.
    result = photos.process_photo(png())
    image = Image.open(io.BytesIO(result))
    assert image.format == "WEBP" and image.size == (300, 200)


def test_a_text_file_named_png_is_refused() -> None:
    error = refused(b"<?php echo 'not an image'; ?>\n")
    assert error.code == "photo_invalid_type"


def test_another_image_format_is_refused() -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    assert refused(out.getvalue()).code == "photo_invalid_type"


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = png((10_000, 10_000), mode="1")  # 100 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    assert refused(bomb).code == "photo_too_many_pixels"


def test_too_many_bytes_and_no_bytes_are_refused() -> None:
    assert refused(b"\xff\xd8" + b"0" * photos.MAX_BYTES).code == "photo_too_large"
    assert refused(b"").code == "photo_empty"


def test_a_truncated_image_is_refused() -> None:
    assert refused(jpeg_with_gps()[:400]).code == "photo_invalid_type"


def test_stored_photos_are_named_by_content_and_looked_up_only_by_well_formed_names(
    tmp_path: Path,
) -> None:
    data = photos.process_photo(png())
    name = photos.store_photo(tmp_path, data)
    assert photos.FILE_NAME.fullmatch(name)
    assert photos.store_photo(tmp_path, data) == name
    path = photos.photo_path(tmp_path, name)
    assert path is not None and path.read_bytes() == data
    assert photos.photo_path(tmp_path, "../secret_key") is None
    assert photos.photo_path(tmp_path, "0" * 64 + ".webp") is None
