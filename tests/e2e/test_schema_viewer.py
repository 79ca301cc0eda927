"""In Chromium, /schema renders the API operations without a single CSP violation."""

from __future__ import annotations

import pytest

from tests.e2e.test_registration_kk import server  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser


def test_the_api_viewer_renders_under_the_csp(server, chromium_path: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import sync_playwright

    base, _settings, _question = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        page = browser.new_page()
        problems: list[str] = []
        page.on(
            "console",
            lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
        )
        outside: list[str] = []
        page.on(
            "request",
            lambda r: None if r.url.startswith(base) else outside.append(r.url),
        )
        page.goto(f"{base}/schema")
        # RapiDoc draws into its shadow DOM; Playwright's text locators pierce it.
        page.get_by_text("Register for an event").first.wait_for(timeout=30000)
        browser.close()
    assert problems == []
    assert outside == []
