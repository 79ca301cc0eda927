"""The organiser's registration pages: list, search, filters, actions, exports, import, invitations,
settings; every action and export audited; other organisers and desk staff refused."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from events.accounts import services as accounts
from events.accounts.models import AuditEntry, User
from events.agenda.models import Event
from events.mail.models import OutboxMessage
from events.registration import manage, services
from events.registration.models import (
    Invitation,
    Question,
    Registration,
    RegistrationSettings,
)
from events.settings import Settings
from tests.accounts_support import PASSWORD_HASH, new_event, sign_in
from tests.unit.registration.factories import open_event, person

SLUG = "rare-earths-round-table"
PAGES = f"/manage/events/{SLUG}/registrations"


@dataclass
class Staff:
    organiser: User
    other_organiser: User
    desk: User


async def make_staff(db: AsyncSession, event: Event) -> Staff:
    other = new_event("other-event", "Other")
    db.add(other)
    await db.flush()
    organiser = await accounts.create_user(db, "org@example.org")
    await accounts.grant_role(db, organiser, "organiser", event.id)
    other_organiser = await accounts.create_user(db, "other@example.org")
    await accounts.grant_role(db, other_organiser, "organiser", other.id)
    desk = await accounts.create_user(db, "desk@example.org")
    await accounts.grant_role(db, desk, "desk", event.id)
    for user in (organiser, other_organiser, desk):
        user.password_hash = PASSWORD_HASH
    await db.commit()
    return Staff(organiser, other_organiser, desk)


async def seed(db: AsyncSession, settings: Settings, count: int = 3, **options) -> Staff:  # type: ignore[no-untyped-def]
    event = await open_event(db, **options)
    for n in range(count):
        await services.register(db, settings, SLUG, person(n))
    await db.commit()
    return await make_staff(db, event)


# On SQLite every transaction holds the write lock (BEGIN IMMEDIATE): each read of the test's own
# session ends its transaction before the app is called again.


async def ids_by_email(db: AsyncSession) -> dict[str, int]:
    rows = (await db.execute(select(Registration.email, Registration.id))).all()
    await db.commit()
    return dict(rows)  # type: ignore[arg-type]


async def status_of(db: AsyncSession, registration_id: int) -> str:
    status = await db.scalar(select(Registration.status).where(Registration.id == registration_id))
    await db.commit()
    assert status is not None
    return status


async def audit_actions(db: AsyncSession) -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    rows = list(await db.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    await db.commit()
    prefixes = ("registration.", "invitation.")
    return [(e.action, e.target, dict(e.details)) for e in rows if e.action.startswith(prefixes)]


async def test_list_search_filter_and_pages(
    client, db: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    staff = await seed(db, settings, 3, capacity=2)
    await services.register(
        db, settings, SLUG, person(9, given_name="Jürgen", family_name="Groß", category="press",
                                   email="jurgen@tu-berlin.de", organisation="TU Berlin")
    )  # fmt: skip
    await db.commit()
    await sign_in(client, settings, staff.organiser)
    page = await client.get(PAGES)
    assert page.status_code == 200
    assert page.text.count('href="/manage/events/rare-earths-round-table/registrations/') >= 4
    assert "Сәрсенбаева 0" in page.text and "Groß" in page.text
    assert 'aria-current="page">Registrations' in page.text  # the event's navigation

    waiting = await client.get(PAGES, params={"status": "waitlisted"})
    assert "aigerim2@example.kz" in waiting.text and "aigerim0@example.kz" not in waiting.text
    press = await client.get(PAGES, params={"category": "press"})
    assert "jurgen@tu-berlin.de" in press.text and "aigerim0@example.kz" not in press.text
    by_name = await client.get(PAGES, params={"q": "сәрсенбаева"})  # any case, Kazakh letters
    assert by_name.text.count("@example.kz</td>") == 3
    by_org = await client.get(PAGES, params={"q": "tu berlin"})
    assert by_org.text.count("</td>\n      <td>TU Berlin") == 1
    by_mail = await client.get(PAGES, params={"q": "aigerim1@"})
    assert "aigerim1@example.kz" in by_mail.text and "aigerim0@example.kz" not in by_mail.text
    nothing = await client.get(PAGES, params={"q": "<script>x</script>"})
    assert "No registrations match." in nothing.text and "<script>x</script>" not in nothing.text
    # An unknown filter value is ignored rather than failing.
    assert (await client.get(PAGES, params={"status": "bogus"})).status_code == 200

    monkeypatch.setattr(manage, "PAGE_SIZE", 3)
    first = await client.get(PAGES)
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = await client.get(PAGES, params={"page": 2})
    assert second.text.count("@example.kz</td>") + second.text.count("@tu-berlin.de</td>") == 1
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
    filtered = await client.get(PAGES, params={"q": "e", "page": 1})
    assert "?q=e&amp;page=2" in filtered.text  # the pager keeps the search


async def test_each_action_changes_the_status_and_is_audited(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    staff = await seed(db, settings, 3, capacity=1)
    ids = await ids_by_email(db)
    first, second, third = (ids[f"aigerim{n}@example.kz"] for n in range(3))
    csrf = await sign_in(client, settings, staff.organiser)

    async def act(registration_id: int, action: str, **extra: str):  # type: ignore[no-untyped-def]
        return await client.post(
            f"{PAGES}/{registration_id}/{action}",
            data={"csrf_token": csrf, **extra},
            follow_redirects=False,
        )

    full = await act(second, "promote")
    assert full.status_code == 409 and "fully booked" in full.text
    assert await status_of(db, second) == "waitlisted"
    forced = await act(second, "promote", force="1")
    assert forced.status_code == 303 and forced.headers["location"].endswith("notice=promote")
    assert await status_of(db, second) == "confirmed"
    detail = await client.get(forced.headers["location"])
    assert "The registration was given a seat." in detail.text
    assert (await act(second, "resend")).status_code == 303
    assert (await act(first, "cancel")).status_code == 303
    assert await status_of(db, first) == "cancelled"
    assert (await act(third, "reject")).status_code == 303
    assert await status_of(db, third) == "rejected"

    rs = await db.scalar(select(RegistrationSettings).execution_options(populate_existing=True))
    assert rs is not None
    rs.approval_required = True
    await services.register(db, settings, SLUG, person(5))
    await db.commit()
    pending = (await ids_by_email(db))["aigerim5@example.kz"]
    assert await status_of(db, pending) == "pending"
    assert (await act(pending, "approve")).status_code == 303
    assert await status_of(db, pending) == "waitlisted"  # approved, but no seat is free

    assert [(a, t, d.get("to")) for a, t, d in await audit_actions(db)] == [
        ("registration.promote", f"registration {second}", "confirmed"),
        ("registration.resend", f"registration {second}", "confirmed"),
        ("registration.cancel", f"registration {first}", "cancelled"),
        ("registration.reject", f"registration {third}", "rejected"),
        ("registration.approve", f"registration {pending}", "waitlisted"),
    ]
    log = await client.get(f"/manage/events/{SLUG}/audit")
    assert "registration.promote" in log.text

    unknown = await act(second, "explode")
    assert unknown.status_code == 422
    without_csrf = await client.post(f"{PAGES}/{second}/cancel", data={})
    assert without_csrf.status_code == 403
    assert await status_of(db, second) == "confirmed"
    assert (await client.get(f"{PAGES}/999999")).status_code == 404


async def test_exports_neutralise_formulas_and_are_audited(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    event = await open_event(db)
    await services.register(db, settings, SLUG, person(1, organisation='=HYPERLINK("x")'))
    await services.register(db, settings, SLUG, person(2, given_name="@SUM(A1)", family_name="-1"))
    await db.commit()
    staff = await make_staff(db, event)
    await sign_in(client, settings, staff.organiser)

    response = await client.get(f"/manage/events/{SLUG}/registrations.csv")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [value for row in table for value in row.values()]
    assert '\'=HYPERLINK("x")' in cells and "'@SUM(A1)" in cells and "'-1" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)

    workbook = await client.get(f"/manage/events/{SLUG}/registrations.xlsx")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("x")' in values
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)

    one = (await ids_by_email(db))["aigerim1@example.kz"]
    data = await client.get(f"{PAGES}/{one}/data.json")
    assert data.status_code == 200 and "attachment" in data.headers["content-disposition"]
    assert json.loads(data.content)["email"] == "aigerim1@example.kz"

    exports = [(a, d) for a, _t, d in await audit_actions(db)]
    assert exports == [
        ("registration.export", {"format": "csv", "rows": 2}),
        ("registration.export", {"format": "xlsx", "rows": 2}),
        ("registration.export", {"format": "json"}),
    ]


async def test_api_exports_and_actions_are_audited(
    db: AsyncSession, settings: Settings, admin_client
) -> None:  # type: ignore[no-untyped-def]
    await open_event(db, capacity=1)
    for n in range(2):
        await services.register(db, settings, SLUG, person(n))
    await db.commit()
    api = f"/api/v1/events/{SLUG}"
    assert (await admin_client.get(f"{api}/registrations.csv")).status_code == 200
    assert (await admin_client.get(f"{api}/registrations.xlsx")).status_code == 200
    waiting = (await ids_by_email(db))["aigerim1@example.kz"]
    assert (await admin_client.get(f"{api}/registrations/{waiting}/data")).status_code == 200
    promoted = await admin_client.post(f"{api}/registrations/{waiting}/promote?force=true")
    assert promoted.json()["status"] == "confirmed"
    body = {"capacity": 5, "privacy_notice": {"en": "Notice"}}
    assert (await admin_client.put(f"{api}/registration-settings", json=body)).status_code == 200
    actions = [(a, d.get("format")) for a, _t, d in await audit_actions(db)]
    assert actions == [
        ("registration.export", "csv"),
        ("registration.export", "xlsx"),
        ("registration.export", "json"),
        ("registration.promote", None),
        ("registration.settings", None),
    ]
    changed = (await audit_actions(db))[-1][2]["changed"]
    assert "capacity" in changed and "privacy_notice" in changed


async def test_import_dry_run_reports_bad_rows_and_stores_nothing(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    staff = await seed(db, settings, 0, capacity=5)
    csrf = await sign_in(client, settings, staff.organiser)
    assert (await client.get(f"{PAGES}/import")).status_code == 200
    bad = (
        "given_name,family_name,email,organisation,country,category\n"
        "Jürgen,Groß,jurgen@example.de,TU Berlin,DE,speaker\n"
        ",Wójcik,not-an-email,AGH,PL,participant\n"
        "Айгерім,Сәрсенбаева,aigerim@example.kz,KarIU,QQ,astronaut\n"
    )
    files = {"file": ("people.csv", bad.encode(), "text/csv")}
    report = await client.post(
        f"{PAGES}/import", data={"csrf_token": csrf, "mode": "dry_run"}, files=files
    )
    assert report.status_code == 422
    rows = re.findall(r"<tr><td>(\d+)</td><td><code>(\w+)</code>", report.text)
    assert set(rows) == {("3", "given_name"), ("3", "email"), ("4", "country"), ("4", "category")}
    assert "Nothing was stored." in report.text
    real = await client.post(
        f"{PAGES}/import", data={"csrf_token": csrf, "mode": "import"}, files=files
    )
    assert real.status_code == 422
    assert list(await db.scalars(select(Registration))) == []
    await db.commit()

    good = "\n".join(bad.splitlines()[:2]) + "\n"
    checked = await client.post(
        f"{PAGES}/import",
        data={"csrf_token": csrf, "mode": "dry_run"},
        files={"file": ("people.csv", good.encode(), "text/csv")},
    )
    assert checked.status_code == 200 and "Every row is valid" in checked.text
    assert list(await db.scalars(select(Registration))) == []
    await db.commit()
    # The page carries the checked file on: importing needs no second upload.
    carried = re.search(r'<textarea name="content" hidden>(.*?)</textarea>', checked.text, re.S)
    assert carried is not None
    done = await client.post(
        f"{PAGES}/import", data={"csrf_token": csrf, "mode": "import", "content": good}
    )
    assert done.status_code == 200 and "Imported: 1." in done.text
    assert list(await db.scalars(select(Registration.family_name))) == ["Groß"]
    await db.commit()
    assert [a for a, _t, _d in await audit_actions(db)] == ["registration.import"]
    empty = await client.post(f"{PAGES}/import", data={"csrf_token": csrf, "mode": "dry_run"})
    assert empty.status_code == 400 and 'id="file-error"' in empty.text


async def test_invitations_single_csv_and_reminders(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    staff = await seed(db, settings, 0, invitation_only=True)
    csrf = await sign_in(client, settings, staff.organiser)
    invited = await client.post(
        f"{PAGES}/invitations",
        data={"csrf_token": csrf, "email": "Minister@Gov.kz", "given_name": "Асқар",
              "family_name": "", "category": "guest", "language": "kk"},
        follow_redirects=False,
    )  # fmt: skip
    assert invited.status_code == 303
    page = await client.get(invited.headers["location"])
    assert "minister@gov.kz" in page.text and "invitation=" in page.text
    twice = await client.post(
        f"{PAGES}/invitations",
        data={"csrf_token": csrf, "email": "minister@gov.kz", "category": "guest",
              "language": "kk"},
    )  # fmt: skip
    assert twice.status_code == 409 and "already been invited" in twice.text
    wrong = await client.post(
        f"{PAGES}/invitations",
        data={"csrf_token": csrf, "email": "nope", "category": "guest", "language": "kk"},
    )
    assert wrong.status_code == 422 and 'id="inv-email-error"' in wrong.text

    csv_body = "email,given_name,category,language\nbroken\nrector@agh.edu.pl,Jerzy,delegation,en\n"
    dry = await client.post(
        f"{PAGES}/invitations/import",
        data={"csrf_token": csrf, "mode": "dry_run"},
        files={"file": ("i.csv", csv_body.encode(), "text/csv")},
    )
    assert dry.status_code == 422 and "<tr><td>2</td><td><code>email</code>" in dry.text
    good = "email,given_name,category,language\nrector@agh.edu.pl,Jerzy,delegation,en\n"
    done = await client.post(
        f"{PAGES}/invitations/import", data={"csrf_token": csrf, "mode": "import", "content": good}
    )
    assert done.status_code == 200 and "rector@agh.edu.pl" in done.text
    reminded = await client.post(
        f"{PAGES}/invitations/remind", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert reminded.status_code == 303
    assert len(list(await db.scalars(select(Invitation.id)))) == 2
    kinds = list(await db.scalars(select(OutboxMessage.kind)))
    await db.commit()
    assert kinds.count("invitation.invitation") == 2 and kinds.count("invitation.reminder") == 2
    assert [a for a, _t, _d in await audit_actions(db)] == [
        "invitation.create",
        "invitation.import",
        "invitation.remind",
    ]


async def test_settings_form_opens_changes_and_keeps_answers(
    client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    event = await new_event_without_registration(db)
    staff = await make_staff(db, event)
    csrf = await sign_in(client, settings, staff.organiser)
    page = await client.get(f"{PAGES}/settings")
    assert page.status_code == 200 and "Saving this form opens it" in page.text
    form = {
        "csrf_token": csrf, "opens_at": "", "closes_at": "2030-05-13T18:00", "capacity": "40",
        "capacity_press": "5", "public_participant": "1", "colour_participant": "#2563eb",
        "public_press": "1", "colour_press": "#dc2626", "waitlist_enabled": "1",
        "privacy_en": "We keep your data until the event ends.", "privacy_kk": "Деректер",
        "q0_kind": "single", "q0_label_en": "Which session?", "q0_label_kk": "Қай сессия?",
        "q0_options": "mining = Mining\npolicy = Policy", "q0_required": "1",
        "q1_kind": "text", "q1_label_en": "", "q1_options": "",
    }  # fmt: skip
    saved = await client.post(f"{PAGES}/settings", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    rs = await db.scalar(select(RegistrationSettings))
    assert rs is not None
    assert (rs.capacity, rs.category_capacity, rs.waitlist_enabled) == (40, {"press": 5}, True)
    assert set(rs.public_categories) == {"participant", "press"} and not rs.invitation_only
    assert rs.closes_at is not None and rs.closes_at.hour == 13  # 18:00 in Almaty (UTC+5)
    question = await db.scalar(select(Question))
    assert question is not None and question.required
    assert question.options == [
        {"value": "mining", "label": {"en": "Mining"}},
        {"value": "policy", "label": {"en": "Policy"}},
    ]
    await db.commit()
    shown = await client.get(f"{PAGES}/settings")
    assert 'value="40"' in shown.text and "mining = Mining" in shown.text

    # An answer given to the question keeps its meaning when the question's text is corrected.
    await services.register(db, settings, SLUG, person(1, answers={str(question.id): "mining"}))
    await db.commit()
    corrected = dict(form, q0_label_en="Which session will you attend?")
    assert (await client.post(f"{PAGES}/settings", data=corrected)).status_code == 200
    assert list(await db.scalars(select(Question.id))) == [question.id]
    await db.commit()

    bad = dict(form, capacity="many", privacy_en="", q0_label_en="")
    refused = await client.post(f"{PAGES}/settings", data=bad)
    assert refused.status_code == 422
    for field in ("capacity", "privacy_notice", "questions-0-label"):
        assert f'id="{field}-error"' in refused.text
    assert (await db.scalar(select(RegistrationSettings.capacity))) == 40
    await db.commit()

    closed = await client.post(
        f"{PAGES}/settings/close", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert closed.status_code == 303
    assert await db.scalar(select(RegistrationSettings.id)) is None
    await db.commit()
    assert [a for a, _t, d in await audit_actions(db)] == [
        "registration.settings",
        "registration.settings",
        "registration.close",
    ]


async def new_event_without_registration(db: AsyncSession) -> Event:
    event = await open_event(db, commit=False)
    rs = await db.scalar(select(RegistrationSettings))
    await db.delete(rs)
    await db.commit()
    return event


@pytest.mark.parametrize("who", ["other_organiser", "desk"])
async def test_other_organisers_and_desk_staff_are_refused(
    who: str, client, db: AsyncSession, settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    staff = await seed(db, settings, 1)
    one = next(iter((await ids_by_email(db)).values()))
    csrf = await sign_in(client, settings, getattr(staff, who))
    for path in (
        PAGES, f"{PAGES}/{one}", f"{PAGES}/{one}/data.json", f"{PAGES}/import",
        f"{PAGES}/invitations", f"{PAGES}/settings", f"/manage/events/{SLUG}/registrations.csv",
        f"/manage/events/{SLUG}/registrations.xlsx",
    ):  # fmt: skip
        assert (await client.get(path)).status_code == 403, path
    for path in (f"{PAGES}/{one}/cancel", f"{PAGES}/settings/close", f"{PAGES}/invitations/remind"):
        assert (await client.post(path, data={"csrf_token": csrf})).status_code == 403, path
    assert await status_of(db, one) == "confirmed"
    assert await audit_actions(db) == []
