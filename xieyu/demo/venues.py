"""The demo county's venues: seeded by seed_venues(cast) from demo/county.py."""

from __future__ import annotations

from .personas import Cast


def seed_venues(cast: Cast) -> None:
    pass
