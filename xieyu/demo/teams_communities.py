"""The demo county's teams communities: seeded by seed_teams_communities(cast) from demo/county.py."""

from __future__ import annotations

from .personas import Cast


def seed_teams_communities(cast: Cast) -> None:
    pass
