"""Demo data: care registry."""

from __future__ import annotations

from .personas import Cast


def seed_registry(cast: Cast) -> None:
    pass
