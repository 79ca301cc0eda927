from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from events.accounts import audit, ratelimit, services
from events.accounts.models import AuditEntry, RateLimitBucket
from events.errors import Conflict, InvalidInput
from tests.accounts_support import PASSWORD, make_people

T0 = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)


async def test_email_is_unique_case_insensitively_and_nfc(db) -> None:  # type: ignore[no-untyped-def]
    user = await services.create_user(
        db, "  Aigerim@Example.KZ ", display_name="Айгерім Сәрсенбаева"
    )
    assert user.email == "aigerim@example.kz"
    with pytest.raises(Conflict):
        await services.create_user(db, "AIGERIM@example.kz")
    assert (await services.get_user(db, "aigerim@EXAMPLE.kz")) is user
    decomposed = "Ju\u0308rgen Groß"
    other = await services.create_user(db, "j@example.de", display_name=decomposed)
    assert other.display_name == "Jürgen Groß"
    with pytest.raises(InvalidInput) as error:
        await services.create_user(db, "no at sign")
    assert error.value.field == "email"


async def test_login_failures_back_off_and_success_clears_them(db) -> None:  # type: ignore[no-untyped-def]
    people = await make_people(db)
    for _ in range(ratelimit.LOGIN_ACCOUNT_THRESHOLD):
        with pytest.raises(services.LoginFailed):
            await services.login(db, "org-a@example.org", "wrong", ip="10.0.0.1", now=T0)
    with pytest.raises(ratelimit.RateLimited) as locked:
        await services.login(db, "org-a@example.org", PASSWORD, ip="10.0.0.1", now=T0)
    assert locked.value.retry_after == 30
    later = T0 + timedelta(seconds=31)
    with pytest.raises(services.LoginFailed):  # one more failure doubles the lockout
        await services.login(db, "org-a@example.org", "wrong", ip="10.0.0.1", now=later)
    with pytest.raises(ratelimit.RateLimited) as again:
        await services.login(db, "org-a@example.org", PASSWORD, ip="10.0.0.1", now=later)
    assert again.value.retry_after == 60
    user = await services.login(
        db, "org-a@example.org", PASSWORD, ip="10.0.0.1", now=later + timedelta(seconds=61)
    )
    assert user.id == people.organiser_a.id and user.last_login_at is not None
    # Success cleared the account's failures; the address keeps counting.
    assert await ratelimit.locked_for(db, "login:account:org-a@example.org", 5, later) == 0
    # Unknown accounts are counted the same way (nothing tells them apart).
    with pytest.raises(services.LoginFailed):
        await services.login(db, "ghost@example.org", "x", ip="10.0.0.2", now=T0)


async def test_inactive_user_cannot_log_in(db) -> None:  # type: ignore[no-untyped-def]
    people = await make_people(db)
    people.desk_a.active = False
    with pytest.raises(services.LoginFailed):
        await services.login(db, "desk-a@example.org", PASSWORD, ip=None, now=T0)


async def test_session_timeouts_and_touch(db) -> None:  # type: ignore[no-untyped-def]
    people = await make_people(db)
    secret, session = await services.create_session(db, people.organiser_a, now=T0)
    assert session.id_hash != secret
    assert await services.load_session(db, secret, T0 + timedelta(minutes=119)) is not None
    assert await services.load_session(db, secret, T0 + timedelta(minutes=119 + 121)) is None
    secret, _ = await services.create_session(db, people.organiser_a, now=T0)
    for hour in range(1, 12):
        assert await services.load_session(db, secret, T0 + timedelta(hours=hour)) is not None
    assert await services.load_session(db, secret, T0 + timedelta(hours=12)) is None
    assert await services.load_session(db, "made-up", T0) is None


async def test_rate_limit_counts_atomically_across_sessions(db, engine) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.ext.asyncio import async_sessionmaker

    maker = async_sessionmaker(engine)
    for _ in range(2):  # two "workers", each with its own connection
        async with maker() as other:
            await ratelimit.rate_limit(other, "register:1.2.3.4", 3, 3600, now=T0)
            await other.commit()
    await ratelimit.rate_limit(db, "register:1.2.3.4", 3, 3600, now=T0 + timedelta(minutes=10))
    with pytest.raises(ratelimit.RateLimited) as limited:
        await ratelimit.rate_limit(db, "register:1.2.3.4", 3, 3600, now=T0 + timedelta(minutes=10))
    assert limited.value.retry_after == 50 * 60
    # The next window starts afresh.
    await ratelimit.rate_limit(db, "register:1.2.3.4", 3, 3600, now=T0 + timedelta(hours=1))
    assert await db.scalar(select(func.count()).select_from(RateLimitBucket)) == 2


async def test_tokens_scope_revoke_and_audit(db) -> None:  # type: ignore[no-untyped-def]
    people = await make_people(db)
    value, row = await services.create_token(db, people.organiser_all, event_id=people.event_b.id)
    principal = await services.authenticate_token(db, value, T0)
    assert principal is not None and principal.token_id == row.id
    await db.refresh(row)
    assert row.last_used_at == T0
    assert principal.via == "token" and principal.csrf_token is None
    assert principal.id == people.organiser_all.id and principal.email == people.organiser_all.email
    assert [(g.role, g.event_id) for g in principal.grants] == [("organiser", people.event_b.id)]
    await services.revoke_token(db, row.prefix)
    assert await services.authenticate_token(db, value, T0) is None
    actions = (await db.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all()
    assert actions[-2:] == ["token.create", "token.revoke"]


async def test_set_password_link_is_single_use_and_expires(db) -> None:  # type: ignore[no-untyped-def]
    people = await make_people(db)
    link = await services.new_set_password_link(db, people.desk_a, "http://x", now=T0)
    secret = link.rsplit("/", 1)[1]
    with pytest.raises(InvalidInput):
        await services.use_set_password_link(db, secret, None, now=T0 + timedelta(hours=73))
    await services.use_set_password_link(db, secret, "a new password", now=T0 + timedelta(hours=1))
    with pytest.raises(InvalidInput):
        await services.use_set_password_link(db, secret, "another password", now=T0)


async def test_ensure_admin_creates_only_once(db) -> None:  # type: ignore[no-untyped-def]
    made = await services.ensure_admin(db, "admin@localhost")
    assert made is not None and made[0].is_admin and len(made[1]) >= 16
    assert await services.ensure_admin(db, "admin@localhost") is None


async def test_audit_record_and_list_per_event(db) -> None:  # type: ignore[no-untyped-def]
    people = await make_people(db)
    await audit.record(
        db, people.organiser_a, "registration.export", people.event_a.id,
        target="csv", details={"rows": 12}, ip="10.1.1.1", at=T0,
    )  # fmt: skip
    await audit.record(db, people.organiser_b, "registration.export", people.event_b.id, at=T0)
    entries = await audit.entries(db, people.event_a.id)
    assert [(e.actor_label, e.action, e.details) for e in entries if e.action != "role.grant"] == [
        ("org-a@example.org", "registration.export", {"rows": 12})
    ]


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_rate_limit_apart_counts_at_once_and_stays_counted(db, engine, backend) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from events.db.statements import driver_connection

    # The request's own transaction is open (and later rolled back, as a refused request is).
    await db.execute(select(1))
    await ratelimit.rate_limit_apart(engine, db, "register:5.6.7.8", 2, 3600, now=T0)
    maker = async_sessionmaker(engine)
    async with maker() as other:
        # Counted and committed already: another worker sees it, and its row is not locked.
        seen = await other.scalar(
            select(RateLimitBucket.count).where(RateLimitBucket.key == "register:5.6.7.8")
        )
        assert seen == 1
        await other.commit()
        # No transaction open on this one's connection: counted there, committed at once, and
        # the connection is left without a transaction (no second connection taken).
        await ratelimit.rate_limit_apart(engine, other, "register:5.6.7.8", 2, 3600, now=T0)
        assert not (await driver_connection(other)).is_in_transaction()
        async with maker() as third:
            seen = await third.scalar(
                select(RateLimitBucket.count).where(RateLimitBucket.key == "register:5.6.7.8")
            )
        assert seen == 2
    await db.rollback()
    with pytest.raises(ratelimit.RateLimited):
        await ratelimit.rate_limit_apart(engine, db, "register:5.6.7.8", 2, 3600, now=T0)


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
async def test_a_token_in_use_elsewhere_is_not_waited_for(db, engine, backend) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from sqlalchemy.ext.asyncio import async_sessionmaker

    from events.accounts.models import ApiToken

    people = await make_people(db)
    value, token = await services.create_token(db, people.desk_a)
    await db.commit()
    maker = async_sessionmaker(engine)
    async with maker() as holder, maker() as desk:
        # Another request is touching the shared token and has not committed yet.
        await holder.execute(select(ApiToken.id).where(ApiToken.id == token.id).with_for_update())
        later = T0 + timedelta(days=1)
        principal = await asyncio.wait_for(services.authenticate_token(desk, value, later), 5)
        assert principal is not None and principal.id == people.desk_a.id
        await desk.commit()
        await holder.rollback()
    # Without another request in the way, the use is recorded.
    async with maker() as desk:
        await services.authenticate_token(desk, value, T0 + timedelta(days=2))
        await desk.commit()
        assert await desk.scalar(
            select(ApiToken.last_used_at).where(ApiToken.id == token.id)
        ) == T0 + timedelta(days=2)
