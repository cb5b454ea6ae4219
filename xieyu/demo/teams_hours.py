"""The demo county's teams hours: seeded by seed_teams_hours(cast) from demo/county.py."""

from __future__ import annotations

from .personas import Cast


def seed_teams_hours(cast: Cast) -> None:
    pass
