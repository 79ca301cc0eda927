from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_in_app_sender(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTS_MAIL_IN_APP", "0")
