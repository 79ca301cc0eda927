"""Open registration for a demo event: capacity, categories, questions, a multilingual notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from events.agenda.models import Event
from events.registration import services
from events.registration.models import Question, RegistrationSettings

PRIVACY_NOTICE = {
    "en": (
        "The organisers process your name, contact details and answers only to run this event "
        "(badges, lists at the door, information about the event). They are deleted or anonymised "
        "no later than six months after the event. You may ask for a copy or a correction at any "
        "time through your personal link or by writing to the organisers."
    ),
    "de": (
        "Die Veranstalter verarbeiten Ihren Namen, Ihre Kontaktdaten und Antworten nur zur "
        "Durchführung dieser Veranstaltung (Namensschilder, Einlasslisten, Informationen zur "
        "Veranstaltung). Sie werden spätestens sechs Monate nach der Veranstaltung gelöscht oder "
        "anonymisiert. Über Ihren persönlichen Link oder per E-Mail an die Veranstalter können Sie "
        "jederzeit Auskunft oder Berichtigung verlangen."
    ),
    "ru": (
        "Организаторы обрабатывают ваше имя, контактные данные и ответы только для проведения "
        "этого мероприятия (бейджи, списки на входе, информация о мероприятии). Данные удаляются "
        "или обезличиваются не позднее чем через шесть месяцев после мероприятия. "
        "Вы можете в любое время запросить копию или исправление через личную ссылку "
        "или написав организаторам."
    ),
    "kk": (
        "Ұйымдастырушылар сіздің атыңызды, байланыс деректеріңізді және жауаптарыңызды тек осы "
        "іс-шараны өткізу үшін өңдейді (бейджтер, кіреберістегі тізімдер, іс-шара туралы ақпарат). "
        "Деректер іс-шарадан кейін алты айдан кешіктірмей жойылады немесе иесіздендіріледі. "
        "Жеке сілтемеңіз арқылы немесе ұйымдастырушыларға жазып, кез келген уақытта көшірмесін "
        "немесе түзетуді сұрай аласыз."
    ),
}


async def configure_demo_registration(session: AsyncSession, event: Event) -> None:
    """Idempotent: an event that already has registration settings is left as it is."""
    if await services.get_registration_settings(session, event.id) is not None:
        return
    now = datetime.now(UTC)
    session.add(
        RegistrationSettings(
            event_id=event.id,
            opens_at=now - timedelta(days=1),
            closes_at=min(event.starts_at, event.ends_at),
            capacity=60,
            category_capacity={"press": 5},
            waitlist_enabled=True,
            approval_required=False,
            invitation_only=False,
            public_categories={
                "participant": "#1d4ed8",
                "delegation": "#047857",
                "press": "#b91c1c",
            },
            privacy_notice={k: v for k, v in PRIVACY_NOTICE.items() if k in event.languages}
            or {event.default_language: PRIVACY_NOTICE["en"]},
        )
    )
    session.add_all(
        [
            Question(
                event_id=event.id,
                kind="single",
                label={
                    "en": "Which part of the programme interests you most?",
                    "de": "Welcher Teil des Programms interessiert Sie am meisten?",
                    "ru": "Какая часть программы вас больше всего интересует?",
                    "kk": "Бағдарламаның қай бөлігі сізді көбірек қызықтырады?",
                },
                options=[
                    {
                        "value": "exploration",
                        "label": {
                            "en": "Exploration and mining",
                            "de": "Erkundung und Bergbau",
                            "ru": "Разведка и добыча",
                            "kk": "Барлау және өндіру",
                        },
                    },
                    {
                        "value": "processing",
                        "label": {
                            "en": "Processing and recycling",
                            "de": "Aufbereitung und Recycling",
                            "ru": "Переработка и вторичное использование",
                            "kk": "Өңдеу және қайта өңдеу",
                        },
                    },
                    {
                        "value": "policy",
                        "label": {
                            "en": "Policy and partnerships",
                            "de": "Politik und Partnerschaften",
                            "ru": "Политика и партнёрства",
                            "kk": "Саясат және серіктестік",
                        },
                    },
                ],
                required=True,
                position=1,
            ),
            Question(
                event_id=event.id,
                kind="yes_no",
                label={
                    "en": "Will you join the laboratory tour?",
                    "de": "Nehmen Sie an der Laborführung teil?",
                    "ru": "Примете ли вы участие в экскурсии по лаборатории?",
                    "kk": "Зертханаға экскурсияға қатысасыз ба?",
                },
                required=False,
                position=2,
            ),
        ]
    )
    await session.flush()
