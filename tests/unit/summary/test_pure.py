"""Pure parts of the summary area: sanitising, photos, figures (k-anonymity), certificate codes."""

from __future__ import annotations

import io
from collections import Counter

import lxml.html
import pytest
from PIL import Image

from events.errors import InvalidInput
from events.summary import codes, figures, markdown, photos

# --- sanitising --------------------------------------------------------------------------------


ATTACKS = [
    "Hello <script>alert(1)</script> world",
    '<img src="x" onerror="alert(1)">',
    '<a href="#" onclick="steal()">x</a>',
    "<p onmouseover=alert(1)>hover</p>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<iframe src='https://evil.example'></iframe>",
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"></svg>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "[x](vbscript:msgbox(1))",
]


@pytest.mark.parametrize("source", ATTACKS)
def test_nothing_executable_survives(source: str) -> None:
    html = markdown.render(source)
    tree = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    for element in tree.iter():
        assert element.tag not in ("script", "style", "iframe", "svg", "img", "math", "object")
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (source, html)
            if name in ("href", "src"):
                assert value.strip().lower().startswith(("http://", "https://", "mailto:", "#")), (
                    html
                )
    assert "<script" not in html.lower() and "alert(1)</" not in html


def test_markdown_is_rendered_and_links_kept() -> None:
    html = markdown.render(
        "## Day one\n\nThe **memorandum** was *signed*. [AGH](https://www.agh.edu.pl)\n\n- one\n"
    )
    assert "<h3>Day one</h3>" in html  # the page's own title is the only h1/h2 level above
    assert "<strong>memorandum</strong>" in html and "<em>signed</em>" in html
    assert 'href="https://www.agh.edu.pl"' in html and "noopener" in html
    assert "<li>one</li>" in html


def test_plain_text_cuts_at_a_word() -> None:
    text = markdown.plain_text("**Ғылым** күні " * 50, 40)
    assert len(text) <= 40 and text.endswith("…") and "<" not in text


# --- photos ------------------------------------------------------------------------------------


def _image(fmt: str, size: tuple[int, int] = (2400, 1200), mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128))
    out = io.BytesIO()
    kwargs = {}
    if fmt == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "CameraMaker"  # Make
        exif[0x0112] = 1  # orientation
        kwargs = {"exif": exif.tobytes(), "comment": b"secret comment"}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_photos_are_resized_and_stripped(fmt: str) -> None:
    result = photos.process_photo(_image(fmt))
    assert max(result.width, result.height) == photos.MAX_SIDE
    image = Image.open(io.BytesIO(result.data))
    assert image.format in ("JPEG", "PNG")
    assert not image.getexif()
    assert (
        "exif" not in image.info and "comment" not in image.info and "icc_profile" not in image.info
    )
    assert b"CameraMaker" not in result.data and b"secret comment" not in result.data


def test_transparent_png_stays_png() -> None:
    result = photos.process_photo(_image("PNG", (100, 80), "RGBA"))
    assert result.media_type == "image/png" and (result.width, result.height) == (100, 80)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"GIF89a" + b"\0" * 40,
        b"\xff\xd8\xff\xe0 not really a jpeg",
    ],
)
def test_not_a_photo_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput) as caught:
        photos.process_photo(data)
    assert caught.value.field == "photo"


def test_gif_is_refused_by_content() -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(InvalidInput):
        photos.process_photo(out.getvalue())


def test_too_large_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        photos.process_photo(b"\xff" * (photos.MAX_BYTES + 1))
    assert caught.value.code == "photo_too_large"


# --- figures -----------------------------------------------------------------------------------


def test_small_groups_merge_into_other() -> None:
    groups = figures.merge_small(
        Counter({"KZ": 10, "DE": 5, "PL": 2, "FR": 1, "AT": 1}), first=["DE", "KZ"]
    )
    assert groups == [figures.Group("DE", 5), figures.Group("KZ", 10), figures.Group("other", 4)]


def test_other_names_no_attribute_and_may_be_small() -> None:
    groups = figures.merge_small(Counter({"KZ": 10, "DE": 3, "PL": 1}))
    assert groups == [figures.Group("KZ", 10), figures.Group("DE", 3), figures.Group("other", 1)]


def test_fewer_than_three_people_show_no_breakdown() -> None:
    assert figures.merge_small(Counter({"KZ": 1, "DE": 1})) == []


def test_every_group_shown_has_at_least_three() -> None:
    for counts in ([1, 1, 1], [2, 2, 5], [3, 1], [1, 2], [4, 4, 2, 1], [2]):
        groups = figures.merge_small(Counter({f"g{i}": n for i, n in enumerate(counts)}))
        assert all(g.count >= 3 for g in groups if g.key != "other"), (counts, groups)
        assert sum(g.count for g in groups) in (0, sum(counts))


def test_compute_counts_attendees_and_matches_institutions() -> None:
    orgs = [
        figures.OrganisationRow("Akademia Górniczo-Hutnicza", "AGH", "university"),
        figures.OrganisationRow("Deutscher Akademischer Austauschdienst", "DAAD", "funding_agency"),
    ]
    people = (
        [figures.PersonRow("PL", "delegation", "AGH", True)] * 3
        + [figures.PersonRow("KZ", "participant", "akademia gorniczo-hutnicza", True)] * 4
        + [figures.PersonRow("DE", "participant", "DAAD Bonn office", True)]
        + [figures.PersonRow("DE", "press", "Some paper", False)] * 5
    )
    result = figures.compute(
        people,
        orgs,
        partner_countries=["KZ", "PL"],
        sessions_held=4,
        speakers=3,
        partner_institutions=2,
        outcomes=1,
    )
    assert (result.registered, result.attended, result.basis) == (13, 8, "attended")
    # The partner countries first; Germany (one attendee) is merged into "other".
    assert result.by_country == [
        figures.Group("KZ", 4),
        figures.Group("PL", 3),
        figures.Group("other", 1),
    ]
    assert result.by_kind == [figures.Group("university", 7), figures.Group("other", 1)]
    assert result.by_category == [figures.Group("participant", 5), figures.Group("delegation", 3)]


def test_institution_kind_matching() -> None:
    table = figures.kind_matcher(
        [figures.OrganisationRow("Max-Planck-Gesellschaft", "MPG", "research_institute")]
    )
    assert figures.institution_kind("max planck gesellschaft", table) == "research_institute"
    assert figures.institution_kind("MPG", table) == "research_institute"
    assert figures.institution_kind("MPG Institute, Berlin", table) == "research_institute"
    assert figures.institution_kind("Somewhere else", table) == "other"
    assert figures.institution_kind("", table) == "other"


# --- certificate codes -------------------------------------------------------------------------


def test_code_round_trip_and_tampering() -> None:
    key = "k" * 40
    code = codes.certificate_code(key, 42, 7)
    assert codes.code_matches(key, code, 42, 7)
    assert codes.code_matches(key, code.lower(), 42, 7)
    assert not codes.code_matches(key, code, 42, 8)  # another event
    assert not codes.code_matches("other-key" * 5, code, 42, 7)  # forged with another key
    head, letters = code.split("-")
    altered = f"{head}-{'A' if letters[0] != 'A' else 'B'}{letters[1:]}"
    assert not codes.code_matches(key, altered, 42, 7)
    assert not codes.code_matches(key, code.replace("C42-", "C43-"), 43, 7)
    assert codes.parse_code("C0-AAAAAAAAAAAAAAAA") is None
    assert codes.parse_code("nonsense") is None
