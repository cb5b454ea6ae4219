"""Demo data: care referrals."""

from __future__ import annotations

from .personas import Cast


def seed_referrals(cast: Cast) -> None:
    pass
