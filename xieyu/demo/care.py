"""The demo county's care work: the registry, cases, consents and referrals, in that order (each builds on the one
before). 刘小宇 (carer 赵秀英) is registered, with an open case owned by 周敏 and a referral to 吴桂兰 at 妇联; a few
hundred generated households are in the registry and dozens of cases run across schools."""

from __future__ import annotations

from .care_cases import seed_cases
from .care_referrals import seed_referrals
from .care_registry import seed_registry
from .personas import Cast


def seed_care(cast: Cast) -> None:
    seed_registry(cast)
    seed_cases(cast)
    seed_referrals(cast)
