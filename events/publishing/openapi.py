"""Documented answers of the publishing routes besides 200, for the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from litestar.openapi import ResponseSpec

from events.publishing.schemas import ErrorBody

NOT_FOUND = ResponseSpec(
    ErrorBody, generate_examples=False, description="Unknown event (or a draft, for the public)."
)
INVALID = ResponseSpec(
    ErrorBody, generate_examples=False, description="A bad `lang` or `size`; `field` names it."
)
NOT_MODIFIED = ResponseSpec(
    None, generate_examples=False, description="The client's copy (ETag) is current."
)

PUBLIC_FILE: dict[int, Any] = {304: NOT_MODIFIED, 404: NOT_FOUND, 422: INVALID}
ORGANISER_FILE: dict[int, Any] = {304: NOT_MODIFIED, 404: NOT_FOUND}
# schedule.json is JSON (an object), not a string: the schema says so, so clients and fuzzers agree.
SCHEDULE_JSON: dict[int, Any] = {
    **PUBLIC_FILE,
    200: ResponseSpec(
        dict[str, Any], generate_examples=False, description="The frab/c3voc schedule (JSON)."
    ),
}
