"""The demo county's teams dispatch: seeded by seed_teams_dispatch(cast) from demo/county.py."""

from __future__ import annotations

from .personas import Cast


def seed_teams_dispatch(cast: Cast) -> None:
    pass
