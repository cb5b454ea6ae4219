"""Casting votes and closing the tally: one vote per family, the chain, and its check."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from xieyu.accounts.services import user_create
from xieyu.audit.models import AuditEvent
from xieyu.awards.models import Ballot, Campaign, Nomination, Tally, VoteMark
from xieyu.awards.votes import chain
from xieyu.awards.votes.services import TooManyTries, tally_close, tally_verify, vote_cast
from xieyu.directory.models import Guardian, Guardianship, School
from xieyu.directory.services import guardian_for_phone, guardianship_add

from .votes_fixtures import end_vote, far_guardian, shortlist, vote_campaign


def _vote(user, campaign, n):
    return vote_cast(actor=user, campaign=campaign, nomination_id=n.pk)


def _refused(user, campaign, n, text):
    before = (Ballot.objects.count(), VoteMark.objects.count())
    with pytest.raises(ValidationError) as exc:
        _vote(user, campaign, n)
    assert text in " ".join(exc.value.messages)
    assert (Ballot.objects.count(), VoteMark.objects.count()) == before
    return exc.value


def test_a_guardian_votes_and_the_ballot_is_chained(cast, campaign):
    first, second = shortlist(campaign)[:2]
    b1 = _vote(cast.parent_zhang, campaign, first)
    b2 = _vote(cast.parent_sun, campaign, second)
    assert (b1.sequence, b2.sequence) == (1, 2)
    assert b1.prev_hash == chain.sha256(f"{campaign.pk}|{campaign.title}")
    assert b1.hash == chain.sha256(f"{b1.prev_hash}|{campaign.pk}|1|{first.pk}|{b1.nonce}")
    assert b2.prev_hash == b1.hash
    assert len(b1.nonce) == 32 and b1.nonce != b2.nonce


def test_the_vote_names_no_voter_and_leaves_no_trail(cast, campaign):
    before = AuditEvent.objects.count()
    ballot = _vote(cast.parent_zhang, campaign, shortlist(campaign)[0])
    names = {f.name for f in Ballot._meta.get_fields()}
    assert not names & {"voter", "user", "guardian", "student", "created_at", "at"}
    assert {f.name for f in VoteMark._meta.get_fields()} == {"id", "campaign", "student"}
    assert AuditEvent.objects.count() == before  # nothing ties the voter to the ballot's place in the chain
    assert VoteMark.objects.get().student == cast.students["zhang_xiaoming"]
    assert ballot.nomination == shortlist(campaign)[0]


def test_the_family_votes_once_between_two_guardians(cast, campaign, wife):
    first, second = shortlist(campaign)[:2]
    _vote(cast.parent_zhang, campaign, first)
    _refused(wife, campaign, second, "您家已经投过票")
    _refused(cast.parent_zhang, campaign, second, "您家已经投过票")  # a second device reads the same
    assert Ballot.objects.filter(campaign=campaign).count() == 1


def test_a_family_of_three_guardians_has_one_vote_whoever_casts_it(cast, campaign):
    user = user_create(actor=None, phone="13800001032", name="刘军")
    Guardian.objects.filter(phone="13800001032").update(user=user)
    _vote(user, campaign, shortlist(campaign)[1])
    _refused(cast.grandma_zhao, campaign, shortlist(campaign)[0], "您家已经投过票")


def test_a_guardian_of_two_children_marks_both_families(cast, campaign):
    # 孙丽 also cares for 陈雨 (城厢小学): her one vote marks both children, so 陈雨's other guardian cannot vote.
    chen = cast.students["chen_yu"]
    guardianship_add(actor=None, student=chen, guardian=Guardian.objects.get(user=cast.parent_sun),
                     relationship="other", status=Guardianship.Status.CONFIRMED)  # fmt: skip
    other = guardian_for_phone(name="陈大山", phone="13800001099")
    guardianship_add(actor=None, student=chen, guardian=other, relationship="father",
                     status=Guardianship.Status.CONFIRMED)  # fmt: skip
    other.user = user_create(actor=None, phone="13800001099", name="陈大山")
    other.save(update_fields=["user"])
    _vote(cast.parent_sun, campaign, shortlist(campaign)[0])
    assert VoteMark.objects.filter(campaign=campaign).count() == 2
    _refused(other.user, campaign, shortlist(campaign)[0], "您家已经投过票")


def test_a_family_votes_once_per_campaign_not_once_ever(cast, campaign):
    _vote(cast.parent_zhang, campaign, shortlist(campaign)[0])
    other = vote_campaign(cast, title="2026年度优秀家庭教育指导者评选")
    _vote(cast.parent_zhang, other, shortlist(other)[0])
    assert Ballot.objects.filter(campaign=other).get().sequence == 1


@pytest.mark.parametrize("who", ["teacher_he", "county_admin_chen", "school_admin_liu"])
def test_staff_without_a_child_may_not_vote(cast, campaign, who):
    _refused(getattr(cast, who), campaign, shortlist(campaign)[0], "只有")


def test_a_pending_guardian_may_not_vote(cast, campaign):
    guardian = guardian_for_phone(name="周阿姨", phone="13800001098")
    guardianship_add(actor=None, student=cast.students["zhou_jie"], guardian=guardian, relationship="other",
                     status=Guardianship.Status.PENDING)  # fmt: skip
    guardian.user = user_create(actor=None, phone="13800001098", name="周阿姨")
    guardian.save(update_fields=["user"])
    _refused(guardian.user, campaign, shortlist(campaign)[0], "只有")


def test_a_guardian_outside_the_county_or_the_school_kinds_may_not_vote(cast):
    far = far_guardian(cast)
    county_wide = vote_campaign(cast)
    _refused(far, county_wide, shortlist(county_wide)[0], "只有")
    juniors = vote_campaign(cast, title="初中优秀家长", kinds=[School.Kind.JUNIOR])
    _refused(cast.parent_zhang, juniors, shortlist(juniors)[0], "只有")  # 城厢小学 is a primary school
    _vote(cast.parent_sun, juniors, shortlist(juniors)[0])  # 全南二中 is a junior school


def test_only_a_shortlisted_nominee_of_this_campaign_takes_a_vote(cast, campaign):
    rejected = campaign.nominations.get(status=Nomination.Status.COUNTY_REJECTED)
    other = vote_campaign(cast, title="另一个评选")
    for bad in [rejected.pk, shortlist(other)[0].pk, "abc", "", None, -1, 10**30]:
        before = Ballot.objects.count()
        with pytest.raises(ValidationError, match="名单"):
            vote_cast(actor=cast.parent_zhang, campaign=campaign, nomination_id=bad)
        assert Ballot.objects.count() == before and not VoteMark.objects.exists()
    _vote(cast.parent_zhang, campaign, shortlist(campaign)[0])  # a wrong choice did not use up the vote


def test_no_vote_before_the_window_after_it_or_after_close(cast, campaign):
    n = shortlist(campaign)[0]
    soon = vote_campaign(cast, title="下周开始", starts=timezone.now() + datetime.timedelta(days=1))
    _refused(cast.parent_zhang, soon, shortlist(soon)[0], "投票还没有开始")
    Campaign.objects.filter(pk=campaign.pk).update(vote_ends_at=timezone.now() - datetime.timedelta(seconds=1))
    campaign.refresh_from_db()
    _refused(cast.parent_zhang, campaign, n, "投票已经结束")
    review = vote_campaign(cast, title="还在评审", phase=Campaign.Phase.COUNTY_REVIEW)
    _refused(cast.parent_zhang, review, shortlist(review)[0], "投票还没有开始")
    still_open = vote_campaign(cast, title="提前截止")
    tally_close(actor=cast.county_admin_chen, campaign=still_open)  # counted early: no vote after that
    _refused(cast.parent_zhang, still_open, shortlist(still_open)[0], "投票已经结束")


def test_tries_are_limited_per_minute(cast, campaign, settings):
    settings.AWARDS_VOTE_TRIES_PER_MINUTE = 3
    rejected = campaign.nominations.get(status=Nomination.Status.COUNTY_REJECTED)
    for _ in range(3):
        with pytest.raises(ValidationError):
            vote_cast(actor=cast.parent_zhang, campaign=campaign, nomination_id=rejected.pk)
    with pytest.raises(TooManyTries, match="请稍等一分钟"):
        _vote(cast.parent_zhang, campaign, shortlist(campaign)[0])
    assert not Ballot.objects.exists()
    _vote(cast.parent_sun, campaign, shortlist(campaign)[0])  # another user is not held back


def test_ten_tries_a_minute_by_default(cast, campaign):
    for _ in range(10):
        with pytest.raises(ValidationError) as exc:
            vote_cast(actor=cast.teacher_he, campaign=campaign, nomination_id=shortlist(campaign)[0].pk)
        assert not isinstance(exc.value, TooManyTries)
    with pytest.raises(TooManyTries):
        vote_cast(actor=cast.teacher_he, campaign=campaign, nomination_id=shortlist(campaign)[0].pk)


def _three_votes(cast, campaign):
    a, b = shortlist(campaign)[:2]
    _vote(cast.parent_zhang, campaign, a)
    _vote(cast.parent_sun, campaign, a)
    _vote(cast.grandma_zhao, campaign, b)
    return a, b


def test_the_tally_counts_the_ballots_and_sets_every_nominees_votes(cast, campaign):
    a, b = _three_votes(cast, campaign)
    end_vote(campaign)
    tally = tally_close(actor=cast.county_admin_chen, campaign=campaign)
    c, d = shortlist(campaign)[2:]
    assert tally.ballots == 3 == Ballot.objects.filter(campaign=campaign).count()
    assert tally.counts == {str(a.pk): 2, str(b.pk): 1, str(c.pk): 0, str(d.pk): 0}
    assert tally.head_hash == Ballot.objects.get(campaign=campaign, sequence=3).hash
    assert [n.votes for n in shortlist(campaign)] == [2, 1, 0, 0]
    assert AuditEvent.objects.filter(action="awards.tally_close", target_id=str(campaign.pk)).exists()
    verdict = tally_verify(campaign)
    assert verdict.ok and verdict.ballots == 3 and verdict.head_hash == tally.head_hash


def test_a_tally_with_no_ballot_gives_everyone_zero(cast, campaign):
    end_vote(campaign)
    tally = tally_close(actor=None, campaign=campaign)
    assert tally.ballots == 0 and tally.head_hash == "" and set(tally.counts.values()) == {0}
    assert tally_verify(campaign).ok


def test_the_tally_is_closed_once(cast, campaign):
    _three_votes(cast, campaign)
    end_vote(campaign)
    first = tally_close(actor=cast.county_admin_chen, campaign=campaign)
    with pytest.raises(ValidationError, match="已经统计"):
        tally_close(actor=cast.county_admin_chen, campaign=campaign)
    assert Tally.objects.get() == first and first.ballots == 3


@pytest.mark.parametrize(
    "alter, where",
    [
        (lambda b: Ballot.objects.filter(pk=b.pk).update(nomination=b.nomination_id + 1), "第2张选票被改动过"),
        (lambda b: Ballot.objects.filter(pk=b.pk).delete(), "第3张选票的位置不对"),
        (lambda b: Ballot.objects.filter(pk=b.pk).update(nonce="0" * 32), "第2张选票被改动过"),
    ],
    ids=["nominee changed", "ballot removed", "nonce changed"],
)
def test_the_check_finds_where_an_altered_chain_breaks(cast, campaign, alter, where):
    _three_votes(cast, campaign)
    end_vote(campaign)
    tally_close(actor=None, campaign=campaign)
    alter(Ballot.objects.get(campaign=campaign, sequence=2))
    verdict = tally_verify(campaign)
    assert not verdict.ok
    assert where in " ".join(verdict.problems)


def test_a_rewritten_chain_still_differs_from_the_published_head(cast, campaign):
    a, b = _three_votes(cast, campaign)
    end_vote(campaign)
    tally = tally_close(actor=None, campaign=campaign)
    # Rewrite ballot 3 for another nominee and re-hash it: the links hold, but the head and counts differ.
    last = Ballot.objects.get(campaign=campaign, sequence=3)
    last.nomination = a
    last.hash = chain.ballot_hash(last.prev_hash, campaign.pk, 3, a.pk, last.nonce)
    last.save()
    verdict = tally_verify(campaign)
    assert verdict.broken_at is None and not verdict.ok
    text = " ".join(verdict.problems)
    assert "最后一个哈希" in text and "票数" in text and tally.head_hash != verdict.head_hash


def _download(campaign, tally):
    rows = [{"sequence": r.sequence, "nomination": r.nomination_id, "nonce": r.nonce, "prev_hash": r.prev_hash,
             "hash": r.hash} for r in Ballot.objects.filter(campaign=campaign).order_by("sequence")]  # fmt: skip
    return {"campaign": campaign.pk, "title": campaign.title, "counts": tally.counts, "ballots": rows,
            "head_hash": tally.head_hash}  # fmt: skip


def test_the_command_verifies_the_database_and_a_downloaded_file(cast, campaign, tmp_path, capsys):
    _three_votes(cast, campaign)
    end_vote(campaign)
    tally = tally_close(actor=None, campaign=campaign)
    call_command("verify_tally", str(campaign.pk))
    assert "核对无误" in capsys.readouterr().out
    data = _download(campaign, tally)
    good = tmp_path / "ballots.json"
    good.write_text(json.dumps(data), encoding="utf-8")
    call_command("verify_tally", str(campaign.pk), str(good))
    assert "核对无误" in capsys.readouterr().out
    data["ballots"][0]["nomination"] = shortlist(campaign)[3].pk
    bad = tmp_path / "altered.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("verify_tally", str(campaign.pk), str(bad))
    assert "第1张选票被改动过" in capsys.readouterr().out


def test_the_command_reads_the_csv_download_too(cast, campaign, tmp_path, capsys, client):
    from django.urls import reverse

    _three_votes(cast, campaign)
    end_vote(campaign)
    tally_close(actor=None, campaign=campaign)
    client.force_login(cast.parent_sun, backend="django.contrib.auth.backends.ModelBackend")
    text = client.get(reverse("awards:tally_download", args=[campaign.pk, "csv"])).content.decode()
    good = tmp_path / "ballots.csv"
    good.write_text(text, encoding="utf-8")
    call_command("verify_tally", str(campaign.pk), str(good))
    assert "核对无误" in capsys.readouterr().out
    bad = tmp_path / "short.csv"
    bad.write_text("\n".join(text.splitlines()[:-1]), encoding="utf-8")  # the last ballot left out
    with pytest.raises(SystemExit):
        call_command("verify_tally", str(campaign.pk), str(bad))
    out = capsys.readouterr().out
    assert "计票结果公布了 3 张选票,清单里有 2 张" in out and "链头哈希不同" in out
