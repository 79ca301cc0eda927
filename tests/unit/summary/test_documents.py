"""The summary PDF and the certificate are pure functions; their text comes back out intact."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pypdf
from PIL import Image

from events.documents.certificate import render_certificate, render_certificates
from events.documents.summary import render_summary
from events.summary.figures import Figures, Group
from events.summary.schemas import (
    CertificateDoc,
    OutcomeDoc,
    PhotoDoc,
    QuoteDoc,
    SignatureDoc,
    SummaryDoc,
)


def text_of(body: bytes) -> str:
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 0, 0)).save(out, format="PNG")
    return out.getvalue()


FIGURES = Figures(
    registered=12, attended=9, basis="attended",
    by_country=[Group("KZ", 5), Group("PL", 3), Group("other", 1)],
    by_kind=[Group("university", 8), Group("other", 1)],
    by_category=[Group("participant", 6), Group("delegation", 3)],
    sessions_held=4, speakers=3, partner_institutions=2, outcomes=1,
)  # fmt: skip


def summary_doc(language: str, story: str, **more: dict[str, str]) -> SummaryDoc:
    """A one-language summary; ``more`` adds a second language's texts (key: the field)."""
    languages = [language, *{lang for texts in more.values() for lang in texts}]

    def texts(first: str, field: str) -> dict[str, str]:
        return {language: first, **more.get(field, {})}

    return SummaryDoc(
        languages=languages,
        title=texts("ҚарИУ мен AGH дөңгелек үстелі", "title"),
        starts_at=datetime(2025, 5, 15, 5, tzinfo=UTC),
        ends_at=datetime(2025, 5, 15, 11, tzinfo=UTC),
        timezone="Asia/Almaty",
        place="Temirtau",
        url="http://example.org/e/x/summary",
        narrative=texts(story, "narrative"),
        figures=FIGURES,
        outcomes=[
            OutcomeDoc(
                "memorandum",
                texts("Memorandum o współpracy", "outcome"),
                ["KarIU", "AGH"],
                date(2025, 5, 15),
                texts("Wspólne badania <b>i</b> staże", "description"),
                None,
            )
        ],
        quotes=[QuoteDoc("Zażółć gęślą jaźń", "Łukasz Wójcik", "AGH")],
        photos=[
            PhotoDoc(png((400, 300)), 400, 300, texts("alt", "alt"), texts("Delegacje", "caption"))
        ],
        partners=["Карагандинский индустриальный университет", "Akademia Górniczo-Hutnicza"],
    )


def test_summary_pdf_keeps_kazakh_and_polish_letters_and_escapes_markup() -> None:
    narrative = (
        "## Күн\n\nӘ ғ қ ң ө ұ ү һ і — **ąęłńóśźż** <font size=90>x</font> [a](javascript:x)"
    )
    text = text_of(render_summary(summary_doc("kk", narrative)))
    assert "ҚарИУ мен AGH дөңгелек үстелі" in text
    assert "Ә ғ қ ң ө ұ ү һ і" in text and "ąęłńóśźż" in text
    assert "Zażółć gęślą jaźń" in text and "Łukasz Wójcik" in text
    assert "Memorandum o współpracy" in text and "Wspólne badania <b>i</b> staże" in text
    assert "Нәтижелер" in text  # "Outcomes" in Kazakh
    assert "Қазақстан" in text  # the country chart's label in Kazakh


def test_two_languages_tell_the_story_in_each_and_stack_the_rest() -> None:
    doc = summary_doc(
        "kk",
        "Әріптестік туралы **меморандумға** қол қойылды; ғылым мен білім өңірі.",
        title={"en": "KarIU and AGH round table"},
        narrative={"en": "A **memorandum** of cooperation was signed in Temirtau."},
        outcome={"en": "Memorandum of cooperation"},
        description={"en": "Wspólne badania <b>i</b> staże"},  # the same text: printed once
        caption={"en": "The delegations"},
    )
    text = text_of(render_summary(doc))
    assert "Әріптестік туралы меморандумға қол қойылды" in text
    assert "A memorandum of cooperation was signed in Temirtau." in text
    assert "ҚарИУ мен AGH дөңгелек үстелі" in text and "KarIU and AGH round table" in text
    assert "Memorandum o współpracy" in text and "Memorandum of cooperation" in text
    assert "Delegacje" in text and "The delegations" in text
    assert text.count("Wspólne badania <b>i</b> staże") == 1
    # Headings carry both languages; each story sits under its language's name.
    assert "Нәтижелер / Outcomes" in text
    assert "Қазақ тілі" in text and "English" in text
    assert "Қазақстан / Kazakhstan" in text  # the country chart in both languages
    # The Kazakh story comes first: the first language leads.
    assert text.index("Әріптестік туралы") < text.index("A memorandum of cooperation")


def test_one_language_has_no_language_headings() -> None:
    text = text_of(render_summary(summary_doc("en", "Only **English** here.")))
    assert "Only English here." in text and "English" not in text.replace("Only English", "")
    assert "Outcomes" in text and "Outcomes /" not in text and "/ Outcomes" not in text


def test_certificate_text_and_batch() -> None:
    doc = CertificateDoc(
        language="pl",
        name="Małgorzata Kowalczyk",
        event_title="Okrągły stół KarIU i AGH",
        starts_at=datetime(2025, 5, 15, 5, tzinfo=UTC),
        ends_at=datetime(2025, 5, 15, 11, tzinfo=UTC),
        timezone="Asia/Almaty",
        place="Temirtau",
        organisers=["Қарағанды индустриялық университеті"],
        signatures=[
            SignatureDoc("Prof. Jan Kowalski", "AGH", png((300, 100))),
            SignatureDoc("Айгерім Сәрсенбаева", "КарИУ", b"not an image"),
        ],
        code="C7-ABCDEFGHIJKLMNOP",
        verify_url="http://example.org/verify/C7-ABCDEFGHIJKLMNOP",
    )
    text = text_of(render_certificate(doc))
    for expected in (
        "Małgorzata Kowalczyk",
        "Okrągły stół KarIU i AGH",
        "Prof. Jan Kowalski",
        "Айгерім Сәрсенбаева",
        "C7-ABCDEFGHIJKLMNOP",
        "Қарағанды индустриялық",
    ):
        assert expected in text, expected  # fmt: skip
    batch = render_certificates([doc, doc, doc])
    assert len(pypdf.PdfReader(io.BytesIO(batch)).pages) == 3


def test_certificate_fits_long_hostile_texts_without_overlap_or_loss() -> None:
    import pypdfium2 as pdfium
    from reportlab.lib.units import mm

    long_name = "Ж" * 300 + " " + "Сәрсенбаева-Кowalczyk" * 14
    html = '"><b>bold</b><font color="red">x</font><script>alert(1)</script>'
    doc = CertificateDoc(
        language="kk",
        name=long_name,
        event_title=html + " " + "Ғылым" * 60,
        starts_at=datetime(2025, 5, 15, 5, tzinfo=UTC),
        ends_at=datetime(2025, 5, 16, 11, tzinfo=UTC),
        timezone="Asia/Almaty",
        place="Temirtau " * 40,
        organisers=[f"Қарағанды индустриялық университеті {n}" for n in range(20)],
        signatures=[
            SignatureDoc("Ш" * 60, "Р" * 80, png((300, 100))),
            SignatureDoc(html, "abc\u202egpj.exe", None),
            SignatureDoc("Айгерім Сәрсенбаева", "КарИУ", None),
        ],
        code="C7-ABCDEFGHIJKLMNOP",
        verify_url="http://example.org/verify/C7-ABCDEFGHIJKLMNOP",
    )
    document = pdfium.PdfDocument(render_certificate(doc))
    (page,) = list(document)
    width, height = page.get_size()
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    # Nothing is cut off: the whole name and title, the markup as typed.
    squeezed = "".join(text.split())
    assert "".join(long_name.split()) in squeezed
    assert "".join(doc.event_title.split()) in squeezed
    assert "".join(html.split()) in squeezed
    slot = (width - 80 * mm) / 3
    bounds = [40 * mm + slot * i for i in range(4)]
    for index in range(textpage.count_chars()):
        left, bottom, right, top = textpage.get_charbox(index)
        if right <= left:
            continue  # spaces and line ends
        # Inside the page, and never in the band of the signature images (42 mm + 1 to 19 mm).
        assert 0 <= left <= right <= width and 0 <= bottom <= top <= height
        assert top <= 43 * mm or bottom >= 61 * mm, (index, bottom, top)
        if 30 * mm < bottom < 42 * mm:
            # A signature's name or role stays inside its own third of the line.
            assert not any(left < edge < right for edge in bounds[1:3]), (index, left, right)
    document.close()
