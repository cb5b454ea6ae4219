"""Fill every app's zh-Hans catalogue from the dicts in tools/zh/*.py (msgid → translation).

Entries already translated keep their text. Prints what is still untranslated and exits 1 if anything is.
"""

import ast
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def load_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for path in sorted((ROOT / "tools/zh").glob("*.py")):
        table.update(ast.literal_eval(path.read_text(encoding="utf-8")))
    return table


def main() -> int:
    table = load_table()
    missing = []
    for po_path in sorted(ROOT.glob("xieyu/*/locale/zh_Hans/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        po.metadata.update(
            {
                "Language": "zh_Hans",
                "Plural-Forms": "nplurals=1; plural=0;",
                "Content-Type": "text/plain; charset=UTF-8",
            }
        )
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.msgstr = ""
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: ""}
                entry.previous_msgid = None
            if not entry.translated() and entry.msgid in table:
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: table[entry.msgid]}
                else:
                    entry.msgstr = table[entry.msgid]
            if not entry.translated():
                missing.append(f"{po_path.parts[-5]}: {entry.msgid!r}")
        po.save()
    for m in missing:
        print(f"untranslated {m}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
