from __future__ import annotations

from events import i18n


def test_catalogues_of_all_areas_are_merged_per_language() -> None:
    i18n.set_language("de")
    assert i18n.gettext("Skip to content") == "Zum Inhalt springen"
    i18n.set_language("en")
    assert i18n.gettext("Skip to content") == "Skip to content"


def test_negotiation_prefers_the_query_then_accept_language() -> None:
    available = ["de", "kk"]
    assert i18n.negotiate("kk", "de-DE,de;q=0.9", available) == "kk"
    assert i18n.negotiate(None, "ru;q=1, de-AT;q=0.8", available) == "de"
    assert i18n.negotiate("xx", "fr", available) is None


def test_pick_falls_back_to_the_default_language() -> None:
    values = {"de": "Wissenschaftstag", "kk": "Ғылым күні"}
    assert i18n.pick(values, "kk", "de") == "Ғылым күні"
    assert i18n.pick(values, "ru", "de") == "Wissenschaftstag"
    assert i18n.pick({}, "ru", "de") == ""


def test_every_interface_string_of_every_area_is_translated() -> None:
    """What ``make messages`` reports: no string the code or a template uses lacks a translation."""
    from events.settings import PROJECT_ROOT

    used = i18n.interface_strings(PROJECT_ROOT)  # the files babel.cfg names
    assert "Skip to content" in used and len(used) > 500
    for language in ("de", "ru", "kk"):
        assert sorted(used - set(i18n.catalogue_texts(language))) == [], language
