import ast
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def zh(settings, tmp_path):
    """Pages in Chinese from tools/zh/deadlines.py, compiled to a temporary catalogue (the tree is not touched)."""
    table = ast.literal_eval((ROOT / "tools/zh/deadlines.py").read_text(encoding="utf-8"))
    po = polib.POFile()
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "zh_Hans",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for msgid, msgstr in table.items():
        if "%(counter)s" in msgid:  # this module's plural msgids use the same text for one and many
            po.append(polib.POEntry(msgid=msgid, msgid_plural=msgid, msgstr_plural={0: msgstr}))
        else:
            po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    target = tmp_path / "locale/zh_Hans/LC_MESSAGES"
    target.mkdir(parents=True)
    po.save_as_mofile(str(target / "django.mo"))
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]  # resets Django's translation caches
    with translation.override("zh-hans"):
        yield table
