"""Shared fixtures: the named cast, logged-in clients, a real browser, the real task worker."""

from __future__ import annotations

import shutil

import pytest
from django.core.management import call_command
from django.test import Client

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    """A test marked `once` runs on one database only (SQLite unless it names another): running it twice adds
    nothing, because it does not touch the database or only the named one behaves like production."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    current = "postgresql" if "postgresql" in engine else "sqlite"
    for item in items:
        marker = item.get_closest_marker("once")
        wanted = (marker.args or ("sqlite",))[0] if marker else current
        if wanted != current:
            item.add_marker(pytest.mark.skip(reason=f"runs once, on {wanted}"))


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    from django.core.cache import cache

    cache.clear()  # nothing cached by one test (a page, a rate limit) is seen by the next
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# The data migrations that write deadline policies: a transactional test (a browser test) flushes their rows.
POLICY_MIGRATIONS = (
    "xieyu.deadlines.migrations.0002_default_policies",
    "xieyu.deadlines.migrations.0004_alert_urgent_policy",
    "xieyu.care.migrations.0002_deadline_policies",
    "xieyu.committees.migrations.0002_deadline_policies",
    "xieyu.burden.migrations.0002_deadline_policies",
    "xieyu.teams.migrations.0002_check_expiry_policy",
    "xieyu.awards.migrations.0002_campaigns",
    "xieyu.surveys.migrations.0002_wave_policy",
    "xieyu.dashboard.migrations.0003_task_policy",
)


@pytest.fixture
def cast(db):
    """The demo county's named cast (xieyu/demo/personas.py), with the deadline policies in place."""
    import importlib

    from django.apps import apps

    from xieyu.deadlines.models import DeadlinePolicy
    from xieyu.demo.personas import create_cast

    if not DeadlinePolicy.objects.exists():  # flushed by an earlier transactional test: write them again
        for module in POLICY_MIGRATIONS:
            importlib.import_module(module).create(apps, None)
    return create_cast()


@pytest.fixture
def client_for(cast):
    """client_for("head_teacher_li") → a test client logged in as that persona; None → anonymous."""

    def make(persona: str | None) -> Client:
        client = Client()
        if persona:
            client.force_login(getattr(cast, persona), backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


@pytest.fixture
def run_tasks(db, monkeypatch):
    """Run every queued background task with the real database worker, then return.

    The worker closes "old" connections between tasks; inside a test's transaction that would close the test's own
    connection (PostgreSQL), so that housekeeping alone is switched off here.
    """
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run


# --- the browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A 360 px wide phone-sized page with Chinese locale; closed after the test."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def browser_login(cast):
    """browser_login(page, "grandma_zhao") logs the page in through the real login form."""
    from xieyu.demo.personas import DEMO_PASSWORD, PEOPLE

    def login(page, persona: str) -> None:
        page.goto("/login/")
        page.fill("input[name=phone]", PEOPLE[persona][0])
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)

    return login
