"""Demo data: to be written."""

from __future__ import annotations

from .personas import Cast


def seed_inquiries(cast: Cast) -> None:
    pass
