from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from events import i18n
from events.documents.programme import Labels

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [ROOT / "events" / "documents" / "programme.py", ROOT / "events" / "publishing"]


def messages() -> set[str]:
    """Every string passed to _() or N_() in the programme and publishing code."""
    found: set[str] = set()
    files = [p for s in SOURCES for p in ([s] if s.is_file() else sorted(s.glob("*.py")))]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("language", ["de", "ru", "kk"])
def test_every_publishing_message_is_translated(language: str) -> None:
    path = ROOT / "events" / "translations" / language / "LC_MESSAGES" / "publishing.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    translated = {m.id for m in catalog if m.id and m.string}
    assert messages() - translated == set()
    assert len(messages()) > 20


def test_two_language_labels_join_both_translations() -> None:
    assert Labels(["de", "kk"])("Programme") == "Programm / Бағдарлама"
    assert Labels(["pl"])("Programme") == "Programme"  # no Polish interface: English
    i18n.set_language("ru")
    try:
        assert i18n.gettext("The paper size must be a4 or a5.").startswith("Формат")
    finally:
        i18n.set_language("en")
