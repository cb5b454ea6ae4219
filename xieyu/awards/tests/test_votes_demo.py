"""The demo's votes: ballots from made-up families through the vote service (never 张伟's), and 黄丽's account."""

from __future__ import annotations

import datetime

from xieyu.accounts.services import user_create
from xieyu.awards.models import Ballot, VoteMark
from xieyu.awards.votes import access
from xieyu.awards.votes.services import tally_close, tally_verify
from xieyu.demo.awards_votes import seed_awards_votes
from xieyu.demo.county import logins_table
from xieyu.demo.personas import DEMO_PASSWORD
from xieyu.directory.models import Guardian
from xieyu.directory.services import guardian_for_phone, guardianship_add, student_create

from .votes_fixtures import end_vote, vote_campaign


def _families(cast, n):
    for i in range(n):
        kid = student_create(actor=None, school_class=cast.class_a2, name=f"孩子{i}", gender="M",
                             birth_date=datetime.date(2017, 1, 1), student_number="")  # fmt: skip
        g = guardian_for_phone(name=f"家长{i}", phone=f"1390000{i:04d}")
        guardianship_add(actor=None, student=kid, guardian=g, relationship="mother", status="confirmed")
        g.user = user_create(actor=None, phone=g.phone, name=g.name)
        g.save(update_fields=["user"])


def test_without_an_open_campaign_only_huang_li_gets_her_account(cast):
    seed_awards_votes(cast)
    assert not Ballot.objects.exists()
    wife = Guardian.objects.get(phone="13800001031").user
    assert wife is not None and wife.check_password(DEMO_PASSWORD) and wife.name == "黄丽"
    assert "13800001031" in logins_table() and "黄丽" in logins_table()


def test_the_demo_casts_ballots_that_verify_and_leaves_zhang_weis_family_its_vote(cast):
    campaign = vote_campaign(cast)
    _families(cast, 8)
    seed_awards_votes(cast)
    ballots = Ballot.objects.filter(campaign=campaign).count()
    assert ballots == 8 == VoteMark.objects.filter(campaign=campaign).count()
    wife = Guardian.objects.get(phone="13800001031").user
    assert not access.family_has_voted(cast.parent_zhang, campaign) and not access.family_has_voted(wife, campaign)
    end_vote(campaign)
    tally_close(actor=None, campaign=campaign)
    assert tally_verify(campaign).ok
