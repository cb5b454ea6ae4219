"""Compile every zh-Hans catalogue (.po → .mo) with polib, so no GNU gettext is needed at run time.

The `.po` files are the one source of the translations: edit their msgstrs directly. Run as
`python -m xieyu.core.i18n` (the last step of `make messages`): it writes each catalogue back in one layout (polib's,
so a run of makemessages changes only the lines it must), compiles it, lists every msgid still untranslated or
fuzzy, and exits 1 when there is any. Fuzzy entries (msgmerge's guesses from a similar msgid) are not compiled:
check the guess, correct it and delete the `#, fuzzy` line.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
HEADER = {"Language": "zh_Hans", "Plural-Forms": "nplurals=1; plural=0;", "Content-Type": "text/plain; charset=UTF-8"}


def catalogues() -> list[Path]:
    return sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def unfinished(po: polib.POFile) -> list[polib.POEntry]:
    """The entries a translator still has to look at: untranslated or fuzzy."""
    return [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def compile_all() -> list[str]:
    """Compile every catalogue; return one line per entry still untranslated or fuzzy."""
    problems = []
    for po_path in catalogues():
        po = polib.pofile(str(po_path))
        po.metadata.update(HEADER)  # a new app's first catalogue comes with placeholders here
        po.save()
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        app = po_path.relative_to(ROOT).parts[0]
        for e in unfinished(po):
            problems.append(f"{app}: {'fuzzy' if 'fuzzy' in e.flags else 'untranslated'} {e.msgid!r}")
    return problems


if __name__ == "__main__":
    problems = compile_all()
    print(f"compiled {len(catalogues())} catalogues")
    for line in problems:
        print(line)
    sys.exit(1 if problems else 0)
