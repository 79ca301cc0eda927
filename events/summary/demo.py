"""The demo's outcomes and summary: the KarIU–AGH memorandum, and the Science Day's story.

Facts come from the public news texts listed in docs/demo.md (who organised the Science Day, which
institutions took part, the case studies, the memorandum between KarIU and AGH). The Science Day's
registrations and check-ins are illustrative: invented people, so that the figures have something
to count. Idempotent: an event that already has a summary or outcomes keeps them.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import Event, Organisation
from events.checkin import services as checkin_services
from events.checkin.schemas import ScanIn
from events.registration import tokens
from events.registration.models import Registration
from events.summary.models import Outcome, OutcomeParty, Summary, SummaryQuote

SCIENCE_DAY = "german-kazakh-science-day-2023"
DEMO_DESK = "Entrance (demo)"
ROUND_TABLE = "kariu-agh-round-table"

MEMORANDUM_TITLE = {
    "ru": "Меморандум о сотрудничестве между КарИУ и AGH",
    "pl": "Memorandum o współpracy między KarIU a AGH",
    "en": "Memorandum of cooperation between KarIU and AGH",
    "kk": "ҚарИУ мен AGH арасындағы ынтымақтастық туралы меморандум",
}
MEMORANDUM_DESCRIPTION = {
    "ru": (
        "Университеты закрепили намерение развивать партнёрство в науке и образовании: "
        "совместные исследования, обмен студентами и преподавателями, стажировки и участие в "
        "международных проектах. Дата подписания — условно (дата круглого стола)."
    ),
    "pl": (
        "Uczelnie potwierdziły wolę rozwijania partnerstwa w nauce i kształceniu: wspólne "
        "badania, wymiana studentów i wykładowców, staże i udział w projektach "
        "międzynarodowych. Data podpisania przykładowa (dzień okrągłego stołu)."
    ),
    "en": (
        "The two universities set down their intention to work together in science and "
        "education: joint research, student and staff exchange, internships and international "
        "projects. The date is illustrative (the day of the round table)."
    ),
    "kk": (
        "Екі университет ғылым мен білім саласындағы серіктестікті дамыту ниетін бекітті: "
        "бірлескен зерттеулер, студенттер мен оқытушылар алмасуы, тағылымдамалар және "
        "халықаралық жобалар. Қол қойылған күні шартты түрде берілген (дөңгелек үстел күні)."
    ),
}

STORY = {
    "en": """Over two days in October 2023, Almaty hosted the German–Kazakh Science Day, \
organised by Germany's Federal Ministry of Education and Research (BMBF) together with the \
National Academy of Sciences of Kazakhstan. Its question was a practical one: where do new \
prospects for German–Kazakh research lie, and who pays for them?

## Two research landscapes, side by side

Kazakh speakers from research, universities and industry opened with a picture of science in \
Kazakhstan and the funding available there. The German side answered with its research \
organisations — **Max Planck, Fraunhofer, Helmholtz and Leibniz** — and with the funders DFG, \
DAAD and the Humboldt Foundation, each explaining what is open to partners from Kazakhstan.

## What already works

Two case studies showed German projects with a lasting footprint in the country: the \
*German-Kazakh University* and the *Central Asia Sustainable Innovation Bureau (CASIB)* in \
Almaty. Dr. Muhammad Usman and Dr. Peter Liebelt of Martin Luther University Halle-Wittenberg \
added their experience of working with Kazakh partners.

## What comes next

The days ended with a clear wish on both sides to widen cooperation across academia, research \
and industrial development, and to build it on funding from both countries.""",
    "de": """An zwei Oktobertagen 2023 fand in Almaty der Deutsch-Kasachische \
Wissenschaftstag statt, ausgerichtet vom Bundesministerium für Bildung und Forschung (BMBF) und \
der Nationalen Akademie der Wissenschaften Kasachstans. Die Leitfrage war praktisch: Wo liegen \
neue Chancen für deutsch-kasachische Forschung, und wer finanziert sie?

## Zwei Forschungslandschaften nebeneinander

Kasachische Stimmen aus Forschung, Hochschulen und Industrie zeichneten zuerst ein Bild der \
Wissenschaft in Kasachstan und ihrer Förderung. Die deutsche Seite stellte ihre \
Forschungsorganisationen vor — **Max Planck, Fraunhofer, Helmholtz und Leibniz** — sowie die \
Förderer DFG, DAAD und Humboldt-Stiftung mit ihren Angeboten für Partner aus Kasachstan.

## Was schon trägt

Zwei Fallbeispiele zeigten deutsche Projekte mit bleibender Wirkung im Land: die \
*Deutsch-Kasachische Universität* und das *Central Asia Sustainable Innovation Bureau (CASIB)* \
in Almaty. Dr. Muhammad Usman und Dr. Peter Liebelt von der Martin-Luther-Universität \
Halle-Wittenberg brachten ihre Erfahrung aus der Arbeit mit kasachischen Partnern ein.

## Wie es weitergeht

Am Ende stand auf beiden Seiten der klare Wunsch, die Zusammenarbeit in Wissenschaft, Forschung \
und industrieller Entwicklung auszubauen — getragen von Förderung aus beiden Ländern.""",
    "ru": """В октябре 2023 года Алматы два дня принимал Германо-казахстанский день науки. \
Его организовали Федеральное министерство образования и научных исследований Германии (BMBF) и \
Национальная академия наук Казахстана. Вопрос был практическим: где открываются новые \
возможности для совместных исследований и кто их финансирует?

## Две научные системы рядом

Сначала казахстанские участники из науки, вузов и промышленности рассказали о состоянии науки \
в стране и о доступном финансировании. Немецкая сторона представила свои научные организации — \
**Общество Макса Планка, Фраунгофера, Гельмгольца и Лейбница** — а также DFG, DAAD и Фонд \
Гумбольдта с программами для партнёров из Казахстана.

## Что уже работает

Два примера показали немецкие проекты с долгим следом в Казахстане: *Казахстанско-Немецкий \
университет* и *Центральноазиатское бюро устойчивых инноваций (CASIB)* в Алматы. Доктор Мухаммад \
Усман и доктор Петер Либельт из Университета Мартина Лютера в Галле-Виттенберге поделились \
опытом работы с казахстанскими партнёрами.

## Что дальше

Обе стороны завершили встречу явным желанием расширять сотрудничество в науке, исследованиях и \
промышленном развитии на основе взаимного финансирования.""",
    "kk": """2023 жылғы қазанда Алматыда екі күн бойы Неміс-қазақ ғылым күні өтті. Оны \
Германияның Федералдық білім және зерттеу министрлігі (BMBF) мен Қазақстан Республикасының \
Ұлттық ғылым академиясы ұйымдастырды. Басты сұрақ нақты болды: неміс-қазақ зерттеулерінің жаңа \
мүмкіндіктері қайда және оларды кім қаржыландырады?

## Екі ғылыми жүйе қатар

Алдымен Қазақстанның ғылым, жоғары оқу орындары мен өнеркәсіп өкілдері елдегі ғылымның жайы мен \
қаржыландыру мүмкіндіктерін таныстырды. Неміс тарапы өз ғылыми ұйымдарын — **Макс Планк, \
Фраунгофер, Гельмгольц және Лейбниц** — және DFG, DAAD пен Гумбольдт қорының Қазақстандағы \
серіктестерге ашық бағдарламаларын көрсетті.

## Не жұмыс істеп тұр

Екі мысал елде ұзақ із қалдырған неміс жобаларын көрсетті: *Қазақ-неміс университеті* және \
Алматыдағы *Орталық Азия тұрақты инновациялар бюросы (CASIB)*. Галле-Виттенберг Мартин Лютер \
университетінен доктор Мұхаммад Усман мен доктор Петер Либельт қазақстандық серіктестермен \
жұмыс тәжірибесімен бөлісті.

## Алдағы қадамдар

Екі тарап та ғылым, зерттеу және өнеркәсіптік даму саласындағы ынтымақтастықты өзара \
қаржыландыру негізінде кеңейтуге ниет білдірді.""",
}
LEAD = {
    "en": "Two days in Almaty on where German–Kazakh research goes next, and who funds it.",
    "de": "Zwei Tage in Almaty: wohin die deutsch-kasachische Forschung geht und wer sie fördert.",
    "ru": "Два дня в Алматы о будущем германо-казахстанской науки и о том, кто её финансирует.",
    "kk": "Алматыдағы екі күн: неміс-қазақ ғылымының болашағы және оны кім қаржыландырады.",
}
# An invented participant: the quote is illustrative and says so.
QUOTE = (
    "Now I know which German programme fits our laboratory. (illustrative)",
    "Participant from Almaty (illustrative)",
    "Researcher",
)

_DE_NAMES = ["Anna", "Jonas", "Lena", "Felix", "Miriam", "Tobias", "Katrin", "Stefan", "Julia",
             "Markus", "Sabine", "Florian", "Claudia", "Matthias", "Eva", "Thomas", "Ute",
             "Henrik", "Nina", "Ralf"]  # fmt: skip
_DE_FAMILY = ["Becker", "Schulz", "Hoffmann", "Wagner", "Krüger", "Weiß", "Lehmann", "Köhler",
              "Fuchs", "Vogel"]  # fmt: skip
_KZ_NAMES = ["Айгүл", "Нұрлан", "Әсем", "Ерлан", "Гүлнар", "Дәурен", "Мәдина", "Бауыржан",
             "Жанар", "Серік", "Ұлжан", "Қайрат", "Ләззат", "Ғалым", "Әлия", "Тимур", "Сәуле",
             "Арман", "Динара", "Еркін", "Меруерт", "Асқар", "Айжан", "Нұржан", "Үміт", "Ержан",
             "Аружан", "Марат", "Інжу", "Бекзат"]  # fmt: skip
_KZ_FAMILY = ["Сейітқали", "Өтепова", "Жұмабаев", "Қасымова", "Нұрғалиев", "Әбенова",
              "Тоқтаров", "Ысқақова", "Бекмұхамбетов", "Шәріпова"]  # fmt: skip
_DE_ORGS = ["DAAD", "Deutsche Forschungsgemeinschaft", "Alexander von Humboldt-Stiftung",
            "Max-Planck-Gesellschaft", "Fraunhofer-Gesellschaft", "Helmholtz",
            "Leibniz-Gemeinschaft", "BMBF", "Martin-Luther-Universität Halle-Wittenberg",
            "Universität Leipzig"]  # fmt: skip
_KZ_ORGS = ["Қазақстан Республикасы Ұлттық ғылым академиясы", "DKU", "KazNU al-Farabi",
            "Satbayev University", "CASIB", "Deutsch-Kasachische Universität",
            "Institute of Botany, Almaty", "KazMunayGas Research", "ҚР ҰҒА"]  # fmt: skip
_OTHERS = [("UZ", "Tashkent State Technical University"), ("KG", "Kyrgyz State University"),
           ("AT", "Universität Wien"), ("KG", "American University of Central Asia")]  # fmt: skip


def illustrative_people() -> list[tuple[str, str, str, str, str]]:
    """(given, family, organisation, country, category): 64 invented registrations."""
    people = []
    for i in range(26):
        category = "speaker" if i < 4 else ("press" if i in (10, 11) else "participant")
        people.append((_DE_NAMES[i % 20], _DE_FAMILY[(i * 3) % 10], _DE_ORGS[i % 10], "DE",
                       category))  # fmt: skip
    for i in range(34):
        category = "speaker" if i < 3 else ("press" if i in (7, 8, 9) else "participant")
        people.append((_KZ_NAMES[i % 30], _KZ_FAMILY[(i * 7) % 10], _KZ_ORGS[i % 9], "KZ",
                       category))  # fmt: skip
    for i, (country, org) in enumerate(_OTHERS):
        people.append((["Dilshod", "Aibek", "Maria", "Nurbek"][i], ["Karimov", "Toktogulov",
                       "Huber", "Asanov"][i], org, country, "guest"))  # fmt: skip
    return people


async def _organisation(session: AsyncSession, short_name: str) -> Organisation | None:
    found: Organisation | None = await session.scalar(
        select(Organisation).where(Organisation.short_name == short_name)
    )
    return found


async def _round_table(session: AsyncSession, event: Event) -> None:
    if await session.scalar(select(Outcome.id).where(Outcome.event_id == event.id)):
        return
    kariu, agh = await _organisation(session, "КарИУ"), await _organisation(session, "AGH")
    outcome = Outcome(
        event_id=event.id,
        kind="memorandum",
        title=dict(MEMORANDUM_TITLE),
        description=dict(MEMORANDUM_DESCRIPTION),
        signed_on=event.starts_at.date(),
        position=0,
    )
    outcome.parties = [
        OutcomeParty(organisation=org, position=n) for n, org in enumerate((kariu, agh)) if org
    ]
    session.add(outcome)
    await session.flush()


async def _science_day(session: AsyncSession, event: Event) -> None:
    if await session.scalar(select(Summary.id).where(Summary.event_id == event.id)):
        return
    count = await session.scalar(
        select(func.count()).select_from(Registration).where(Registration.event_id == event.id)
    )
    if not count:
        for index, (given, family, org, country, category) in enumerate(illustrative_people()):
            registration = Registration(
                event_id=event.id, status="confirmed", given_name=given, family_name=family,
                email=f"science-day-{index}@example.org", organisation=org, country=country,
                category=category, language="kk" if country == "KZ" else "en",
                consent_data=True, consent_photos=index % 3 != 0,
                # Nobody holds a link to these invented people: the token is thrown away.
                manage_token_hash=tokens.token_hash(secrets.token_urlsafe(32)),
                manage_seed=tokens.new_seed(), checkin_token=tokens.new_checkin_token(),
                source="demo", confirmed_at=event.starts_at - timedelta(days=10),
            )  # fmt: skip
            session.add(registration)
            await session.flush()
            # 52 of 64 came (every fifth registration stayed away). Each is admitted the way a
            # desk admits a badge: through the check-in service, which records the scan, the
            # check-in and its answer. The scan happens at the door on the morning of the event
            # (``now``), and its nonce is fixed so that a repeated load records nothing new.
            if index % 5 != 4:
                scanned_at = event.starts_at + timedelta(minutes=5 + index % 40)
                decision = await checkin_services.decide_scan(
                    session,
                    event,
                    ScanIn(
                        nonce=f"demo-{event.id}-{index}", scanned_at=scanned_at, desk=DEMO_DESK,
                        token=registration.checkin_token,
                    ),
                    None,
                    now=scanned_at,
                )  # fmt: skip
                if decision.answer["status"] != "ok":  # the demo's own data: a bug, not input
                    raise RuntimeError(f"demo check-in refused: {decision.answer['status']}")
    session.add(
        Summary(
            event_id=event.id,
            narrative=dict(STORY),
            lead=dict(LEAD),
            status="published",
            published_at=event.ends_at + timedelta(days=3),
        )
    )
    text, person, role = QUOTE
    session.add(SummaryQuote(event_id=event.id, text=text, person=person, role=role,
                             language="en", position=0))  # fmt: skip
    await session.flush()


async def configure_demo_summaries(session: AsyncSession) -> None:
    """Add the demo's outcomes and the Science Day's published summary (idempotent)."""
    for slug, build in ((ROUND_TABLE, _round_table), (SCIENCE_DAY, _science_day)):
        event = await session.scalar(select(Event).where(Event.slug == slug))
        if event is not None:
            await build(session, event)
