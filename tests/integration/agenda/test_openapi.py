"""Every agenda operation is in /schema/openapi.json with its bodies and error answers."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

OPERATIONS = {
    "/api/v1/organisations": {"get", "post"},
    "/api/v1/organisations/{organisation_id}": {"get", "patch", "delete"},
    "/api/v1/events": {"get", "post"},
    "/api/v1/events/{slug}": {"get", "patch", "delete"},
    "/api/v1/events/{slug}/conflicts": {"get"},
    "/api/v1/events/{slug}/partners": {"get", "post"},
    "/api/v1/events/{slug}/partners/{partner_id}": {"get", "patch", "delete"},
    "/api/v1/events/{slug}/rooms": {"get", "post"},
    "/api/v1/events/{slug}/rooms/{room_id}": {"get", "patch", "delete"},
    "/api/v1/events/{slug}/speakers": {"get", "post"},
    "/api/v1/events/{slug}/speakers/{speaker_id}": {"get", "patch", "delete"},
    "/api/v1/events/{slug}/sessions": {"get", "post"},
    "/api/v1/events/{slug}/sessions/{session_id}": {"get", "patch", "delete"},
}


async def test_the_schema_lists_every_agenda_operation_with_bodies_and_errors(
    client: AsyncTestClient,  # type: ignore[type-arg]
) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path, methods in OPERATIONS.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
        for method in methods:
            operation = paths[path][method]
            responses = operation["responses"]
            assert "404" in responses or "400" in responses, (path, method)
            if method in {"post", "patch"}:
                assert "requestBody" in operation, (path, method)
                for code in ("400", "409", "413", "415", "422"):
                    assert code in responses, (path, method, code)
                success = responses["201" if method == "post" else "200"]
                assert "application/json" in success["content"], (path, method)
            if method == "delete":
                assert "204" in responses
    components = schema["components"]["schemas"]
    assert {"EventCreate", "EventOut", "SessionCreate", "SpeakerOut", "ErrorOut"} <= set(components)
    # The public speaker schema has no e-mail.
    assert "email" not in components["SpeakerOut"]["properties"]
