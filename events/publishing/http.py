"""Conditional GET for published files: ETag (the data's fingerprint) and Last-Modified."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.status_codes import HTTP_304_NOT_MODIFIED


def _matches(header: str, etag: str) -> bool:
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*":
            return True
        if candidate.removeprefix("W/") == etag:
            return True
    return False


def _not_modified_since(header: str, last_modified: datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since.tzinfo is None:
        return False
    return last_modified.replace(microsecond=0) <= since


def is_fresh(request: Request[Any, Any, Any], fingerprint: str, last_modified: datetime) -> bool:
    """True when the client's copy is current (If-None-Match, else If-Modified-Since)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return _matches(if_none_match, f'"{fingerprint}"')
    if_modified_since = request.headers.get("if-modified-since")
    return bool(if_modified_since) and _not_modified_since(if_modified_since or "", last_modified)


def file_response(
    *,
    fingerprint: str,
    last_modified: datetime,
    media_type: str,
    filename: str,
    body: bytes | None,
    inline: bool = True,
) -> Response[bytes]:
    """The file with its validators, or 304 Not Modified when ``body`` is None."""
    headers = {
        "ETag": f'"{fingerprint}"',
        "Last-Modified": format_datetime(last_modified.astimezone(UTC), usegmt=True),
        "Cache-Control": "public, no-cache",
    }
    if body is None:
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    disposition = "inline" if inline else "attachment"
    headers["Content-Disposition"] = (
        f"{disposition}; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    )
    return Response(body, media_type=media_type, headers=headers)


async def conditional_file(
    request: Request[Any, Any, Any],
    *,
    fingerprint: str,
    last_modified: datetime,
    media_type: str,
    filename: str,
    body: Callable[[], bytes],
    inline: bool = True,
    in_thread: bool = False,
) -> Response[bytes]:
    """200 with the body, or 304 when the client's copy is current (the body is then not built).

    ``in_thread`` builds the body in a worker thread (the PDF), keeping the event loop free.
    """
    if is_fresh(request, fingerprint, last_modified):
        content = None
    elif in_thread:
        content = await asyncio.to_thread(body)
    else:
        content = body()
    return file_response(
        fingerprint=fingerprint,
        last_modified=last_modified,
        media_type=media_type,
        filename=filename,
        body=content,
        inline=inline,
    )
