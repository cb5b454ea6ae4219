"""The parts of the benchmarks that run inside Django, against the database XIEYU_DATABASE_URL names.

    python bench/inprocess.py sessions   → {"cookie_name": …, "pages": {page: {"path": …, "session": …}}}
    python bench/inprocess.py queries    → {page: {"queries": n, "status": code, "error": …}}

Run by bench/run.py, once per database; prints one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.signals import got_request_exception  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from pages import PAGES  # noqa: E402

from xieyu.demo.personas import load_cast  # noqa: E402


def login_session(user) -> str:
    """A session in the database for the user, as the login view would leave it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def targets() -> dict[str, dict[str, str]]:
    cast = load_cast()
    out = {}
    for page in PAGES:
        args = [getattr(cast, page.cast_attr).pk] if page.cast_attr else [page.pk_of(cast)] if page.pk_of else []
        out[page.name] = {"path": reverse(page.url_name, args=args), "session": login_session(cast.users[page.persona])}
    return out


def sessions() -> dict:
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "pages": targets()}


def queries() -> dict[str, dict]:
    settings.ALLOWED_HOSTS.append("testserver")  # the test client's host name
    errors: list[str] = []
    got_request_exception.connect(lambda sender, request=None, **kw: errors.append(repr(sys.exc_info()[1])))
    result = {}
    for name, target in targets().items():
        client = Client(raise_request_exception=False)
        client.cookies[settings.SESSION_COOKIE_NAME] = target["session"]
        client.get(target["path"])  # warm: first-request work (content types, template loading) is not counted
        errors.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(target["path"])
        result[name] = {"queries": len(ctx.captured_queries), "status": response.status_code}
        if errors:
            result[name]["error"] = errors[0][:200]
    return result


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in ("sessions", "queries"):
        sys.exit(__doc__)
    print(json.dumps(sessions() if command == "sessions" else queries(), ensure_ascii=False))
