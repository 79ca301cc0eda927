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
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

from events import i18n

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = i18n.TRANSLATIONS_DIR
LANGUAGES = ("de", "ru", "kk")


def template() -> Catalog:
    """Every interface string with where it is used (babel.cfg): ``messages.pot``."""
    catalog = Catalog(project="events")
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map=method_map, options_map=options_map
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def main() -> int:
    with (TRANSLATIONS / "messages.pot").open("wb") as handle:
        write_po(handle, template(), sort_output=True, omit_header=False)
    wanted = i18n.interface_strings(ROOT)
    missing_any = False
    for language in LANGUAGES:
        missing = sorted(wanted - set(i18n.catalogue_texts(language)))
        missing_any = missing_any or bool(missing)
        print(f"{language}: {len(wanted) - len(missing)} of {len(wanted)} strings translated")
        for message_id in missing:
            print(f"  missing: {message_id!r}")
    return 1 if missing_any else 0


if __name__ == "__main__":
    sys.exit(main())
