"""What the members subdomain connects when the app loads: the background check's reminders (receivers)."""

from __future__ import annotations


def connect() -> None:
    from . import receivers  # noqa: F401  (connects the deadline engine's signals)
