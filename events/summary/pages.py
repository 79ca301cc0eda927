"""HTML faces: the public summary (+ PDF), the Atom feed, certificates and their verification,
and the organiser's summary workspace under /manage/events/{slug}/summary."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import Parameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from events import i18n, web
from events.accounts.access import can_manage, current_user
from events.agenda.models import Event
from events.documents import card
from events.documents.certificate import render_certificate, render_certificates
from events.documents.summary import render_summary
from events.errors import Conflict, DomainError, InvalidInput, NotFound
from events.publishing import services as publishing_services
from events.registration import services as registration_services
from events.settings import Settings
from events.summary import feed, labels, services
from events.summary.figures import Figures, Group
from events.summary.models import OutcomeKind, Summary, SummaryStatus
from events.summary.schemas import OutcomeIn
from events.web import RowId, render

PUBLIC = {"access": "public"}
ORGANISER = {"access": "organiser"}


def _settings(request: Request[Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _pdf(body: bytes, filename: str, *, inline: bool = True) -> Response[bytes]:
    disposition = "inline" if inline else "attachment"
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"; '
            f"filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "private, no-cache",
        },
    )


# --- what the summary page shows -------------------------------------------------------------


def _group_label(kind: str, key: str, language: str) -> str:
    if key == "other":
        return i18n.gettext(labels.OTHER)
    if kind == "country":
        from events.documents.programme import country_name

        return country_name(key, language)
    table = labels.INSTITUTION_KINDS if kind == "kind" else labels.CATEGORIES
    return i18n.gettext(table.get(key, key))


def chart(kind: str, heading: str, groups: list[Group], language: str) -> dict[str, Any]:
    """An SVG bar chart as plain numbers: the template draws <rect> and <text>, no script."""
    top = max([g.count for g in groups] + [1])
    rows = []
    for index, group in enumerate(groups):
        rows.append(
            {
                "label": _group_label(kind, group.key, language),
                "count": group.count,
                "y": index * 26,
                "width": round(300 * group.count / top, 1),
            }
        )
    return {"heading": i18n.gettext(heading), "rows": rows, "height": len(rows) * 26 + 4}


def figures_context(figures: Figures, language: str) -> dict[str, Any]:
    numbers = [
        (i18n.gettext(labels.FIGURE_LABELS[key]), getattr(figures, key))
        for key in (
            "registered",
            "attended",
            "sessions_held",
            "speakers",
            "partner_institutions",
            "outcomes",
        )
    ]
    charts = [
        chart(kind, heading, groups, language)
        for kind, heading, groups in (
            ("country", labels.BY_COUNTRY, figures.by_country),
            ("kind", labels.BY_KIND, figures.by_kind),
            ("category", labels.BY_CATEGORY, figures.by_category),
        )
        if groups
    ]
    basis = labels.BASIS_ATTENDED if figures.basis == "attended" else labels.BASIS_REGISTERED
    return {
        "numbers": numbers,
        "charts": charts,
        "basis": f"{i18n.gettext(basis)} {i18n.gettext(labels.SMALL_GROUPS)}",
    }


def social(
    settings: Settings,
    *,
    title: str,
    description: str,
    path: str,
    image: str | None,
    kind: str = "article",
    language: str | None = None,
    image_alt: str | None = None,
    image_size: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Open Graph and Twitter card values for templates/_social.html (absolute URLs)."""
    return {
        "title": title,
        "description": " ".join(description.split())[:300],
        "url": f"{settings.base_url}{path}",
        "image": f"{settings.base_url}{image}" if image else None,
        "image_alt": image_alt,
        "image_width": image_size[0] if image_size else None,
        "image_height": image_size[1] if image_size else None,
        "type": kind,
        "locale": language,
        "site_name": "events",
    }


def pdf_query(event: Event, language: str) -> str:
    """``lang=kk&lang=en``: the reader's language, then the event's default (or next) one, so
    the PDF linked from the page tells the story in two of the event's languages."""
    others = [event.default_language, *(event.languages or [])]
    second = next((code for code in others if code != language), None)
    return "&".join(f"lang={quote(code)}" for code in (language, second) if code)


async def _summary_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    event: Event,
    summary: Summary,
    *,
    preview: bool,
) -> Template:
    ui_lang = web.ui_language(request)
    i18n.set_language(ui_lang)
    language = web.content_language(request, event.languages, event.default_language)
    view = await services.summary_view(db, event, summary, language)
    settings = _settings(request)
    title = event.text("title", language)
    if view.photos:
        image = f"/e/{event.slug}/summary/photos/{view.photos[0].id}"
        image_alt = services.pick_text(view.photos[0].alt, language, event)
        image_size = (view.photos[0].width, view.photos[0].height)
    else:
        # No photo: the event's share card, so a shared link still shows a picture.
        image = f"/e/{event.slug}/card.png?lang={language}"
        image_alt = title
        image_size = (card.WIDTH, card.HEIGHT)
    return render(
        request,
        "public/summary.html",
        ui_lang=ui_lang,
        event=event,
        view=view,
        title=title,
        content_lang=language,
        preview=preview,
        figures=figures_context(view.figures, ui_lang),
        outcome_kinds=labels.OUTCOME_KINDS,
        place=services.place_of(event),
        content_languages=[(code, i18n.language_name(code)) for code in event.languages],
        pdf_query=pdf_query(event, language),
        og=social(
            settings,
            title=f"{title} — {i18n.gettext('Summary')}",
            description=view.lead or event.text("description", language),
            path=f"/e/{event.slug}/summary?lang={language}",
            image=image,
            image_alt=image_alt,
            image_size=image_size,
            language=language,
        ),
    )


@get("/e/{slug:str}/summary", opt=PUBLIC, include_in_schema=False, cache=False)
async def summary_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template:
    event, summary = await services.published_summary(db_session, slug)
    return await _summary_page(request, db_session, event, summary, preview=False)


@get("/e/{slug:str}/summary.pdf", opt=PUBLIC, include_in_schema=False, cache=False)
async def summary_pdf(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    slug: str,
    lang: list[str] | None = Parameter(query="lang", required=False, default=None),
) -> Response[bytes]:
    """The summary as a PDF, in languages chosen as for the programme: ``?lang=de&lang=kk``
    for two (the story in each, every other text stacked), ``?lang=kk`` for one, none for the
    event's default language."""
    event, summary = await services.published_summary(db_session, slug)
    languages = publishing_services.document_languages(
        list(event.languages or [event.default_language]),
        event.default_language,
        lang,
        too_many=i18n.gettext("A summary can be printed in one or two languages."),
    )
    view = await services.summary_view(db_session, event, summary, languages[0])
    doc = services.summary_doc(_settings(request), view, languages)
    body = await asyncio.to_thread(render_summary, doc)
    return _pdf(body, f"{event.slug}-summary-{'-'.join(languages)}.pdf")


@get(
    "/e/{slug:str}/summary/photos/{photo_id:int}", opt=PUBLIC, include_in_schema=False, cache=False
)
async def summary_photo(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str, photo_id: RowId
) -> Response[bytes]:
    """A photo of a published summary; organisers see the photos of a draft too."""
    event = await services.event_by_slug(db_session, slug)
    summary = await services.summary_of(db_session, event.id)
    published = (
        summary is not None
        and summary.status == SummaryStatus.PUBLISHED.value
        and event.status != "draft"
    )
    if not published and not can_manage(current_user(request), event.id):
        raise NotFound("photo", photo_id)
    photo = await services.get_photo(db_session, event.id, photo_id)
    body = services.photo_bytes(_settings(request), photo)
    cache_control = "public, max-age=86400" if published else "private, no-store"
    return Response(body, media_type=photo.media_type, headers={"Cache-Control": cache_control})


@get("/feed.atom", opt=PUBLIC, include_in_schema=False, cache=False)
async def atom_feed(request: Request[Any, Any, Any], db_session: AsyncSession) -> Response[bytes]:
    """Published summaries, newest first, as an Atom feed."""
    entries = await services.published_summaries(db_session)
    body = feed.atom(_settings(request), entries, now=datetime.now(UTC))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


# --- certificates ----------------------------------------------------------------------------


@get("/r/{token:str}/certificate.pdf", opt=PUBLIC, include_in_schema=False, cache=False)
async def certificate(
    request: Request[Any, Any, Any], db_session: AsyncSession, token: str
) -> Response[Any]:
    settings = _settings(request)
    i18n.set_language(web.ui_language(request))
    try:
        registration, event = await services.certificate_for_token(db_session, settings, token)
    except services.CertificateUnavailable as exc:
        registration = await registration_services.find_by_manage_token(db_session, token)
        return render(
            request,
            "public/certificate_unavailable.html",
            exc.status_code,
            message=exc.message,
            code=exc.code,
            event=registration.event,
            token=token,
        )
    signatures = await services.signatures_of(db_session, event.id)
    doc = services.certificate_doc(settings, event, registration, signatures)
    body = await asyncio.to_thread(render_certificate, doc)
    return _pdf(body, f"{event.slug}-certificate.pdf")


@get("/verify/{code:str}", opt=PUBLIC, include_in_schema=False, cache=False)
async def verify_page(
    request: Request[Any, Any, Any], db_session: AsyncSession, code: str
) -> Template:
    ui_lang = web.ui_language(request)
    i18n.set_language(ui_lang)
    try:
        verified = await services.verify(db_session, _settings(request), code)
    except NotFound:
        return render(request, "public/verify.html", 404, verified=None, code=code[:40])
    return render(
        request,
        "public/verify.html",
        verified=verified,
        code=code[:40],
        event_title=verified.event.text("title", ui_lang),
    )


# --- the organiser's workspace ---------------------------------------------------------------


async def _manage(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    event: Event,
    status_code: int = 200,
    **context: Any,
) -> Template:
    # Reading the page writes nothing: a summary row is made by the first save.
    summary = await services.summary_of(db, event.id) or services.blank_summary(event)
    context.setdefault("errors", {})
    context.setdefault("form", {})
    ui_lang = web.ui_language(request)
    i18n.set_language(ui_lang)
    figures = await services.compute_figures(db, event)
    partner_ids = [p.organisation_id for p in event.partners]
    organisations = await services.organisations(db)
    organisations.sort(key=lambda o: (o.id not in partner_ids, o.name))
    return render(
        request,
        "manage/summary.html",
        status_code,
        ui_lang=ui_lang,
        event=event,
        summary=summary,
        figures=figures_context(figures, ui_lang),
        outcomes=await services.outcomes_of(db, event.id),
        photos=await services.photos_of(db, event.id),
        quotes=await services.quotes_of(db, event.id),
        signatures=await services.signatures_of(db, event.id),
        consenting=await services.photo_consenting(db, event.id),
        organisations=organisations,
        outcome_kinds=[(k.value, labels.OUTCOME_KINDS[k.value]) for k in OutcomeKind],
        event_over=datetime.now(UTC) >= event.ends_at,
        **context,
    )


async def _failed(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    slug: str,
    exc: DomainError,
    form: dict[str, Any],
) -> Template:
    await db.rollback()
    event = await services.event_by_slug(db, slug)
    await db.refresh(event)
    return await _manage(
        request, db, event, exc.status_code, errors={exc.field or "form": exc.message}, form=form
    )


def _back(slug: str, anchor: str = "") -> Redirect:
    return Redirect(f"/manage/events/{slug}/summary{anchor}", status_code=303)


def _texts(form: Any, prefix: str, event: Event) -> dict[str, str]:
    return {lang: str(form.get(f"{prefix}_{lang}") or "") for lang in event.languages}


@get("/manage/events/{slug:str}/summary", opt=ORGANISER, include_in_schema=False, cache=False)
async def manage_summary(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template:
    event = await services.event_by_slug(db_session, slug)
    return await _manage(request, db_session, event)


@get(
    "/manage/events/{slug:str}/summary/preview", opt=ORGANISER, include_in_schema=False, cache=False
)
async def preview_summary(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Template:
    event = await services.event_by_slug(db_session, slug)
    summary = await services.summary_of(db_session, event.id) or services.blank_summary(event)
    return await _summary_page(request, db_session, event, summary, preview=True)


@post("/manage/events/{slug:str}/summary/text", opt=ORGANISER, include_in_schema=False, cache=False)
async def save_text(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[Any]:
    event = await services.event_by_slug(db_session, slug)
    form = await request.form()
    narrative, lead = _texts(form, "narrative", event), _texts(form, "lead", event)
    try:
        await services.save_text(db_session, event, narrative, lead)
    except DomainError as exc:
        return await _failed(request, db_session, slug, exc, {"narrative": narrative, "lead": lead})
    return _back(slug, "#text")


@post(
    "/manage/events/{slug:str}/summary/publish", opt=ORGANISER, include_in_schema=False, cache=False
)
async def publish_summary(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[Any]:
    event = await services.event_by_slug(db_session, slug)
    form = await request.form()
    try:
        if form.get("action") == "unpublish":
            await services.unpublish(db_session, event)
        else:
            await services.publish(db_session, event)
    except DomainError as exc:
        return await _failed(request, db_session, slug, exc, {})
    return _back(slug)


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(
            "invalid_date", i18n.gettext("Enter a date as YYYY-MM-DD."), field="signed_on"
        ) from exc


def _ids(values: list[Any], field: str) -> list[int]:
    ids = []
    for value in values:
        text = str(value)
        if not text.isdigit() or len(text) > 18:
            raise InvalidInput("invalid_id", i18n.gettext("Choose from the list."), field=field)
        ids.append(int(text))
    return ids


@post(
    "/manage/events/{slug:str}/summary/outcomes",
    opt=ORGANISER,
    include_in_schema=False,
    cache=False,
)
async def add_outcome(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[Any]:
    event = await services.event_by_slug(db_session, slug)
    form = await request.form()
    kind = str(form.get("kind") or "")
    title, description = _texts(form, "title", event), _texts(form, "description", event)
    signed_on, link = str(form.get("signed_on") or ""), str(form.get("link") or "")[:600]
    values = {
        "kind": kind,
        "title": title,
        "description": description,
        "signed_on": signed_on,
        "link": link,
    }
    try:
        data = OutcomeIn(
            kind=kind,
            title=title,
            description=description,
            party_ids=_ids(form.getall("party_ids", []), "party_ids"),
            signed_on=_date(signed_on),
            link=link or None,
        )
        await services.create_outcome(db_session, event, data)
    except DomainError as exc:
        return await _failed(request, db_session, slug, exc, {"outcome": values})
    return _back(slug, "#outcomes")


@post(
    "/manage/events/{slug:str}/summary/outcomes/{outcome_id:int}/delete",
    opt=ORGANISER,
    include_in_schema=False,
    cache=False,
)
async def remove_outcome(db_session: AsyncSession, slug: str, outcome_id: RowId) -> Redirect:
    event = await services.event_by_slug(db_session, slug)
    await services.delete_outcome(
        db_session, await services.get_outcome(db_session, event, outcome_id)
    )
    return _back(slug, "#outcomes")


@post(
    "/manage/events/{slug:str}/summary/photos", opt=ORGANISER, include_in_schema=False, cache=False
)
async def add_photo(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[Any]:
    event = await services.event_by_slug(db_session, slug)
    form = await request.form()
    upload = form.get("photo")
    data = await upload.read() if isinstance(upload, UploadFile) else b""
    values = {"alt": _texts(form, "alt", event), "caption": _texts(form, "caption", event)}
    try:
        await services.add_photo(
            db_session,
            _settings(request),
            event,
            data,
            alt=values["alt"],
            caption=values["caption"],
            registration_ids=_ids(form.getall("registration_ids", []), "registration_ids"),
            consent_confirmed=form.get("consent_confirmed") == "yes",
        )
    except DomainError as exc:
        return await _failed(request, db_session, slug, exc, {"photo": values})
    return _back(slug, "#photos")


@post(
    "/manage/events/{slug:str}/summary/photos/{photo_id:int}/delete",
    opt=ORGANISER,
    include_in_schema=False,
    cache=False,
)
async def remove_photo(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str, photo_id: RowId
) -> Redirect:
    event = await services.event_by_slug(db_session, slug)
    photo = await services.get_photo(db_session, event.id, photo_id)
    await services.delete_photo(db_session, _settings(request), photo)
    return _back(slug, "#photos")


@post(
    "/manage/events/{slug:str}/summary/quotes", opt=ORGANISER, include_in_schema=False, cache=False
)
async def add_quote(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[Any]:
    event = await services.event_by_slug(db_session, slug)
    form = await request.form()
    values = {k: str(form.get(k) or "")[:2000] for k in ("text", "person", "role", "language")}
    try:
        await services.add_quote(
            db_session,
            event,
            values["text"],
            values["person"],
            values["role"],
            values["language"] or None,
        )
    except DomainError as exc:
        return await _failed(request, db_session, slug, exc, {"quote": values})
    return _back(slug, "#quotes")


@post(
    "/manage/events/{slug:str}/summary/quotes/{quote_id:int}/delete",
    opt=ORGANISER,
    include_in_schema=False,
    cache=False,
)
async def remove_quote(db_session: AsyncSession, slug: str, quote_id: RowId) -> Redirect:
    event = await services.event_by_slug(db_session, slug)
    await services.delete_quote(db_session, event, quote_id)
    return _back(slug, "#quotes")


@post(
    "/manage/events/{slug:str}/summary/signatures",
    opt=ORGANISER,
    include_in_schema=False,
    cache=False,
)
async def add_signature(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[Any]:
    event = await services.event_by_slug(db_session, slug)
    form = await request.form()
    upload = form.get("image")
    image = await upload.read() if isinstance(upload, UploadFile) else b""
    values = {k: str(form.get(k) or "")[:400] for k in ("name", "role")}
    try:
        await services.add_signature(
            db_session, _settings(request), event, values["name"], values["role"], image or None
        )
    except DomainError as exc:
        return await _failed(request, db_session, slug, exc, {"signature": values})
    return _back(slug, "#certificates")


@post(
    "/manage/events/{slug:str}/summary/signatures/{signature_id:int}/delete",
    opt=ORGANISER,
    include_in_schema=False,
    cache=False,
)
async def remove_signature(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str, signature_id: RowId
) -> Redirect:
    event = await services.event_by_slug(db_session, slug)
    await services.delete_signature(db_session, _settings(request), event, signature_id)
    return _back(slug, "#certificates")


@get(
    "/manage/events/{slug:str}/summary/certificates.pdf",
    opt=ORGANISER,
    include_in_schema=False,
    cache=False,
)
async def batch_certificates(
    request: Request[Any, Any, Any], db_session: AsyncSession, slug: str
) -> Response[bytes]:
    """Every checked-in attendee's certificate, one page each (for printing)."""
    event = await services.event_by_slug(db_session, slug)
    docs = await services.batch_certificates(db_session, _settings(request), event)
    if not docs:
        raise Conflict(
            "nobody_checked_in", i18n.gettext("Nobody has been checked in at this event yet.")
        )
    body = await asyncio.to_thread(render_certificates, docs)
    return _pdf(body, f"{event.slug}-certificates.pdf", inline=False)


routes = [
    summary_page,
    summary_pdf,
    summary_photo,
    atom_feed,
    certificate,
    verify_page,
    manage_summary,
    preview_summary,
    save_text,
    publish_summary,
    add_outcome,
    remove_outcome,
    add_photo,
    remove_photo,
    add_quote,
    remove_quote,
    add_signature,
    remove_signature,
    batch_certificates,
]
