"""Loaded by pytest before Django's settings (see pyproject's addopts): tests run in demo mode."""

import os

os.environ.setdefault("XIEYU_DEMO", "1")
# Playwright's sync API runs an event loop in the test thread; the ORM calls in tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
