"""The demo data as plain structures; ``events.demo.loader`` turns them into rows.

Facts (institutions, places, dates, who took part, what was signed) come from the public news texts
listed in docs/demo.md. Everything those texts do not give (time slots, rooms, session titles,
most speakers) is marked "(illustrative)" in its description, in every language it is written in.
Times are local wall-clock times in the event's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ML = dict[str, str]


@dataclass(frozen=True)
class OrgData:
    key: str
    name: str
    short_name: str | None
    country: str
    kind: str
    website: str | None


@dataclass(frozen=True)
class SpeakerData:
    key: str
    given_name: str
    family_name: str
    honorific: str | None
    position: str | None
    organisation: str | None
    country: str | None
    biography: ML


@dataclass(frozen=True)
class SessionData:
    day: int  # 0 = the event's first day
    starts: str  # "HH:MM", local time
    ends: str
    kind: str
    title: ML
    abstract: ML
    room: str | None  # None: for everyone (a break, a plenary outside the rooms)
    language: str | None = None
    people: tuple[tuple[str, str], ...] = ()  # (speaker key, role)


@dataclass(frozen=True)
class EventData:
    slug: str
    kind: str
    status: str
    title: ML
    description: ML
    timezone: str
    venue: str
    city: str
    country: str
    languages: tuple[str, ...]
    default_language: str
    partner_countries: tuple[str, ...]
    opens: str  # "HH:MM" on the first day
    closes: str  # "HH:MM" on the last day
    partners: tuple[tuple[str, str], ...]  # (organisation key, role)
    rooms: tuple[tuple[str, int | None], ...]
    speakers: tuple[SpeakerData, ...]
    sessions: tuple[SessionData, ...]
    # Either fixed dates, or days counted from the day the demo is loaded (an upcoming event).
    dates: tuple[date, ...] = ()
    days_from_today: tuple[int, ...] = field(default=())


ILLUSTRATIVE: ML = {
    "en": "(illustrative)",
    "de": "(illustrativ)",
    "ru": "(условно)",
    "kk": "(шартты түрде)",
    "pl": "(przykładowo)",
}


def _mark(texts: ML) -> ML:
    """Append the 'illustrative' mark in each text's own language."""
    return {lang: f"{text} {ILLUSTRATIVE[lang]}" for lang, text in texts.items()}


ORGANISATIONS: tuple[OrgData, ...] = (
    OrgData("bmbf", "Bundesministerium für Bildung und Forschung", "BMBF", "DE", "ministry",
            "https://www.bmbf.de"),
    OrgData("nas-rk", "Қазақстан Республикасы Ұлттық ғылым академиясы", "ҚР ҰҒА", "KZ",
            "research_institute", None),
    OrgData("dfg", "Deutsche Forschungsgemeinschaft", "DFG", "DE", "funding_agency",
            "https://www.dfg.de"),
    OrgData("daad", "Deutscher Akademischer Austauschdienst", "DAAD", "DE", "funding_agency",
            "https://www.daad.de"),
    OrgData("humboldt", "Alexander von Humboldt-Stiftung", "AvH", "DE", "funding_agency",
            "https://www.humboldt-foundation.de"),
    OrgData("mpg", "Max-Planck-Gesellschaft", "MPG", "DE", "research_institute",
            "https://www.mpg.de"),
    OrgData("fraunhofer", "Fraunhofer-Gesellschaft", "Fraunhofer", "DE", "research_institute",
            "https://www.fraunhofer.de"),
    OrgData("helmholtz", "Helmholtz-Gemeinschaft Deutscher Forschungszentren", "Helmholtz", "DE",
            "research_institute", "https://www.helmholtz.de"),
    OrgData("leibniz", "Leibniz-Gemeinschaft", "Leibniz", "DE", "research_institute",
            "https://www.leibniz-gemeinschaft.de"),
    OrgData("dku", "Deutsch-Kasachische Universität", "DKU", "KZ", "university",
            "https://dku.kz"),
    OrgData("casib", "Central Asia Sustainable Innovation Bureau", "CASIB", "KZ", "other", None),
    OrgData("mlu", "Martin-Luther-Universität Halle-Wittenberg", "MLU", "DE", "university",
            "https://www.uni-halle.de"),
    OrgData("kariu", "Карагандинский индустриальный университет", "КарИУ", "KZ", "university",
            None),
    OrgData("agh", "Akademia Górniczo-Hutnicza im. Stanisława Staszica w Krakowie", "AGH", "PL",
            "university", "https://www.agh.edu.pl"),
    OrgData("ektu", "Д. Серікбаев атындағы Шығыс Қазақстан техникалық университеті", "ШҚТУ",
            "KZ", "university", "https://www.ektu.kz"),
    OrgData("kgi", "Қазақ-неміс ғылым және технологиялар институты", "KGI", "KZ",
            "research_institute", None),
    OrgData("tubaf", "Technische Universität Bergakademie Freiberg", "TUBAF", "DE", "university",
            "https://tu-freiberg.de"),
    OrgData("btu", "Brandenburgische Technische Universität Cottbus-Senftenberg", "BTU", "DE",
            "university", "https://www.b-tu.de"),
)  # fmt: skip


# --- German–Kazakh Science Day, Almaty, 12–13 October 2023 -------------------------------------

_SD_MAIN = "Main hall"
_SD_A = "Hall A"
_SD_B = "Hall B"

SCIENCE_DAY = EventData(
    slug="german-kazakh-science-day-2023",
    kind="science_day",
    status="closed",
    title={
        "en": "German–Kazakh Science Day 2023",
        "de": "Deutsch-Kasachischer Wissenschaftstag 2023",
        "ru": "Германо-казахстанский день науки 2023",
        "kk": "Неміс-қазақ ғылым күні 2023",
    },
    description={
        "en": (
            "Two days in Almaty on new prospects and opportunities for German–Kazakh science and "
            "research collaboration, organised by Germany's Federal Ministry of Education and "
            "Research (BMBF) and the National Academy of Sciences of Kazakhstan. German research "
            "and funding organisations (DFG, DAAD, the Humboldt Foundation, Max Planck, "
            "Fraunhofer, Helmholtz, Leibniz) and Kazakh research, academia and industry presented "
            "their work and their funding, with the German-Kazakh University and CASIB as "
            "examples of joint projects. Rooms and time slots are illustrative."
        ),
        "de": (
            "Zwei Tage in Almaty über neue Perspektiven und Möglichkeiten der deutsch-"
            "kasachischen Zusammenarbeit in Wissenschaft und Forschung, ausgerichtet vom "
            "Bundesministerium für Bildung und Forschung (BMBF) und der Nationalen Akademie der "
            "Wissenschaften Kasachstans. Deutsche Forschungs- und Förderorganisationen (DFG, DAAD, "
            "Humboldt-Stiftung, Max Planck, Fraunhofer, Helmholtz, Leibniz) sowie kasachische "
            "Forschung, Hochschulen und Industrie stellten ihre Arbeit und ihre Förderangebote "
            "vor; die Deutsch-Kasachische Universität und CASIB dienten als Beispiele gemeinsamer "
            "Projekte. Räume und Zeiten sind illustrativ."
        ),
        "ru": (
            "Два дня в Алматы о новых перспективах и возможностях германо-казахстанского "
            "сотрудничества в науке и исследованиях. Организаторы — Федеральное министерство "
            "образования и научных исследований Германии (BMBF) и Национальная академия наук "
            "Казахстана. Немецкие научные и грантовые организации (DFG, DAAD, Фонд Гумбольдта, "
            "Макс Планк, Фраунгофер, Гельмгольц, Лейбниц), а также казахстанские учёные, вузы и "
            "промышленность представили свою работу и программы финансирования; Казахстанско-"
            "Немецкий университет и CASIB были показаны как примеры совместных проектов. Залы и "
            "время — условно."
        ),
        "kk": (
            "Алматыда өткен екі күндік шара неміс-қазақ ғылыми ынтымақтастығының жаңа "
            "мүмкіндіктеріне арналды. Ұйымдастырушылар — Германияның Федералдық білім және "
            "зерттеу министрлігі (BMBF) мен Қазақстан Республикасының Ұлттық ғылым академиясы. "
            "Германияның ғылыми және қаржыландыру ұйымдары (DFG, DAAD, Гумбольдт қоры, Макс "
            "Планк, Фраунгофер, Гельмгольц, Лейбниц) мен Қазақстанның ғалымдары, жоғары оқу "
            "орындары және өнеркәсібі өз жұмысы мен қаржыландыру мүмкіндіктерін таныстырды. "
            "Залдар мен уақыт шартты түрде берілген."
        ),
    },
    timezone="Asia/Almaty",
    venue="Almaty conference venue (illustrative)",
    city="Almaty",
    country="KZ",
    languages=("en", "de", "kk", "ru"),
    # English: the language both sides share at a bilateral science day, and the language of the
    # public record of this event; German, Kazakh and Russian are offered beside it.
    default_language="en",
    partner_countries=("DE", "KZ"),
    dates=(date(2023, 10, 12), date(2023, 10, 13)),
    opens="09:00",
    closes="16:30",
    partners=(
        ("bmbf", "host"),
        ("nas-rk", "co_host"),
        ("dfg", "partner"),
        ("daad", "partner"),
        ("humboldt", "partner"),
        ("mpg", "partner"),
        ("fraunhofer", "partner"),
        ("helmholtz", "partner"),
        ("leibniz", "partner"),
        ("dku", "partner"),
        ("casib", "partner"),
        ("mlu", "partner"),
    ),
    rooms=((_SD_MAIN, 300), (_SD_A, 80), (_SD_B, 80)),
    speakers=(
        SpeakerData(
            key="usman",
            honorific="Dr.",
            given_name="Muhammad",
            family_name="Usman",
            position="Researcher (illustrative)",
            organisation="mlu",
            country="DE",
            biography={
                "en": "Took part in the Science Day for Martin Luther University Halle-Wittenberg "
                "and contributed to its discussions.",
                "de": "Nahm für die Martin-Luther-Universität Halle-Wittenberg am "
                "Wissenschaftstag teil und brachte sich in die Diskussionen ein.",
                "ru": "Участвовал в Дне науки от Университета Мартина Лютера в Галле-Виттенберге "
                "и внёс вклад в обсуждения.",
                "kk": "Ғылым күніне Галле-Виттенберг Мартин Лютер университетінің атынан қатысып, "
                "талқылауларға үлес қосты.",
            },
        ),
        SpeakerData(
            key="liebelt",
            honorific="Dr.",
            given_name="Peter",
            family_name="Liebelt",
            position="Researcher (illustrative)",
            organisation="mlu",
            country="DE",
            biography={
                "en": "Represented Martin Luther University Halle-Wittenberg at the Science Day "
                "in Almaty.",
                "de": "Vertrat die Martin-Luther-Universität Halle-Wittenberg beim "
                "Wissenschaftstag in Almaty.",
                "ru": "Представлял Университет Мартина Лютера в Галле-Виттенберге на Дне науки "
                "в Алматы.",
                "kk": "Алматыдағы Ғылым күнінде Галле-Виттенберг Мартин Лютер университетінің "
                "өкілі болды.",
            },
        ),
    ),
    sessions=(
        SessionData(
            0,
            "09:00",
            "09:30",
            "break",
            {
                "en": "Registration and coffee",
                "de": "Anmeldung und Kaffee",
                "ru": "Регистрация и кофе",
                "kk": "Тіркелу және кофе",
            },
            _mark({"en": "Time slot", "de": "Zeitfenster", "ru": "Время", "kk": "Уақыты"}),
            None,
        ),
        SessionData(
            0,
            "09:30",
            "10:00",
            "ceremony",
            {
                "en": "Opening by BMBF and the National Academy of Sciences",
                "de": "Eröffnung durch das BMBF und die Nationale Akademie der Wissenschaften",
                "ru": "Открытие: BMBF и Национальная академия наук",
                "kk": "Ашылу: BMBF және Ұлттық ғылым академиясы",
            },
            _mark(
                {
                    "en": "The two organisers open the Science Day. Time slot and order",
                    "de": "Die beiden Veranstalter eröffnen den Wissenschaftstag. Zeit und Ablauf",
                    "ru": "Два организатора открывают День науки. Время и порядок",
                    "kk": "Екі ұйымдастырушы Ғылым күнін ашады. Уақыты мен реті",
                }
            ),
            _SD_MAIN,
        ),
        SessionData(
            0,
            "10:00",
            "10:45",
            "keynote",
            {
                "en": "New prospects and opportunities for German–Kazakh science and research "
                "collaboration",
                "de": "Neue Perspektiven und Möglichkeiten der deutsch-kasachischen Zusammenarbeit "
                "in Wissenschaft und Forschung",
                "ru": "Новые перспективы и возможности германо-казахстанского научного "
                "сотрудничества",
                "kk": "Неміс-қазақ ғылыми ынтымақтастығының жаңа перспективалары мен мүмкіндіктері",
            },
            _mark(
                {
                    "en": "The theme of the Science Day. Speaker and time slot",
                    "de": "Das Leitthema des Wissenschaftstags. Redner und Zeit",
                    "ru": "Тема Дня науки. Докладчик и время",
                    "kk": "Ғылым күнінің тақырыбы. Баяндамашы мен уақыты",
                }
            ),
            _SD_MAIN,
        ),
        SessionData(
            0,
            "10:45",
            "11:15",
            "break",
            {"en": "Coffee break", "de": "Kaffeepause", "ru": "Кофе-брейк", "kk": "Кофе-брейк"},
            {},
            None,
        ),
        SessionData(
            0,
            "11:15",
            "12:45",
            "panel",
            {
                "en": "Research and science in Kazakhstan: the landscape and its funding",
                "de": "Forschung und Wissenschaft in Kasachstan: Landschaft und Förderung",
                "ru": "Наука и исследования в Казахстане: ландшафт и финансирование",
                "kk": "Қазақстандағы ғылым мен зерттеу: ахуалы және қаржыландыру",
            },
            _mark(
                {
                    "en": "Kazakh research, academia and industry present their work and the "
                    "available funding. Panelists and time slot",
                    "ru": "Казахстанские учёные, вузы и промышленность представляют свою работу "
                    "и доступное финансирование. Участники и время",
                    "kk": "Қазақстанның ғалымдары, жоғары оқу орындары мен өнеркәсібі өз жұмысын "
                    "және қаржыландыру мүмкіндіктерін таныстырады. Қатысушылар мен уақыты",
                }
            ),
            _SD_MAIN,
        ),
        SessionData(
            0,
            "12:45",
            "14:00",
            "break",
            {"en": "Lunch", "de": "Mittagspause", "ru": "Обед", "kk": "Түскі ас"},
            {},
            None,
        ),
        SessionData(
            0,
            "14:00",
            "15:30",
            "talk",
            {
                "en": "German research organisations: Max Planck, Fraunhofer, Helmholtz, Leibniz",
                "de": "Deutsche Forschungsorganisationen: Max Planck, Fraunhofer, Helmholtz, "
                "Leibniz",
                "ru": "Немецкие научные организации: Макс Планк, Фраунгофер, Гельмгольц, Лейбниц",
                "kk": "Германияның ғылыми ұйымдары: Макс Планк, Фраунгофер, Гельмгольц, Лейбниц",
            },
            _mark(
                {
                    "en": "Current research and openings for international partners. Time slot "
                    "and room",
                    "de": "Laufende Forschung und Chancen für internationale Partner. "
                    "Zeit und Raum",
                }
            ),
            _SD_A,
        ),
        SessionData(
            0,
            "14:00",
            "15:30",
            "talk",
            {
                "en": "Funding for partners in Kazakhstan: DFG, DAAD and the Humboldt Foundation",
                "de": "Förderung für Partner in Kasachstan: DFG, DAAD und Humboldt-Stiftung",
                "ru": "Финансирование для партнёров из Казахстана: DFG, DAAD и Фонд Гумбольдта",
                "kk": "Қазақстандағы серіктестерге қаржыландыру: DFG, DAAD және Гумбольдт қоры",
            },
            _mark(
                {
                    "en": "Programmes open to researchers from Kazakhstan. Time slot and room",
                    "de": "Programme für Forschende aus Kasachstan. Zeit und Raum",
                }
            ),
            _SD_B,
        ),
        SessionData(
            0,
            "15:30",
            "16:00",
            "break",
            {"en": "Coffee break", "de": "Kaffeepause", "ru": "Кофе-брейк", "kk": "Кофе-брейк"},
            {},
            None,
        ),
        SessionData(
            0,
            "16:00",
            "16:30",
            "networking",
            {
                "en": "Meeting partners from research, academia and industry",
                "de": "Begegnung mit Partnern aus Forschung, Hochschulen und Industrie",
                "ru": "Встреча с партнёрами из науки, вузов и промышленности",
                "kk": "Ғылым, жоғары оқу орындары және өнеркәсіп серіктестерімен кездесу",
            },
            _mark({"en": "Time slot", "de": "Zeitfenster", "ru": "Время", "kk": "Уақыты"}),
            _SD_MAIN,
        ),
        SessionData(
            1,
            "09:30",
            "10:30",
            "talk",
            {
                "en": "Case study: the German-Kazakh University",
                "de": "Fallbeispiel: die Deutsch-Kasachische Universität",
                "ru": "Пример: Казахстанско-Немецкий университет",
                "kk": "Тәжірибе: Қазақ-неміс университеті",
            },
            _mark(
                {
                    "en": "A German project with a lasting impact in Kazakhstan. Speaker and time "
                    "slot",
                    "de": "Ein deutsches Projekt mit nachhaltiger Wirkung in Kasachstan. Redner "
                    "und Zeit",
                }
            ),
            _SD_MAIN,
        ),
        SessionData(
            1,
            "10:30",
            "11:30",
            "talk",
            {
                "en": "Case study: the Central Asia Sustainable Innovation Bureau (CASIB)",
                "de": "Fallbeispiel: das Central Asia Sustainable Innovation Bureau (CASIB)",
                "ru": "Пример: Центральноазиатское бюро устойчивых инноваций (CASIB)",
                "kk": "Тәжірибе: Орталық Азияның тұрақты инновациялар бюросы (CASIB)",
            },
            _mark(
                {
                    "en": "How the bureau in Almaty was built. Speaker and time slot",
                    "de": "Wie das Büro in Almaty aufgebaut wurde. Redner und Zeit",
                }
            ),
            _SD_MAIN,
        ),
        SessionData(
            1,
            "11:30",
            "12:00",
            "break",
            {"en": "Coffee break", "de": "Kaffeepause", "ru": "Кофе-брейк", "kk": "Кофе-брейк"},
            {},
            None,
        ),
        SessionData(
            1,
            "12:00",
            "13:00",
            "talk",
            {
                "en": "Working with Kazakh partners: experience from Halle",
                "de": "Zusammenarbeit mit kasachischen Partnern: Erfahrungen aus Halle",
                "ru": "Работа с казахстанскими партнёрами: опыт Галле",
                "kk": "Қазақстандық серіктестермен жұмыс: Галле тәжірибесі",
            },
            _mark(
                {
                    "en": "Contribution of Martin Luther University Halle-Wittenberg. Title and "
                    "time slot",
                    "de": "Beitrag der Martin-Luther-Universität Halle-Wittenberg. Titel und Zeit",
                }
            ),
            _SD_A,
            "en",
            (("usman", "speaker"), ("liebelt", "speaker")),
        ),
        SessionData(
            1,
            "12:00",
            "13:00",
            "networking",
            {
                "en": "Open consultations with the funding organisations",
                "de": "Offene Sprechstunden der Förderorganisationen",
                "ru": "Открытые консультации грантовых организаций",
                "kk": "Қаржыландыру ұйымдарының ашық кеңестері",
            },
            _mark({"en": "Format and time slot", "de": "Format und Zeit"}),
            _SD_B,
        ),
        SessionData(
            1,
            "13:00",
            "14:00",
            "break",
            {"en": "Lunch", "de": "Mittagspause", "ru": "Обед", "kk": "Түскі ас"},
            {},
            None,
        ),
        SessionData(
            1,
            "14:00",
            "15:30",
            "panel",
            {
                "en": "Broadening collaboration through mutual funding",
                "de": "Zusammenarbeit durch gemeinsame Förderung ausbauen",
                "ru": "Расширение сотрудничества через взаимное финансирование",
                "kk": "Өзара қаржыландыру арқылы ынтымақтастықты кеңейту",
            },
            _mark(
                {
                    "en": "Academia, research and industry on joint ventures. Panel and time slot",
                    "de": "Hochschulen, Forschung und Industrie über gemeinsame Vorhaben. Podium "
                    "und Zeit",
                }
            ),
            _SD_MAIN,
            "en",
            (("liebelt", "moderator"), ("usman", "panelist")),
        ),
        SessionData(
            1,
            "15:30",
            "16:30",
            "ceremony",
            {"en": "Closing", "de": "Abschluss", "ru": "Закрытие", "kk": "Жабылу"},
            _mark({"en": "Time slot", "de": "Zeitfenster", "ru": "Время", "kk": "Уақыты"}),
            _SD_MAIN,
        ),
    ),
)


# --- KarIU × AGH round table ---------------------------------------------------------------------

_KA_HALL = "Зал учёного совета"
_KA_LAB = "Лаборатория обогащения полезных ископаемых"

KARIU_AGH = EventData(
    slug="kariu-agh-round-table",
    kind="round_table",
    status="closed",
    title={
        "ru": "Круглый стол КарИУ и AGH: наука и образование для горной промышленности",
        "pl": "Okrągły stół KarIU i AGH: nauka i kształcenie dla górnictwa",
        "en": "KarIU and AGH round table: science and education for the mining industry",
        "kk": "ҚарИУ мен AGH дөңгелек үстелі: тау-кен өнеркәсібіне арналған ғылым мен білім",
    },
    description={
        "ru": (
            "Делегация учёных Горно-металлургической академии им. Станислава Сташица (AGH, "
            "Краков) посетила Карагандинский индустриальный университет. Профессора в области "
            "обогащения полезных ископаемых, технологических машин и оборудования и охраны "
            "окружающей среды обсудили совместные исследования, обмен студентами и "
            "преподавателями, стажировки и международные проекты. По итогам подписан меморандум "
            "о сотрудничестве. Дата, время и залы — условно."
        ),
        "pl": (
            "Delegacja naukowców Akademii Górniczo-Hutniczej im. Stanisława Staszica w Krakowie "
            "odwiedziła Karagandyjski Uniwersytet Przemysłowy. Profesorowie przeróbki kopalin, "
            "maszyn i urządzeń technologicznych oraz ochrony środowiska rozmawiali o wspólnych "
            "badaniach, wymianie studentów i wykładowców, stażach i projektach "
            "międzynarodowych. Na zakończenie podpisano memorandum o współpracy. Data, godziny i "
            "sale są przykładowe."
        ),
        "en": (
            "A delegation of scientists from AGH University of Kraków visited Karaganda "
            "Industrial University. Professors of mineral processing, technological machines and "
            "equipment, and environmental protection discussed joint research, student and staff "
            "exchange, internships and international projects, and the training of a new "
            "generation of engineers. A memorandum of cooperation was signed. The date, times "
            "and rooms are illustrative."
        ),
        "kk": (
            "Краковтағы Станислав Сташиц атындағы тау-кен металлургия академиясының (AGH) "
            "ғалымдар делегациясы Қарағанды индустриялық университетінде болды. Тараптар "
            "бірлескен зерттеулерді, студенттер мен оқытушылар алмасуын, тағылымдамаларды "
            "талқылап, ынтымақтастық туралы меморандумға қол қойды. Күні, уақыты мен залдары "
            "шартты түрде берілген."
        ),
    },
    timezone="Asia/Almaty",
    venue="Карагандинский индустриальный университет",
    city="Temirtau",
    country="KZ",
    languages=("ru", "pl", "en", "kk"),
    # Russian: the working language of the visit in Temirtau, with Polish for the guests.
    default_language="ru",
    partner_countries=("KZ", "PL"),
    dates=(date(2025, 5, 15),),
    opens="10:00",
    closes="16:00",
    partners=(("kariu", "host"), ("agh", "delegation")),
    rooms=((_KA_HALL, 60), (_KA_LAB, 25)),
    speakers=(
        SpeakerData(
            key="wojcik",
            honorific="prof. dr hab. inż.",
            given_name="Łukasz",
            family_name="Wójcik",
            position="Przeróbka kopalin (illustrative)",
            organisation="agh",
            country="PL",
            biography=_mark(
                {
                    "en": "Member of the AGH delegation, working on mineral processing. Person",
                    "pl": "Członek delegacji AGH, zajmuje się przeróbką kopalin. Osoba",
                    "ru": "Член делегации AGH, занимается обогащением полезных ископаемых. Лицо",
                }
            ),
        ),
        SpeakerData(
            key="kowalczyk",
            honorific="dr inż.",
            given_name="Małgorzata",
            family_name="Kowalczyk",
            position="Ochrona środowiska (illustrative)",
            organisation="agh",
            country="PL",
            biography=_mark(
                {
                    "en": "Member of the AGH delegation, working on environmental "
                    "protection. Person",
                    "pl": "Członkini delegacji AGH, zajmuje się ochroną środowiska. Osoba",
                }
            ),
        ),
        SpeakerData(
            key="sarsenbayeva",
            honorific="к.т.н.",
            given_name="Айгерім",
            family_name="Сәрсенбаева",
            position="Проректор (illustrative)",
            organisation="kariu",
            country="KZ",
            biography=_mark(
                {
                    "ru": "Представляет руководство КарИУ на круглом столе. Лицо",
                    "kk": "Дөңгелек үстелде ҚарИУ басшылығының атынан сөйлейді. Тұлға",
                    "en": "Speaks for the leadership of KarIU at the round table. Person",
                }
            ),
        ),
    ),
    sessions=(
        SessionData(
            0,
            "10:00",
            "10:30",
            "ceremony",
            {
                "ru": "Приветствие руководства КарИУ",
                "pl": "Powitanie przez władze KarIU",
                "en": "Welcome by the leadership of KarIU",
                "kk": "ҚарИУ басшылығының құттықтауы",
            },
            _mark({"ru": "Время", "en": "Time slot", "pl": "Godzina"}),
            _KA_HALL,
            "ru",
            (("sarsenbayeva", "speaker"),),
        ),
        SessionData(
            0,
            "10:30",
            "12:00",
            "round_table",
            {
                "ru": "Перспективы двустороннего сотрудничества",
                "pl": "Perspektywy współpracy dwustronnej",
                "en": "Prospects for bilateral cooperation",
                "kk": "Екіжақты ынтымақтастық перспективалары",
            },
            _mark(
                {
                    "ru": "Совместные исследования, обмен студентами и преподавателями, "
                    "стажировки, международные проекты. Время",
                    "pl": "Wspólne badania, wymiana studentów i wykładowców, staże, projekty "
                    "międzynarodowe. Godzina",
                    "en": "Joint research, student and staff exchange, internships, international "
                    "projects. Time slot",
                }
            ),
            _KA_HALL,
            "ru",
            (("sarsenbayeva", "moderator"), ("wojcik", "panelist"), ("kowalczyk", "panelist")),
        ),
        SessionData(
            0,
            "12:00",
            "12:30",
            "break",
            {"ru": "Кофе-брейк", "pl": "Przerwa kawowa", "en": "Coffee break", "kk": "Кофе-брейк"},
            {},
            None,
        ),
        SessionData(
            0,
            "12:30",
            "13:30",
            "round_table",
            {
                "ru": "Новое поколение инженеров: цифровые навыки и междисциплинарность",
                "pl": "Nowe pokolenie inżynierów: kompetencje cyfrowe i interdyscyplinarność",
                "en": "A new generation of engineers: digital skills and interdisciplinary work",
                "kk": "Инженерлердің жаңа буыны: цифрлық дағдылар және пәнаралық жұмыс",
            },
            _mark({"ru": "Время", "en": "Time slot", "pl": "Godzina"}),
            _KA_HALL,
            "ru",
            (("kowalczyk", "speaker"),),
        ),
        SessionData(
            0,
            "13:30",
            "14:00",
            "ceremony",
            {
                "ru": "Подписание меморандума о сотрудничестве КарИУ и AGH",
                "pl": "Podpisanie memorandum o współpracy KarIU i AGH",
                "en": "Signing of the KarIU–AGH memorandum of cooperation",
                "kk": "ҚарИУ мен AGH ынтымақтастық меморандумына қол қою",
            },
            _mark(
                {
                    "ru": "Меморандум подписан; время",
                    "en": "The memorandum was signed; time slot",
                    "pl": "Memorandum podpisano; godzina",
                }
            ),
            _KA_HALL,
        ),
        SessionData(
            0,
            "14:30",
            "16:00",
            "lab_visit",
            {
                "ru": "Посещение лабораторий университета",
                "pl": "Wizyta w laboratoriach uczelni",
                "en": "Visit to the university's laboratories",
                "kk": "Университет зертханаларына бару",
            },
            _mark({"ru": "Программа визита", "en": "Visit programme", "pl": "Program wizyty"}),
            _KA_LAB,
            "ru",
            (("wojcik", "speaker"),),
        ),
    ),
)


# --- Rare earth metals round table, KGI, Öskemen (upcoming) -------------------------------------

_RE_HALL = "KGI conference hall"
_RE_LAB = "KGI laboratories"

RARE_EARTHS = EventData(
    slug="rare-earths-round-table",
    kind="round_table",
    status="published",
    title={
        "ru": "Круглый стол «Редкоземельные металлы: исследования, добыча, подготовка кадров»",
        "kk": "«Сирек жер металдары: зерттеу, өндіру, кадр даярлау» дөңгелек үстелі",
        "de": "Runder Tisch „Seltene Erden: Forschung, Gewinnung, Ausbildung“",
        "en": "Round table “Rare earth metals: research, extraction, training”",
    },
    description={
        "ru": (
            "Круглый стол в Казахстанско-немецком институте науки и технологий (KGI) при "
            "Восточно-Казахстанском техническом университете им. Д. Серикбаева "
            "в Усть-Каменогорске. "
            "KGI — совместный проект ВКТУ и Казахстанско-Немецкого университета в области "
            "металлургии и горного дела; спрос на редкоземельные металлы в мире резко вырос. "
            "Программа, время и докладчики — условно (демонстрационное событие)."
        ),
        "kk": (
            "Өскемендегі Д. Серікбаев атындағы Шығыс Қазақстан техникалық университетінің "
            "Қазақ-неміс ғылым және технологиялар институтында (KGI) өтетін дөңгелек үстел. KGI — "
            "металлургия және тау-кен ісі саласындағы ШҚТУ мен Қазақ-неміс университетінің "
            "бірлескен жобасы; әлемде сирек жер металдарына сұраныс күрт өсті. Бағдарлама, уақыт "
            "пен баяндамашылар шартты түрде берілген (демо-іс-шара)."
        ),
        "de": (
            "Runder Tisch am Kasachisch-Deutschen Institut für Wissenschaft und Technologie (KGI) "
            "der Ostkasachischen Technischen Universität D. Serikbajew in Öskemen "
            "(Ust-Kamenogorsk). Das KGI ist ein gemeinsames Projekt der Universität und der "
            "Deutsch-Kasachischen Universität für Metallurgie und Bergbau; die Nachfrage nach "
            "Seltenen Erden ist weltweit stark gestiegen. Programm, Zeiten und Redner sind "
            "illustrativ (Demo-Veranstaltung)."
        ),
        "en": (
            "A round table at the Kazakh-German Institute of Science and Technology (KGI) of "
            "D. Serikbayev East Kazakhstan Technical University in Öskemen (Ust-Kamenogorsk). KGI "
            "is a joint project of the university and the German-Kazakh University in metallurgy "
            "and mining, at a time when world demand for rare earth metals has risen sharply. "
            "Programme, times and speakers are illustrative (a demo event); registration is open."
        ),
    },
    timezone="Asia/Almaty",
    venue="Kazakh-German Institute of Science and Technology (KGI), EKTU",
    city="Öskemen (Ust-Kamenogorsk)",
    country="KZ",
    languages=("ru", "kk", "de", "en"),
    # Russian: the everyday working language at EKTU; Kazakh, German and English beside it.
    default_language="ru",
    partner_countries=("KZ", "DE"),
    days_from_today=(30, 31),
    opens="09:30",
    closes="13:30",
    partners=(
        ("ektu", "host"),
        ("kgi", "co_host"),
        ("dku", "partner"),
        ("tubaf", "partner"),
        ("btu", "partner"),
    ),
    rooms=((_RE_HALL, 120), (_RE_LAB, 30)),
    speakers=(
        SpeakerData(
            key="konurbayeva",
            honorific=None,
            given_name="Zhadira",
            family_name="Konurbayeva",
            position="Vice-Rector for Science and Innovation",
            organisation="ektu",
            country="KZ",
            biography={
                "en": "Vice-Rector for Science and Innovation of EKTU; has presented the national "
                "model for training engineers carried out with Satbayev University. Her part "
                "in this round table is illustrative.",
                "ru": "Проректор по науке и инновациям ВКТУ; представляла национальную модель "
                "подготовки инженерных кадров, реализуемую вместе с Satbayev University. "
                "Участие в круглом столе — условно.",
                "kk": "ШҚТУ-дың ғылым және инновациялар жөніндегі проректоры; Satbayev "
                "University-мен бірге іске асырылған инженер кадрларды даярлаудың ұлттық "
                "моделін таныстырған. Дөңгелек үстелге қатысуы шартты түрде.",
            },
        ),
        SpeakerData(
            key="rommel",
            honorific="Prof. Dr.",
            given_name="Wolrad",
            family_name="Rommel",
            position="President of the German-Kazakh University",
            organisation="dku",
            country="DE",
            biography={
                "en": "President of the German-Kazakh University, the partner of EKTU in KGI. His "
                "part in this round table is illustrative.",
                "de": "Präsident der Deutsch-Kasachischen Universität, Partnerin der EKTU im KGI. "
                "Seine Teilnahme am Runden Tisch ist illustrativ.",
                "ru": "Президент Казахстанско-Немецкого университета, партнёра ВКТУ в KGI. "
                "Участие в круглом столе — условно.",
            },
        ),
        SpeakerData(
            key="gross",
            honorific="Dr.-Ing.",
            given_name="Jürgen",
            family_name="Groß",
            position="Extractive metallurgy (illustrative)",
            organisation="tubaf",
            country="DE",
            biography=_mark(
                {
                    "en": "Works on the extraction of rare earth elements. Person",
                    "de": "Arbeitet zur Gewinnung Seltener Erden. Person",
                }
            ),
        ),
    ),
    sessions=(
        SessionData(
            0,
            "09:30",
            "10:00",
            "ceremony",
            {"ru": "Открытие", "kk": "Ашылу", "de": "Eröffnung", "en": "Opening"},
            _mark({"ru": "Программа", "kk": "Бағдарлама", "de": "Programm", "en": "Programme"}),
            _RE_HALL,
            "ru",
            (("konurbayeva", "chair"),),
        ),
        SessionData(
            0,
            "10:00",
            "10:45",
            "keynote",
            {
                "ru": "KGI: совместный казахстанско-немецкий институт металлургии и горного дела",
                "kk": "KGI: металлургия мен тау-кен ісінің бірлескен қазақ-неміс институты",
                "de": "KGI: ein gemeinsames kasachisch-deutsches Institut für Metallurgie "
                "und Bergbau",
                "en": "KGI: a joint Kazakh–German institute for metallurgy and mining",
            },
            _mark(
                {"en": "Speaker and time slot", "ru": "Докладчик и время", "de": "Redner und Zeit"}
            ),
            _RE_HALL,
            "en",
            (("rommel", "speaker"),),
        ),
        SessionData(
            0,
            "10:45",
            "11:15",
            "break",
            {"ru": "Кофе-брейк", "kk": "Кофе-брейк", "de": "Kaffeepause", "en": "Coffee break"},
            {},
            None,
        ),
        SessionData(
            0,
            "11:15",
            "12:45",
            "round_table",
            {
                "ru": "Редкоземельные металлы: спрос, добыча и переработка",
                "kk": "Сирек жер металдары: сұраныс, өндіру және өңдеу",
                "de": "Seltene Erden: Nachfrage, Gewinnung und Verarbeitung",
                "en": "Rare earth metals: demand, extraction and processing",
            },
            _mark(
                {
                    "en": "Participants and time slot",
                    "ru": "Участники и время",
                    "kk": "Қатысушылар мен уақыты",
                }
            ),
            _RE_HALL,
            "ru",
            (("konurbayeva", "moderator"), ("gross", "panelist"), ("rommel", "panelist")),
        ),
        SessionData(
            0,
            "12:45",
            "14:00",
            "break",
            {"ru": "Обед", "kk": "Түскі ас", "de": "Mittagspause", "en": "Lunch"},
            {},
            None,
        ),
        SessionData(
            0,
            "14:00",
            "15:30",
            "lab_visit",
            {
                "ru": "Посещение научных центров и лабораторий KGI",
                "kk": "KGI ғылыми орталықтары мен зертханаларына бару",
                "de": "Besuch der Forschungszentren und Labore des KGI",
                "en": "Visit to KGI's research centres and laboratories",
            },
            _mark({"en": "Route and time slot", "ru": "Маршрут и время"}),
            _RE_LAB,
        ),
        SessionData(
            1,
            "09:30",
            "11:00",
            "workshop",
            {
                "ru": "Магистратура двух дипломов: металлургия, геология, горное дело",
                "kk": "Қос дипломды магистратура: металлургия, геология, тау-кен ісі",
                "de": "Doppelabschluss-Master: Metallurgie, Geologie, Bergbau",
                "en": "Dual-degree master's programmes: metallurgy, geology, mining",
            },
            _mark(
                {
                    "en": "With German partner universities such as Freiberg and Cottbus-"
                    "Senftenberg. Format and time slot",
                    "de": "Mit deutschen Partneruniversitäten wie Freiberg und Cottbus-"
                    "Senftenberg. Format und Zeit",
                    "ru": "С немецкими университетами-партнёрами, например Фрайберг и Котбус-"
                    "Зенфтенберг. Формат и время",
                }
            ),
            _RE_HALL,
            "de",
            (("gross", "speaker"),),
        ),
        SessionData(
            1,
            "11:00",
            "11:30",
            "break",
            {"ru": "Кофе-брейк", "kk": "Кофе-брейк", "de": "Kaffeepause", "en": "Coffee break"},
            {},
            None,
        ),
        SessionData(
            1,
            "11:30",
            "13:00",
            "round_table",
            {
                "ru": "Следующие шаги: совместные проекты и партнёры из промышленности",
                "kk": "Келесі қадамдар: бірлескен жобалар және өнеркәсіптегі серіктестер",
                "de": "Nächste Schritte: gemeinsame Projekte und Partner aus der Industrie",
                "en": "Next steps: joint projects and partners from industry",
            },
            _mark({"en": "Time slot", "ru": "Время", "kk": "Уақыты", "de": "Zeitfenster"}),
            _RE_HALL,
            "ru",
            (("konurbayeva", "moderator"),),
        ),
        SessionData(
            1,
            "13:00",
            "13:30",
            "ceremony",
            {"ru": "Закрытие", "kk": "Жабылу", "de": "Abschluss", "en": "Closing"},
            {},
            _RE_HALL,
        ),
    ),
)

EVENTS: tuple[EventData, ...] = (SCIENCE_DAY, KARIU_AGH, RARE_EARTHS)
