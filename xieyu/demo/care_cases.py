"""Demo data: care cases."""

from __future__ import annotations

from .personas import Cast


def seed_cases(cast: Cast) -> None:
    pass
