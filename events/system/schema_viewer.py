"""The API viewer at /schema: RapiDoc served from /static, so it runs under the CSP.

The Content-Security-Policy allows scripts and styles only from this site and no inline code, so
the page is a custom element, one same-origin script (vendored from npm by
``scripts/vendor-rapidoc.sh``, licence beside it) and one same-origin stylesheet.

RapiDoc styles its shadow DOM with ``<style>`` elements and ``style`` attributes, so the viewer's
pages (and only they) allow inline *styles*; scripts stay same-origin only, as everywhere.
"""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request, Response
from litestar.openapi.plugins import RapidocRenderPlugin

from events.accounts.middleware import CONTENT_SECURITY_POLICY

SCRIPT_URL = "/static/vendor/rapidoc/rapidoc-min.js"
STYLE_URL = "/static/css/schema.css"
VIEWER_CSP = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


async def viewer_headers(response: Response[Any]) -> Response[Any]:
    """``after_request`` of the /schema router: the viewer's policy (inline styles, no more)."""
    response.headers["Content-Security-Policy"] = VIEWER_CSP
    return response


class LocalRapidocPlugin(RapidocRenderPlugin):
    """RapiDoc without CDN, inline script or inline style."""

    def __init__(self) -> None:
        super().__init__(js_url=SCRIPT_URL, path="/rapidoc", favicon="", style="")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = escape(str(openapi_schema["info"]["title"]))
        spec = escape(self.get_openapi_json_route(request))
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{STYLE_URL}">
<script src="{escape(self.js_url)}"></script>
</head>
<body>
<rapi-doc spec-url="{spec}" render-style="read" theme="light" show-header="false"
  allow-server-selection="false" allow-authentication="true" load-fonts="false"
  regular-font="Noto Sans, DejaVu Sans, system-ui, sans-serif"
  mono-font="DejaVu Sans Mono, monospace"></rapi-doc>
</body>
</html>
""".encode()
