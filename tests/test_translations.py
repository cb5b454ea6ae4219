"""Every user-facing string has a zh-Hans translation, and the committed .mo files match the .po files.

The `.po` files are the one source of the translations (`make messages` extracts, compiles and lists what is left).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(p.parent for p in ROOT.glob("xieyu/*/apps.py"))
CATALOGUES = sorted(ROOT.glob("xieyu/*/locale/zh_Hans/LC_MESSAGES/django.po"))


@pytest.mark.once
def test_every_app_with_strings_has_a_complete_catalogue(tmp_path):
    """Extract msgids afresh from a copy of the code; every one must be translated and none fuzzy."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext is needed for this check: `make browser` installs it")
    copy = tmp_path / "xieyu"
    shutil.copytree(ROOT / "xieyu", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xieyu.settings", "PYTHONPATH": str(ROOT)}
    problems = []
    for app in APPS:
        workdir = copy / app.name
        result = subprocess.run(
            [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete", "-i", "tests/*"],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
        )
        po_path = workdir / "locale/zh_Hans/LC_MESSAGES/django.po"
        if result.returncode != 0:
            problems.append(f"{app.name}: makemessages failed: {result.stderr.strip()[-300:]}")
            continue
        if not po_path.exists():
            continue
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            if not entry.translated() or "fuzzy" in entry.flags:
                problems.append(f"{app.name}: {'fuzzy' if 'fuzzy' in entry.flags else 'untranslated'} {entry.msgid!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=str)
def test_no_committed_entry_is_fuzzy_or_untranslated(po_path):
    """A fuzzy entry is msgmerge's guess from a similar msgid: it is not compiled, so the page would show English."""
    problems = [
        f"{'fuzzy' if 'fuzzy' in e.flags else 'untranslated'} {e.msgid!r}"
        for e in polib.pofile(str(po_path))
        if not e.obsolete and ("fuzzy" in e.flags or not e.translated())
    ]
    assert not problems, f"{po_path.relative_to(ROOT)}: translate these and run `make messages`:\n" + "\n".join(problems)


def test_a_msgid_has_one_translation_in_every_catalogue():
    """Django merges the apps' catalogues into one: where two translate a msgid differently, only one is ever shown
    (the app listed first in INSTALLED_APPS wins). Give them one wording, or a msgctxt (pgettext) to tell them apart."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for po_path in CATALOGUES:
        for e in polib.pofile(str(po_path)):
            if e.translated():
                seen.setdefault((e.msgctxt, e.msgid), {})[po_path.relative_to(ROOT).parts[1]] = (
                    e.msgstr or e.msgstr_plural.get(0)
                )
    clashes = [f"{msgid!r}: {apps}" for (_ctx, msgid), apps in seen.items() if len(set(apps.values())) > 1]
    assert not clashes, "\n".join(clashes)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=str)
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run `make messages`"
    source = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.pofile(str(po_path)) if e.translated()
    }
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(mo_path))}
    assert source == compiled, f"{mo_path} is stale: run `make messages`"


def test_the_projects_wording_wins_over_djangos_own():
    """Every msgid of ours reads as our catalogue says, even where Django's catalogues translate it too."""
    from django.utils import translation

    ours = {}
    for po_path in sorted(ROOT.glob("xieyu/*/locale/zh_Hans/LC_MESSAGES/django.po")):
        for e in polib.pofile(str(po_path)):
            if e.translated() and not e.msgid_plural and not e.msgctxt:
                ours.setdefault(e.msgid, e.msgstr)
    assert "Log out" in ours
    with translation.override("zh-hans"):
        wrong = {m: (translation.gettext(m), want) for m, want in ours.items() if translation.gettext(m) != want}
    assert not wrong, f"Django's catalogue overrides ours: {wrong}"


@pytest.mark.parametrize("code", [400, 403, 404, 500])
def test_error_pages_are_chinese_in_the_sites_layout(code):
    from django.template.loader import render_to_string

    html = render_to_string(f"{code}.html")
    assert 'lang="zh-CN"' in html and "协育" in html
    assert "Not Found" not in html and "Server Error" not in html
