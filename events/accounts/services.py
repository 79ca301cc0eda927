"""Accounts rules: users, roles, login, sessions, API tokens, invitations. No HTTP here."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from events import i18n
from events.accounts import audit, ratelimit
from events.accounts.access import CurrentUser, Grant
from events.accounts.models import (
    ApiToken,
    Role,
    RoleAssignment,
    SetPasswordToken,
    User,
    WebSession,
)
from events.accounts.security import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    SESSION_ABSOLUTE_TIMEOUT,
    SESSION_IDLE_TIMEOUT,
    SESSION_TOUCH_INTERVAL,
    SET_PASSWORD_TTL,
    digest,
    hash_password,
    needs_rehash,
    new_api_token,
    new_secret,
    utcnow,
    verify_password,
)
from events.agenda.models import Event
from events.db.statements import execute_core, fetch_rows
from events.errors import Conflict, Forbidden, InvalidInput, NotFound

# local@domain; the domain may be "localhost" (the first admin) or any (IDN) host name.
_EMAIL = re.compile(r"^[^@\s<>\"',;()\[\]]+@(?!\.)[^@\s<>\"',;()\[\]]+(?<!\.)$")
ROLES = (Role.ORGANISER.value, Role.DESK.value)


class LoginFailed(InvalidInput):
    def __init__(self) -> None:
        # One message for an unknown e-mail, a wrong password and a disabled account.
        super().__init__(
            "login_failed", i18n.gettext("The e-mail or the password is wrong."), field="password"
        )


def normalize_email(email: str) -> str:
    return unicodedata.normalize("NFC", email or "").strip().lower()


def clean_email(email: str) -> str:
    value = normalize_email(email)
    if not value or len(value) > 320 or not _EMAIL.match(value):
        raise InvalidInput(
            "invalid_email", i18n.gettext("Enter a valid e-mail address."), field="email"
        )
    return value


def check_password(password: str) -> None:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise InvalidInput(
            "password_too_short",
            i18n.gettext(
                "The password needs at least %(count)s characters.", count=PASSWORD_MIN_LENGTH
            ),
            field="password",
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise InvalidInput(
            "password_too_long", i18n.gettext("The password is too long."), field="password"
        )


def generate_password() -> str:
    return secrets.token_urlsafe(15)


# --- users and roles -----------------------------------------------------------------------


async def get_user(db: AsyncSession, email: str) -> User | None:
    user: User | None = await db.scalar(select(User).where(User.email == normalize_email(email)))
    return user


async def require_user(db: AsyncSession, email: str) -> User:
    user = await get_user(db, email)
    if user is None:
        raise NotFound("user", normalize_email(email))
    return user


async def create_user(
    db: AsyncSession,
    email: str,
    *,
    display_name: str = "",
    password: str | None = None,
    is_admin: bool = False,
    active: bool = True,
) -> User:
    address = clean_email(email)
    if await get_user(db, address) is not None:
        raise Conflict(
            "user_exists", i18n.gettext("A user with this e-mail already exists."), field="email"
        )
    if password is not None:
        check_password(password)
    user = User(
        email=address,
        display_name=unicodedata.normalize("NFC", display_name.strip())[:200],
        password_hash=hash_password(password) if password is not None else None,
        is_admin=is_admin,
        active=active,
        roles=[],
    )
    db.add(user)
    await db.flush()
    return user


async def set_password(db: AsyncSession, user: User, password: str) -> None:
    check_password(password)
    user.password_hash = hash_password(password)
    # A new password ends every session and unused link of the account.
    await db.execute(delete(WebSession).where(WebSession.user_id == user.id))
    await db.execute(delete(SetPasswordToken).where(SetPasswordToken.user_id == user.id))
    await db.flush()


async def list_users(db: AsyncSession) -> list[User]:
    return list((await db.scalars(select(User).order_by(User.email))).all())


async def event_by_slug(db: AsyncSession, slug: str) -> Event:
    event = await db.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound("event", slug)
    return event


async def grant_role(
    db: AsyncSession,
    user: User,
    role: str,
    event_id: int | None,
    *,
    actor: CurrentUser | User | None = None,
    ip: str | None = None,
) -> RoleAssignment:
    if role not in ROLES:
        raise InvalidInput("invalid_role", i18n.gettext("Choose a valid role."), field="role")
    if role == Role.DESK.value and event_id is None:
        raise InvalidInput(
            "event_required", i18n.gettext("Desk staff belong to one event."), field="event"
        )
    for existing in user.roles:
        if existing.role == role and existing.event_id == event_id:
            raise Conflict(
                "role_exists", i18n.gettext("This person already has this role."), field="email"
            )
    assignment = RoleAssignment(user_id=user.id, role=role, event_id=event_id)
    user.roles.append(assignment)
    await db.flush()
    await audit.record(
        db, actor, "role.grant", event_id, target=user.email, details={"role": role}, ip=ip
    )
    return assignment


def grants_of(user: User, scope_event_id: int | None = None) -> tuple[bool, tuple[Grant, ...]]:
    """(is_admin, grants); with a scope only the roles that apply to that one event remain."""
    return _grants(user.is_admin, [Grant(r.role, r.event_id) for r in user.roles], scope_event_id)


def _grants(
    is_admin: bool, grants: list[Grant], scope_event_id: int | None
) -> tuple[bool, tuple[Grant, ...]]:
    if scope_event_id is None:
        return is_admin, tuple(grants)
    scoped = tuple(
        Grant(g.role, scope_event_id) for g in grants if g.event_id in (None, scope_event_id)
    )
    if is_admin:
        scoped += (Grant(Role.ORGANISER.value, scope_event_id),)
    return False, scoped


# --- login and sessions --------------------------------------------------------------------


def _account_key(email: str) -> str:
    return f"login:account:{normalize_email(email)[:320]}"


def _address_key(ip: str | None) -> str:
    return f"login:address:{ip or 'unknown'}"


async def login(
    db: AsyncSession, email: str, password: str, *, ip: str | None, now: datetime | None = None
) -> User:
    """Check the credentials with back-off; raises RateLimited or LoginFailed."""
    now = now or utcnow()
    account_key, address_key = _account_key(email), _address_key(ip)
    wait = max(
        await ratelimit.locked_for(db, account_key, ratelimit.LOGIN_ACCOUNT_THRESHOLD, now),
        await ratelimit.locked_for(db, address_key, ratelimit.LOGIN_ADDRESS_THRESHOLD, now),
    )
    if wait:
        raise ratelimit.RateLimited(wait)
    user = await get_user(db, email) if len(email) <= 320 else None
    password = password[:PASSWORD_MAX_LENGTH]
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or not matches or not user.active:
        await ratelimit.record_failure(db, account_key, now)
        await ratelimit.record_failure(db, address_key, now)
        await audit.record(
            db, None, "login.failed", target=normalize_email(email)[:300], ip=ip, at=now
        )
        raise LoginFailed()
    await ratelimit.clear(db, account_key)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    await audit.record(db, user, "login", ip=ip, at=now)
    return user


async def create_session(
    db: AsyncSession,
    user: User,
    *,
    ip: str | None = None,
    now: datetime | None = None,
    replaces: str | None = None,
) -> tuple[str, WebSession]:
    """A new session (new id at every login); ``replaces`` (an old cookie) is ended first."""
    now = now or utcnow()
    if replaces:
        await end_session(db, replaces)
    secret = new_secret()
    session = WebSession(
        id_hash=digest(secret),
        user_id=user.id,
        csrf_token=new_secret(),
        last_seen_at=now,
        ip=ip,
        created_at=now,
    )
    db.add(session)
    await db.flush()
    return secret, session


def session_alive(session: WebSession, now: datetime) -> bool:
    return (
        now - session.last_seen_at < SESSION_IDLE_TIMEOUT
        and now - session.created_at < SESSION_ABSOLUTE_TIMEOUT
    )


async def load_session(
    db: AsyncSession, secret: str, now: datetime | None = None
) -> WebSession | None:
    """The live session for a cookie value (touched), else None (expired ones are deleted)."""
    now = now or utcnow()
    # Every request asks this: one statement (joins) instead of one per relationship.
    session = (
        (
            await db.execute(
                select(WebSession)
                .where(WebSession.id_hash == digest(secret))
                .options(joinedload(WebSession.user).joinedload(User.roles))
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if session is None:
        return None
    if not session_alive(session, now) or not session.user.active:
        await db.delete(session)
        await db.flush()
        return None
    if now - session.last_seen_at >= SESSION_TOUCH_INTERVAL:
        session.last_seen_at = now
        await db.flush()
    return session


async def end_session(db: AsyncSession, secret: str) -> None:
    await db.execute(delete(WebSession).where(WebSession.id_hash == digest(secret)))


async def purge_sessions(db: AsyncSession, now: datetime | None = None) -> int:
    """Delete every expired session (events.accounts.housekeeping calls this on a timer)."""
    now = now or utcnow()
    result = await db.execute(
        delete(WebSession).where(
            (WebSession.last_seen_at < now - SESSION_IDLE_TIMEOUT)
            | (WebSession.created_at < now - SESSION_ABSOLUTE_TIMEOUT)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def principal_for_session(session: WebSession) -> CurrentUser:
    user = session.user
    is_admin, grants = grants_of(user)
    return CurrentUser(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        is_admin=is_admin,
        grants=grants,
        via="session",
        csrf_token=session.csrf_token,
        session_id=session.id,
    )


# --- API tokens ----------------------------------------------------------------------------


async def create_token(
    db: AsyncSession,
    user: User,
    *,
    event_id: int | None = None,
    name: str = "",
    actor: CurrentUser | User | None = None,
) -> tuple[str, ApiToken]:
    """A new token; the plain value is returned once and never stored."""
    prefix, token = new_api_token()
    row = ApiToken(
        user_id=user.id, prefix=prefix, token_hash=digest(token), name=name[:120], event_id=event_id
    )
    db.add(row)
    await db.flush()
    await audit.record(
        db, actor, "token.create", event_id, target=user.email, details={"prefix": prefix}
    )
    return token, row


# Who holds a token, with their roles, in one statement (one row per role). Every desk scan and
# API call asks this first, so it reads plain columns instead of loading three ORM objects.
_TOKEN_HOLDER = (
    select(
        ApiToken.id,
        ApiToken.event_id,
        ApiToken.revoked_at,
        ApiToken.last_used_at,
        User.id.label("user_id"),
        User.email,
        User.display_name,
        User.is_admin,
        User.active,
        RoleAssignment.role,
        RoleAssignment.event_id.label("role_event_id"),
    )
    .join(User, User.id == ApiToken.user_id)
    .outerjoin(RoleAssignment, RoleAssignment.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)
# Touched at most once a minute, and never waited for: when another request is touching the same
# token (many desks may share one), its row is skipped instead of locked until both commit (a
# convoy of every request in flight, once a minute).
_TOUCH_TOKEN = (
    update(ApiToken)
    .where(
        ApiToken.id
        == select(ApiToken.id)
        .where(ApiToken.id == bindparam("token_id"))
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    .values(last_used_at=bindparam("now"))
)


async def authenticate_token(
    db: AsyncSession, token: str, now: datetime | None = None
) -> CurrentUser | None:
    """The principal of a live API token (its last use touched), else None."""
    now = now or utcnow()
    if not token.startswith("ev_") or len(token) > 100:
        return None
    rows = await fetch_rows(db, _TOKEN_HOLDER, {"token_hash": digest(token)})
    if not rows or rows[0]["revoked_at"] is not None or not rows[0]["active"]:
        return None
    first = rows[0]
    last_used_at = first["last_used_at"]
    if last_used_at is None or now - last_used_at >= SESSION_TOUCH_INTERVAL:
        await execute_core(db, _TOUCH_TOKEN, {"token_id": first["id"], "now": now})
    roles = [Grant(r["role"], r["role_event_id"]) for r in rows if r["role"] is not None]
    is_admin, grants = _grants(first["is_admin"], roles, first["event_id"])
    return CurrentUser(
        id=first["user_id"],
        email=first["email"],
        display_name=first["display_name"],
        is_admin=is_admin,
        grants=grants,
        via="token",
        token_id=first["id"],
    )


async def list_tokens(db: AsyncSession, user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
    return list((await db.scalars(query)).all())


async def revoke_token(
    db: AsyncSession, prefix: str, *, actor: CurrentUser | User | None = None
) -> ApiToken:
    row = await db.scalar(select(ApiToken).where(ApiToken.prefix == prefix.strip()))
    if row is None:
        raise NotFound("token", prefix)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        await db.flush()
        await audit.record(
            db,
            actor,
            "token.revoke",
            row.event_id,
            target=row.user.email,
            details={"prefix": prefix},
        )
    return row


# --- admins --------------------------------------------------------------------------------


async def ensure_admin(db: AsyncSession, email: str) -> tuple[User, str] | None:
    """Create the first admin when there is none: (user, one-time password); else None."""
    exists = await db.scalar(select(func.count()).select_from(User).where(User.is_admin.is_(True)))
    if exists:
        return None
    password = generate_password()
    user = await get_user(db, email)
    if user is None:
        user = await create_user(db, email, display_name="Admin", password=password, is_admin=True)
    else:
        user.is_admin, user.active = True, True
        await set_password(db, user, password)
    await audit.record(db, None, "admin.ensure", target=user.email)
    return user, password


# --- team and invitations ------------------------------------------------------------------


@dataclass
class Invitation:
    user: User
    assignment: RoleAssignment
    # The set-password link, when the person has no password yet (shown once).
    link: str | None


async def new_set_password_link(
    db: AsyncSession, user: User, base_url: str, now: datetime | None = None
) -> str:
    now = now or utcnow()
    secret = new_secret()
    db.add(
        SetPasswordToken(
            user_id=user.id, token_hash=digest(secret), expires_at=now + SET_PASSWORD_TTL
        )
    )
    await db.flush()
    return f"{base_url.rstrip('/')}/set-password/{secret}"


async def invite(
    db: AsyncSession,
    actor: CurrentUser,
    event: Event,
    email: str,
    role: str,
    *,
    display_name: str = "",
    base_url: str,
    ip: str | None = None,
) -> Invitation:
    """Give ``email`` a role in ``event``; a new person is created inactive with a link."""
    if role not in ROLES:
        raise InvalidInput("invalid_role", i18n.gettext("Choose a valid role."), field="role")
    user = await get_user(db, clean_email(email))
    if user is None:
        user = await create_user(db, email, display_name=display_name, active=False)
    assignment = await grant_role(db, user, role, event.id, actor=actor, ip=ip)
    link = None
    if user.password_hash is None:
        link = await new_set_password_link(db, user, base_url)
    await audit.record(
        db, actor, "team.invite", event.id, target=user.email, details={"role": role}, ip=ip
    )
    return Invitation(user=user, assignment=assignment, link=link)


async def team(db: AsyncSession, event_id: int) -> list[RoleAssignment]:
    """Everyone with a role in this event, or in every event."""
    query = (
        select(RoleAssignment)
        .join(User)
        .where((RoleAssignment.event_id == event_id) | RoleAssignment.event_id.is_(None))
        .options(selectinload(RoleAssignment.user))
        .order_by(RoleAssignment.role, User.email)
    )
    return list((await db.scalars(query)).all())


async def remove_member(
    db: AsyncSession,
    actor: CurrentUser,
    event_id: int,
    assignment_id: int,
    *,
    ip: str | None = None,
) -> None:
    assignment = await db.scalar(
        select(RoleAssignment)
        .where(RoleAssignment.id == assignment_id, RoleAssignment.event_id == event_id)
        .options(selectinload(RoleAssignment.user))
    )
    if assignment is None:
        raise NotFound("member", assignment_id)
    if assignment.user_id == actor.id:
        raise Forbidden("remove_self", i18n.gettext("You cannot remove yourself from the team."))
    email, role = assignment.user.email, assignment.role
    await db.delete(assignment)
    await db.flush()
    await audit.record(
        db, actor, "team.remove", event_id, target=email, details={"role": role}, ip=ip
    )


async def use_set_password_link(
    db: AsyncSession, secret: str, password: str | None, *, now: datetime | None = None
) -> User:
    """Check the link (and with a password: set it, activate the user, spend the link)."""
    now = now or utcnow()
    row = await db.scalar(
        select(SetPasswordToken).where(SetPasswordToken.token_hash == digest(secret[:200]))
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise InvalidInput(
            "link_invalid",
            i18n.gettext("This link is no longer valid. Ask an organiser for a new one."),
            field="token",
        )
    user = row.user
    if password is None:
        return user
    check_password(password)
    await set_password(db, user, password)
    user.active = True
    await audit.record(db, user, "password.set", target=user.email, at=now)
    return user
