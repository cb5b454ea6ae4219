"""Every user-facing string of the deadline engine has its zh-Hans text in the app's catalogue."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
APP = ROOT / "xieyu/deadlines"


def test_every_msgid_has_a_translation(tmp_path):
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext is needed to extract strings")
    copy = tmp_path / "deadlines"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po"))
    (copy / "locale/zh_Hans/LC_MESSAGES").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xieyu.settings", "PYTHONPATH": str(ROOT), "XIEYU_DEMO": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-i", "tests/*"],
        cwd=copy, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    committed = polib.pofile(str(APP / "locale/zh_Hans/LC_MESSAGES/django.po"))
    table = {e.msgid: e.msgstr for e in committed if e.translated()}
    msgids = {e.msgid for e in polib.pofile(str(copy / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    assert len(msgids) > 50
    assert sorted(msgids - set(table)) == []
    # The one string this module added to the navigation.
    assert "Overdue items" in table
