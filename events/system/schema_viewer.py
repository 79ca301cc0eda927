"""The API viewer at /schema: RapiDoc served from /static, so it runs under the CSP.

The Content-Security-Policy allows scripts and styles only from this site and no inline code, so
the page is a custom element, one same-origin script (vendored from npm by
``scripts/vendor-rapidoc.sh``, licence beside it) and one same-origin stylesheet.
"""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request
from litestar.openapi.plugins import RapidocRenderPlugin

SCRIPT_URL = "/static/vendor/rapidoc/rapidoc-min.js"
STYLE_URL = "/static/css/schema.css"


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
  allow-server-selection="false" allow-authentication="true"></rapi-doc>
</body>
</html>
""".encode()
