from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_in_app_sender(monkeypatch: pytest.MonkeyPatch) -> None:
    # These tests read the outbox as the requests left it; the in-app sender would empty it.
    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")
