"""Check the shipped translation catalogues: ``python -m tiski.i18n_check``.

Every language of settings.LANGUAGES must have a complete catalogue: no untranslated
or fuzzy entries, the same %(placeholders)s as the English text, and a compiled .mo
that matches its .po (the .mo files are committed so a fresh machine needs no gettext).
"""

from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "fi", "pl", "sv")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def check_language(code: str) -> list[str]:
    problems: list[str] = []
    po_path = LOCALE / code / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    if not po_path.exists():
        return [f"{code}: {po_path} is missing"]
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalog:
        if not message.id:
            continue
        where = f"{code}: {message.id!r}"
        if message.fuzzy:
            problems.append(f"{where} is fuzzy")
        ids = [str(i) for i in message.id] if isinstance(message.id, tuple) else [str(message.id)]
        raw = message.string
        strings = [str(s or "") for s in raw] if isinstance(raw, tuple) else [str(raw or "")]
        if not all(strings):
            problems.append(f"{where} is not translated")
            continue
        wanted = set().union(*(_placeholders(i) for i in ids))
        for text in strings:
            if _placeholders(text) != wanted:
                problems.append(f"{where} has placeholders {_placeholders(text)} not {wanted}")
        # The .mo must say what the .po says.
        context = f"{message.context}\x04" if message.context else ""
        if isinstance(message.id, tuple):
            got = compiled.ngettext(context + ids[0], context + ids[1], 1)
        else:
            got = compiled.gettext(context + ids[0])
        if got != strings[0]:
            problems.append(f"{where}: the .mo is out of date (run `make messages`)")
    return problems


def main() -> int:
    problems = [p for code in LANGUAGES for p in check_language(code)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} catalogue problems")
        return 1
    print("catalogues complete: " + ", ".join(LANGUAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
