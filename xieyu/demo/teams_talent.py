"""The demo county's teams talent: seeded by seed_teams_talent(cast) from demo/county.py."""

from __future__ import annotations

from .personas import Cast


def seed_teams_talent(cast: Cast) -> None:
    pass
