"""Compile every zh-Hans catalogue (.po → .mo) with polib, so no GNU gettext is needed at run time.

Run as `python -m xieyu.core.i18n` (the last step of `make messages`).
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogues() -> list[Path]:
    return sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


def compile_all() -> list[Path]:
    done = []
    for po_path in catalogues():
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        done.append(po_path)
    return done


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path.relative_to(ROOT.parent)}")
