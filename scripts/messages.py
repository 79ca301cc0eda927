"""``make messages``: every interface string the code and templates use, and which of them a
language's catalogues do not translate yet.

Each area keeps its own catalogue (``events/translations/<lang>/LC_MESSAGES/<area>.po``, merged at
load time by ``events.i18n``), so there is no single ``messages.po`` to update: this writes the
template of every string to ``events/translations/messages.pot`` and lists, per language, the
strings that no area's catalogue translates. Add them to the catalogue of the area they belong
to. Exits 1 while any is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "events" / "translations"
LANGUAGES = ("de", "ru", "kk")
METHODS = [
    ("events/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.do"}}


def used() -> Catalog:
    catalog = Catalog(project="events")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map=METHODS, options_map=OPTIONS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def ids(catalog: Catalog) -> set[str]:
    """Each message's id (a plural message by its singular)."""
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def translated(language: str) -> set[str]:
    found: set[str] = set()
    for path in sorted((TRANSLATIONS / language / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=language):
                if message.id and message.string:
                    found.add(message.id if isinstance(message.id, str) else message.id[0])
    return found


def main() -> int:
    catalog = used()
    with (TRANSLATIONS / "messages.pot").open("wb") as handle:
        write_po(handle, catalog, sort_output=True, omit_header=False)
    wanted = ids(catalog)
    missing_any = False
    for language in LANGUAGES:
        missing = sorted(wanted - translated(language))
        missing_any = missing_any or bool(missing)
        print(f"{language}: {len(wanted) - len(missing)} of {len(wanted)} strings translated")
        for message_id in missing:
            print(f"  missing: {message_id!r}")
    return 1 if missing_any else 0


if __name__ == "__main__":
    sys.exit(main())
