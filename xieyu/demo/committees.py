"""The demo county's parent committees: committees, members, charters and meetings first, then inquiries (which a
committee raises by resolution) and the term appraisal. Each part is seeded by its own module, in that order."""

from __future__ import annotations

from .committees_appraisals import seed_appraisals
from .committees_bodies import seed_bodies
from .committees_inquiries import seed_inquiries
from .personas import Cast


def seed_committees(cast: Cast) -> None:
    seed_bodies(cast)
    seed_inquiries(cast)
    seed_appraisals(cast)
