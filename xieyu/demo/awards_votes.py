"""The demo county's ballots in the open 优秀家长 campaign, and an account for 黄丽 (张伟's wife) so that the two
guardians of one family can be tried in the browser: whichever votes first, the other is told the family has voted.

The ballots come from made-up families of the bulk through the real vote service (never 张伟's family). Nothing is
seeded when the county has no open 优秀家长 campaign with a vote.
"""

from __future__ import annotations

import random

from django.core.exceptions import ValidationError

from xieyu.accounts.models import User
from xieyu.accounts.services import user_create
from xieyu.awards.models import Campaign, Nomination
from xieyu.awards.votes.access import voting_children
from xieyu.awards.votes.services import vote_cast
from xieyu.directory.models import Guardianship
from xieyu.directory.services import guardian_link_user

from .personas import DEMO_PASSWORD, Cast

# Demo logins beyond the named cast (printed with them; not in personas.PEOPLE, which the tests build as the cast).
HUANG_LI = ("13800001031", "黄丽", "城厢小学 张小明 的妈妈(张伟的妻子,与张伟同一户:一户一票)")
EXTRA_LOGINS = [HUANG_LI]
DEMO_BALLOTS = 36


def _huang_li(password: str = DEMO_PASSWORD) -> User:
    phone, name, _ = HUANG_LI
    user = User.objects.filter(phone=phone).first() or user_create(actor=None, phone=phone, name=name,
                                                                   password=password)  # fmt: skip
    guardian_link_user(actor=None, user=user)
    return user


def _open_campaign(cast: Cast) -> Campaign | None:
    return (
        Campaign.objects.filter(
            county=cast.county, kind=Campaign.Kind.EXCELLENT_PARENT, has_vote=True, phase=Campaign.Phase.VOTE
        )  # fmt: skip
        .order_by("-pk")
        .first()
    )


def seed_awards_votes(cast: Cast) -> None:
    _huang_li()
    campaign = _open_campaign(cast)
    if campaign is None:
        return
    shortlist = list(Nomination.objects.filter(campaign=campaign, status=Nomination.Status.SHORTLISTED).order_by("pk"))
    if not shortlist:
        return
    rng = random.Random(20261204)
    weights = [rng.randint(1, 6) for _ in shortlist]
    zhang_family = set(
        Guardianship.objects.filter(student=cast.students["zhang_xiaoming"]).values_list("guardian__user", flat=True)
    )
    cast_users = {u.pk for u in cast.users.values()}
    voters = (
        User.objects.filter(
            guardian__guardianships__status=Guardianship.Status.CONFIRMED,
            guardian__guardianships__student__school__county=cast.county,
        )  # fmt: skip
        .exclude(pk__in=zhang_family | cast_users)
        .distinct()
        .order_by("pk")[: DEMO_BALLOTS * 3]
    )
    cast_ballots = 0
    for user in voters:
        if cast_ballots >= DEMO_BALLOTS:
            break
        if not voting_children(user, campaign):
            continue
        try:
            vote_cast(actor=user, campaign=campaign, nomination_id=rng.choices(shortlist, weights)[0].pk)
        except ValidationError:  # a family met twice (two guardians with accounts): one vote is enough
            continue
        cast_ballots += 1
