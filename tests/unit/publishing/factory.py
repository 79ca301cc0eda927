"""An event with awkward data for the programme and export tests.

German and Kazakh content, two rooms, sessions over two days in Almaty (UTC+6 in 2023), speakers
with Kazakh, Polish and German names, a break, a panel with twelve speakers, a 120-character title,
a two-page abstract, and hostile text (``<b>``, ``&``, spreadsheet formulas).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import (
    AgendaSession,
    Event,
    EventPartner,
    Organisation,
    Room,
    SessionPerson,
    Speaker,
)

SLUG = "science-day-test"
LONG_TITLE = (
    "Нанокомпозитные материалы для водородной энергетики: от лабораторных синтезов "
    "к промышленному внедрению в Казахстане"
)
assert len(LONG_TITLE) >= 110
LONG_TITLE = (LONG_TITLE + " und Deutschland")[:120]
HOSTILE_TITLE = "<b>Bold</b> & <i>Co</i> =SUM(A1:A9)"
ABSTRACT_PARAGRAPH = (
    "Сирек жер металдарын өндіру мен өңдеу Қазақстан үшін стратегиялық маңызға ие. "
    "Die Gewinnung und Verarbeitung seltener Erden ist für beide Länder von strategischer "
    "Bedeutung; wir berichten über gemeinsame Projekte, Messungen und offene Fragen. "
)
TWO_PAGE_ABSTRACT = "\n\n".join(ABSTRACT_PARAGRAPH * 4 for _ in range(12))
PANELISTS = [
    ("Нұрлан", "Қасымов"), ("Małgorzata", "Brzęczyszczykiewicz"), ("Ерлан", "Өтепов"),
    ("Zofia", "Łęcka"), ("Жанар", "Үсенова"), ("Hans-Jürgen", "Weiß"), ("Гүлнұр", "Ғалымова"),
    ("Paweł", "Ślązak"), ("Әсел", "Ібраева"), ("Ulrike", "Bär"), ("Дәулет", "Һасенов"),
    ("Grzegorz", "Źdźbło"),
]  # fmt: skip


def almaty(day: int, hour: int, minute: int = 0) -> datetime:
    """12 or 13 October 2023 at hour:minute in Almaty (UTC+6 then), as UTC."""
    return datetime(2023, 10, day, hour - 6, minute, tzinfo=UTC)


def png_logo(colour: str = "#1a4f8b") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), colour).save(buffer, format="PNG")
    return buffer.getvalue()


async def create_event(
    db: AsyncSession, data_dir: Path, *, slug: str = SLUG, status: str = "published"
) -> Event:
    (data_dir / "logos").mkdir(parents=True, exist_ok=True)
    (data_dir / "logos" / "kaznu.png").write_bytes(png_logo())
    (data_dir / "logos" / "broken.png").write_bytes(b"not an image at all")
    kaznu = Organisation(
        name="Әл-Фараби атындағы Қазақ ұлттық университеті", short_name="ҚазҰУ", country="KZ",
        kind="university", website="https://www.kaznu.kz", logo="logos/kaznu.png",
    )  # fmt: skip
    tub = Organisation(
        name="Technische Universität Berlin", short_name="TU Berlin", country="DE",
        kind="university", website="https://www.tu.berlin", logo="logos/missing.png",
    )  # fmt: skip
    agh = Organisation(
        name="Akademia Górniczo-Hutnicza im. Stanisława Staszica w Krakowie", short_name="AGH",
        country="PL", kind="university", website="javascript:alert(1)", logo="logos/broken.png",
    )  # fmt: skip
    hostile = Organisation(
        name="<script>alert('x')</script> & Partners", short_name=None, country="DE",
        kind="company", website=None, logo="../../etc/passwd",
    )  # fmt: skip
    event = Event(
        slug=slug,
        title={"de": "Deutsch-Kasachischer Wissenschaftstag", "kk": "Қазақ-неміс ғылым күні"},
        description={
            "de": "Herzlich willkommen zum Wissenschaftstag in Almaty!\n\nZwei Tage Austausch.",
            "kk": "Алматыдағы ғылым күніне қош келдіңіздер!\n\nЕкі күндік пікір алмасу.",
        },
        kind="science_day",
        status=status,
        starts_at=almaty(12, 9),
        ends_at=almaty(13, 17),
        timezone="Asia/Almaty",
        venue="Rixos Almaty <Hall> & Co",
        city="Almaty",
        country="KZ",
        languages=["de", "kk"],
        default_language="de",
        partner_countries=["DE", "KZ"],
    )
    event.partners = [
        EventPartner(organisation=kaznu, role="host", position=0),
        EventPartner(organisation=tub, role="co_host", position=1),
        EventPartner(organisation=agh, role="partner", position=2),
        EventPartner(organisation=hostile, role="sponsor", position=3),
    ]
    hall_a = Room(name="Hall A", capacity=300, position=0)
    hall_b = Room(name="Зал Б", capacity=80, position=1)
    event.rooms = [hall_a, hall_b]
    db.add(event)
    await db.flush()

    def speaker(given: str, family: str, org: Organisation | None, **kw: object) -> Speaker:
        return Speaker(event_id=event.id, given_name=given, family_name=family,
                       organisation_id=org.id if org else None, **kw)  # fmt: skip

    aigerim = speaker(
        "Айгерім", "Сәрсенбаева", kaznu, honorific="Prof. Dr.", country="KZ",
        position="Проректор по науке", email="aigerim@example.kz",
        biography={"de": "Forscht zu Wasserstoff. " * 60, "kk": "Сутегі энергетикасын зерттейді."},
    )  # fmt: skip
    lukasz = speaker(
        "Łukasz", "Wójcik", agh, country="PL", position="=HYPERLINK(\"http://evil\")",
        email="lukasz@example.pl", biography={"de": "Bergbauingenieur aus Kraków."},
    )  # fmt: skip
    juergen = speaker(
        "Jürgen", "Groß", tub, honorific="Dr.", country="DE", position="@Leiter <Labor> & Co",
        email="+49 30 1234", biography={},
    )  # fmt: skip
    panel = [speaker(g, f, [kaznu, tub, agh][i % 3], country=["KZ", "DE", "PL"][i % 3])
             for i, (g, f) in enumerate(PANELISTS)]  # fmt: skip
    db.add_all([aigerim, lukasz, juergen, *panel])
    await db.flush()

    def session(title: dict[str, str], kind: str, start: datetime, end: datetime,
                room: Room | None, people: list[tuple[Speaker, str]] = (),  # type: ignore[assignment]
                **kw: object) -> AgendaSession:  # fmt: skip
        item = AgendaSession(event_id=event.id, title=title, kind=kind, starts_at=start,
                             ends_at=end, room_id=room.id if room else None, **kw)  # fmt: skip
        item.people = [SessionPerson(speaker_id=s.id, role=role, position=n)
                       for n, (s, role) in enumerate(people)]  # fmt: skip
        return item

    sessions = [
        session({"de": "Eröffnung und Grußworte", "kk": "Ашылу және құттықтау сөздер"},
                "ceremony", almaty(12, 9), almaty(12, 9, 30), hall_a,
                [(aigerim, "speaker"), (juergen, "speaker")], language="de"),
        session({"de": "Wasserstoff für Zentralasien", "kk": "Орталық Азияға арналған сутегі"},
                "keynote", almaty(12, 9, 30), almaty(12, 10, 30), hall_a, [(aigerim, "speaker")],
                abstract={"de": TWO_PAGE_ABSTRACT, "kk": TWO_PAGE_ABSTRACT}, language="kk"),
        session({"de": "Kaffeepause", "kk": "Кофе-брейк"}, "break", almaty(12, 10, 30),
                almaty(12, 11), None),
        session({"de": "Podium: Rohstoffe und Partnerschaft",
                 "kk": "Панель: шикізат және серіктестік"}, "panel",
                almaty(12, 11), almaty(12, 12, 30), hall_a,
                [(lukasz, "moderator")] + [(p, "panelist") for p in panel], track="Rohstoffe"),
        session({"de": LONG_TITLE, "kk": LONG_TITLE}, "talk", almaty(12, 11), almaty(12, 11, 45),
                hall_b, [(lukasz, "speaker")]),
        session({"de": HOSTILE_TITLE, "kk": "Қауіпті <b>мәтін</b> & т.б."}, "talk",
                almaty(12, 14), almaty(12, 14, 30), hall_b, [(juergen, "speaker")],
                abstract={"de": "-1+2 & <script>alert(1)</script>"}),
        session({"kk": "Зертханаларға экскурсия"}, "lab_visit", almaty(13, 10), almaty(13, 12),
                hall_b, [(aigerim, "chair")]),
        session({"de": "Abschluss", "kk": "Жабылу"}, "ceremony", almaty(13, 16),
                almaty(13, 17), hall_a, [(juergen, "speaker"), (aigerim, "speaker")]),
    ]  # fmt: skip
    db.add_all(sessions)
    await db.commit()
    return event
