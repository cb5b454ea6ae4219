"""What the column subdomain connects when the app loads."""

from __future__ import annotations


def connect() -> None:
    pass
