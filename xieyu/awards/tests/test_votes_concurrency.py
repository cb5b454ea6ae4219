"""Votes at the same moment on PostgreSQL: the two guardians of one family, and many families at once."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from xieyu.awards.models import Ballot, VoteMark
from xieyu.awards.votes.services import tally_close, tally_verify, vote_cast

from .votes_fixtures import end_vote, huang_li, shortlist, vote_campaign

pytestmark = [pytest.mark.once("postgresql"), pytest.mark.django_db(transaction=True)]


def _at_once(calls):
    """Run the calls in threads released together; each thread answers "ok" or the refusal's message."""
    barrier = threading.Barrier(len(calls))
    results: list[str] = [""] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            call()
            results[i] = "ok"
        except ValidationError as exc:
            results[i] = " ".join(exc.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_guardians_of_one_family_voting_at_once_leave_one_ballot(cast):
    campaign = vote_campaign(cast)
    wife = huang_li(cast)
    a, b = shortlist(campaign)[:2]
    for _ in range(3):  # a few rounds, each in a fresh campaign, so a lucky order does not pass by chance
        results = _at_once([
            lambda c=campaign, n=a: vote_cast(actor=cast.parent_zhang, campaign=c, nomination_id=n.pk),
            lambda c=campaign, n=b: vote_cast(actor=wife, campaign=c, nomination_id=n.pk),
        ])  # fmt: skip
        assert sorted(results) == ["ok", "您家已经投过票。"]
        assert Ballot.objects.filter(campaign=campaign).count() == 1
        assert VoteMark.objects.filter(campaign=campaign).count() == 1
        campaign = vote_campaign(cast, title=f"{campaign.title}+")
        a, b = shortlist(campaign)[:2]


def test_families_voting_at_once_keep_one_unbroken_chain(cast):
    campaign = vote_campaign(cast)
    wife = huang_li(cast)
    n = shortlist(campaign)
    voters = [cast.parent_zhang, wife, cast.parent_sun, cast.grandma_zhao, cast.head_teacher_li]
    results = _at_once([lambda u=u, i=i: vote_cast(actor=u, campaign=campaign, nomination_id=n[i % 4].pk)
                        for i, u in enumerate(voters)])  # fmt: skip
    assert results.count("ok") == 4  # 张伟 and 黄丽 are one family
    assert list(Ballot.objects.filter(campaign=campaign).order_by("sequence").values_list("sequence", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    end_vote(campaign)
    tally = tally_close(actor=None, campaign=campaign)
    assert tally.ballots == 4 and tally_verify(campaign).ok
