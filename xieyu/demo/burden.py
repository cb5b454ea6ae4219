"""The demo county's 五项管理 / 双减 work: eight weeks of diaries and their rollups and flags first, then families'
reports and the after-school schedules, then home visits and the 双减 meetings (a homework meeting opened from a
flag). Each part is seeded by its own module, in that order."""

from __future__ import annotations

from .burden_afterschool import seed_afterschool
from .burden_diary import seed_diary
from .burden_visits import seed_visits
from .personas import Cast


def seed_burden(cast: Cast) -> None:
    seed_diary(cast)
    seed_afterschool(cast)
    seed_visits(cast)
