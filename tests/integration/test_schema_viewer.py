"""/schema shows the API viewer from this site only, so it works under the CSP."""

from __future__ import annotations

from html.parser import HTMLParser

from events.settings import PROJECT_ROOT


class Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str | None] = []
        self.inline: list[str] = []
        self.links: list[str] = []
        self.styles = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts.append(values.get("src"))
            self._in_script = True
        elif tag == "link":
            self.links.append(values.get("href") or "")
        elif tag == "style" or "style" in values:
            self.styles += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(data)


def same_origin(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


async def test_the_viewer_uses_only_same_origin_scripts_and_styles(client) -> None:  # type: ignore[no-untyped-def]
    page = await client.get("/schema")
    assert page.status_code == 200 and "<rapi-doc" in page.text
    assert 'spec-url="/schema/openapi.json"' in page.text
    csp = page.headers["content-security-policy"]
    # Scripts only from this site; RapiDoc's shadow DOM needs inline styles, on this page only.
    assert "script-src 'self';" in csp and "style-src 'self' 'unsafe-inline';" in csp
    elsewhere = (await client.get("/health")).headers["content-security-policy"]
    assert "unsafe-inline" not in elsewhere
    found = Resources()
    found.feed(page.text)
    assert found.scripts and all(src and same_origin(src) for src in found.scripts)
    assert found.inline == [] and found.styles == 0
    assert found.links and all(same_origin(href) for href in found.links)
    for url in [*found.scripts, *found.links]:
        assert url is not None
        response = await client.get(url)
        assert response.status_code == 200, url
    script = await client.get(str(found.scripts[0]))
    assert "javascript" in script.headers["content-type"] and "rapi-doc" in script.text
    assert (await client.get("/schema/openapi.json")).json()["info"]["title"] == "events"


def test_the_vendored_viewer_keeps_its_licence() -> None:
    folder = PROJECT_ROOT / "static" / "vendor" / "rapidoc"
    assert "MIT License" in (folder / "LICENSE.txt").read_text()
    assert (folder / "rapidoc-min.js.LICENSE.txt").exists()
    assert (PROJECT_ROOT / "scripts" / "vendor-rapidoc.sh").exists()
