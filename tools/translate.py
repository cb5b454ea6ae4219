"""Fill zh-Hans msgstr lines from a JSON or Python dict file: python tools/translate.py APP FILE.

The file maps msgid → translation. Entries already translated are left as they are unless --force.
"""

import ast
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    app, source = sys.argv[1], sys.argv[2]
    force = "--force" in sys.argv
    table = ast.literal_eval(Path(source).read_text(encoding="utf-8"))
    po_path = ROOT / "xieyu" / app / "locale/zh_Hans/LC_MESSAGES/django.po"
    po = polib.pofile(str(po_path))
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in po:
        if entry.msgid in table and (force or not entry.translated() or "fuzzy" in entry.flags):
            if entry.msgid_plural:
                entry.msgstr_plural = {0: table[entry.msgid]}
            else:
                entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        if not entry.translated():
            missing.append(entry.msgid)
    po.save()
    for m in missing:
        print(f"untranslated: {m!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
