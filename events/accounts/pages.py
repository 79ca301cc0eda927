"""HTML faces: /login, /logout, /set-password, team and audit pages (the dashboard: workspace)."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.params import Parameter
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n
from events.accounts import audit, services
from events.accounts.access import (
    CurrentUser,
    current_user,
)
from events.accounts.middleware import clock
from events.accounts.ratelimit import RateLimited
from events.accounts.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_ABSOLUTE_TIMEOUT,
    SESSION_COOKIE,
    new_secret,
    same,
    sign,
)
from events.agenda.models import Event
from events.errors import DomainError
from events.mail import compose
from events.settings import Settings
from events.web import RowId, render

PUBLIC = {"access": "public"}
USER = {"access": "user"}
ORGANISER = {"access": "organiser"}


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _ip(request: Request[Any, Any, Any]) -> str | None:
    return request.client.host if request.client else None


def _user(request: Request[Any, Any, Any]) -> CurrentUser:
    user = current_user(request)
    assert user is not None  # the guard let only signed-in users in
    return user


def safe_next(value: str | None) -> str:
    """Only a path on this site (no //host, no scheme) is a place to go after login."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return "/manage"


# --- the pre-session CSRF token of /login and /set-password (signed double submit) ----------


def _login_csrf(request: Request[Any, Any, Any]) -> tuple[str, str]:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE) or new_secret()
    return cookie, sign(_settings(request).secret_key, cookie)


def _login_csrf_ok(request: Request[Any, Any, Any], sent: str | None) -> bool:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    return bool(cookie) and same(sent, sign(_settings(request).secret_key, str(cookie)))


def _with_login_cookie(
    request: Request[Any, Any, Any], response: Response[Any], cookie: str
) -> Response[Any]:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        cookie,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_settings(request).https,
        max_age=86400,
    )
    return response


def _public_form(
    request: Request[Any, Any, Any], template: str, status_code: int = 200, **context: Any
) -> Response[Any]:
    cookie, token = _login_csrf(request)
    response = render(request, template, status_code, login_csrf=token, **context)
    return _with_login_cookie(request, response, cookie)


def _error_page(request: Request[Any, Any, Any], exc: DomainError) -> Template:
    page = render(request, "error.html", exc.status_code, message=exc.message, code=exc.code)
    page.context["status_code"] = exc.status_code
    return page


# --- login / logout ------------------------------------------------------------------------


@get("/login", opt=PUBLIC, cache=False, include_in_schema=False)
async def login_page(
    request: Request[Any, Any, Any], next_url: str | None = Parameter(query="next", default=None)
) -> Response[Any]:
    # Shown to signed-in users too: signing in again (or as someone else) renews the session.
    done = request.query_params.get("password_set") == "1"
    return _public_form(
        request, "manage/login.html", next_url=safe_next(next_url), errors={}, email="",
        password_set=done,
    )  # fmt: skip


@post("/login", opt=PUBLIC, cache=False, include_in_schema=False)
async def login_submit(request: Request[Any, Any, Any], db_session: AsyncSession) -> Response[Any]:
    form = await request.form()
    # Echoed back into the form: no control characters (NUL, RLO) in the page.
    email = "".join(c for c in str(form.get("email") or "")[:400] if c.isprintable())
    password = str(form.get("password") or "")
    next_url = safe_next(str(form.get("next") or ""))

    def again(status: int, errors: dict[str, str], **extra: Any) -> Response[Any]:
        response = _public_form(
            request, "manage/login.html", status, next_url=next_url, errors=errors, email=email
        )
        for name, value in extra.items():
            response.headers[name] = value
        return response

    if not _login_csrf_ok(request, str(form.get("csrf_token") or "")):
        message = i18n.gettext("The form has expired. Please sign in again.")
        return again(403, {"form": message})
    try:
        user = await services.login(
            db_session, email, password, ip=_ip(request), now=clock(request)
        )
    except RateLimited as exc:
        return again(429, {"form": exc.message}, **{"Retry-After": str(exc.retry_after)})
    except services.LoginFailed as exc:
        # Keep the failure count and the audit entry although the answer is an error.
        await db_session.commit()
        return again(exc.status_code, {"password": exc.message})
    secret, _session = await services.create_session(
        db_session,
        user,
        ip=_ip(request),
        now=clock(request),
        replaces=request.cookies.get(SESSION_COOKIE),
    )
    response: Response[Any] = Redirect(next_url, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_settings(request).https,
        max_age=int(SESSION_ABSOLUTE_TIMEOUT.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@post("/logout", opt=USER, cache=False, include_in_schema=False)
async def logout(request: Request[Any, Any, Any], db_session: AsyncSession) -> Response[Any]:
    user = _user(request)
    if cookie := request.cookies.get(SESSION_COOKIE):
        await services.end_session(db_session, cookie)
    await audit.record(db_session, user, "logout", ip=_ip(request))
    response: Response[Any] = Redirect("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- set a password from an invitation link --------------------------------------------------


@get("/set-password/{token:str}", opt=PUBLIC, cache=False, include_in_schema=False)
async def set_password_page(
    request: Request[Any, Any, Any], token: str, db_session: AsyncSession
) -> Response[Any]:
    try:
        user = await services.use_set_password_link(db_session, token, None, now=clock(request))
    except DomainError as exc:
        return _error_page(request, exc)
    return _public_form(request, "manage/set_password.html", email=user.email, errors={})


@post("/set-password/{token:str}", opt=PUBLIC, cache=False, include_in_schema=False)
async def set_password_submit(
    request: Request[Any, Any, Any], token: str, db_session: AsyncSession
) -> Response[Any]:
    form = await request.form()
    password = str(form.get("password") or "")
    confirm = str(form.get("confirm") or "")
    email = ""
    errors: dict[str, str] = {}
    status = 422
    try:
        user = await services.use_set_password_link(db_session, token, None, now=clock(request))
        email = user.email
        if not _login_csrf_ok(request, str(form.get("csrf_token") or "")):
            errors["form"] = i18n.gettext("The form has expired. Please try again.")
            status = 403
        elif password != confirm:
            errors["confirm"] = i18n.gettext("The two passwords differ.")
        else:
            await services.use_set_password_link(db_session, token, password, now=clock(request))
            return Redirect("/login?password_set=1", status_code=303)
    except DomainError as exc:
        errors[exc.field or "form"] = exc.message
        status = exc.status_code
        if exc.field == "token":
            return _error_page(request, exc)
    return _public_form(request, "manage/set_password.html", status, email=email, errors=errors)


# --- organiser pages -----------------------------------------------------------------------


async def _team_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    event: Event,
    status_code: int = 200,
    **context: Any,
) -> Template:
    members = await services.team(db, event.id)
    context.setdefault("errors", {})
    context.setdefault("form", {})
    return render(
        request, "manage/team.html", status_code, event=event, members=members,
        me=_user(request), **context,
    )  # fmt: skip


@get("/manage/events/{slug:str}/team", opt=ORGANISER, cache=False, include_in_schema=False)
async def team_page(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Template:
    event = await services.event_by_slug(db_session, slug)
    return await _team_page(request, db_session, event)


@post("/manage/events/{slug:str}/team", opt=ORGANISER, cache=False, include_in_schema=False)
async def team_invite(
    request: Request[Any, Any, Any], slug: str, db_session: AsyncSession
) -> Template:
    event = await services.event_by_slug(db_session, slug)
    form = await request.form()
    values = {
        "email": str(form.get("email") or "")[:400],
        "display_name": str(form.get("display_name") or "")[:200],
        "role": str(form.get("role") or ""),
    }
    settings = _settings(request)
    try:
        invitation = await services.invite(
            db_session, _user(request), event, values["email"], values["role"],
            display_name=values["display_name"], base_url=settings.base_url, ip=_ip(request),
        )  # fmt: skip
    except DomainError as exc:
        # Nothing half-written stays; reload what the page shows (a rollback expires it).
        await db_session.rollback()
        event = await services.event_by_slug(db_session, slug)
        await db_session.refresh(event)
        return await _team_page(
            request, db_session, event, exc.status_code,
            errors={exc.field or "form": exc.message}, form=values,
        )  # fmt: skip
    if invitation.link:
        # Through the outbox, in this transaction: sent over SMTP with retries, like every mail.
        language = i18n.current_language()
        context = {
            "event": event.text("title", language),
            "link": invitation.link,
            "role": invitation.assignment.role,
        }
        subject = "You are invited to the team of %(event)s"
        await compose.enqueue(
            db_session, to=invitation.user.email, to_name=invitation.user.display_name,
            language=language, kind="team.invitation",
            mail=compose.render("emails/team_invitation", language, subject, context),
        )  # fmt: skip
    return await _team_page(request, db_session, event, invitation=invitation)


@post(
    "/manage/events/{slug:str}/team/{member_id:int}/remove",
    opt=ORGANISER,
    cache=False,
    include_in_schema=False,
)
async def team_remove(
    request: Request[Any, Any, Any], slug: str, member_id: RowId, db_session: AsyncSession
) -> Response[Any]:
    event = await services.event_by_slug(db_session, slug)
    await services.remove_member(db_session, _user(request), event.id, member_id, ip=_ip(request))
    return Redirect(f"/manage/events/{slug}/team", status_code=303)


@get("/manage/events/{slug:str}/audit", opt=ORGANISER, cache=False, include_in_schema=False)
async def audit_page(
    request: Request[Any, Any, Any],
    slug: str,
    db_session: AsyncSession,
    page: int = Parameter(query="page", default=1, ge=1, le=100000),
) -> Template:
    event = await services.event_by_slug(db_session, slug)
    size = 100
    entries = await audit.entries(db_session, event.id, limit=size + 1, offset=(page - 1) * size)
    return render(
        request, "manage/audit.html", event=event, entries=entries[:size], page=page,
        more=len(entries) > size,
    )  # fmt: skip


routes = [
    login_page,
    login_submit,
    logout,
    set_password_page,
    set_password_submit,
    team_page,
    team_invite,
    team_remove,
    audit_page,
]
