"""The vote page, the tally pages and the votes API, for each kind of visitor (the neighbour matrix)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from xieyu.awards.models import Ballot, Nomination, VoteMark
from xieyu.awards.votes.services import tally_close, vote_cast

from .votes_fixtures import end_vote, shortlist, vote_campaign


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _page(client, campaign):
    return client.get(reverse("awards:vote", args=[campaign.pk]))


def _without_tokens(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", html)


def _cast_three(cast, campaign):
    a, b = shortlist(campaign)[:2]
    for user, n in [(cast.parent_zhang, a), (cast.parent_sun, a), (cast.grandma_zhao, b)]:
        vote_cast(actor=user, campaign=campaign, nomination_id=n.pk)
    return a, b


# --- the vote page ------------------------------------------------------------------------------------------


def test_a_guardian_sees_the_shortlist_with_deeds_and_one_button_each(cast, campaign):
    body = _page(_client(cast.parent_zhang), campaign).content.decode()
    for n in shortlist(campaign):
        assert n.display_name in body and n.statement in body
    assert body.count('name="nomination"') == 4
    assert "未入围的家长" not in body  # only the shortlist is voted on
    assert "您家有一票" in body


def test_voting_on_the_page_then_the_family_is_told_and_never_for_whom(cast, campaign, wife):
    zhang = _client(cast.parent_zhang)
    choice = shortlist(campaign)[2]
    response = zhang.post(reverse("awards:vote", args=[campaign.pk]), {"nomination": choice.pk}, follow=True)
    body = response.content.decode()
    assert "您家的一票已计入" in body and "您家已投票" in body
    assert 'name="nomination"' not in body
    assert Ballot.objects.get(campaign=campaign).nomination == choice
    wife_page = _page(_client(wife), campaign).content.decode()
    assert "您家已投票" in wife_page and 'name="nomination"' not in wife_page
    # The page is the same whoever the family voted for: nothing on it says which nominee.
    Ballot.objects.filter(campaign=campaign).update(nomination=shortlist(campaign)[0])
    assert _without_tokens(_page(_client(wife), campaign).content.decode()) == _without_tokens(wife_page)


def test_the_second_guardian_posting_anyway_is_refused_and_nothing_changes(cast, campaign, wife):
    vote_cast(actor=cast.parent_zhang, campaign=campaign, nomination_id=shortlist(campaign)[0].pk)
    response = _client(wife).post(reverse("awards:vote", args=[campaign.pk]),
                                  {"nomination": shortlist(campaign)[1].pk}, follow=True)  # fmt: skip
    assert "您家已经投过票" in response.content.decode()
    assert Ballot.objects.count() == 1 and VoteMark.objects.count() == 1


@pytest.mark.parametrize("bad", ["", "abc", "-3", "99999999999999999999", "１"])
def test_a_bad_choice_is_named_and_changes_nothing(cast, campaign, bad):
    response = _client(cast.parent_zhang).post(reverse("awards:vote", args=[campaign.pk]), {"nomination": bad},
                                               follow=True)  # fmt: skip
    assert "请从本次投票的名单中选择一位候选人" in response.content.decode()
    assert not Ballot.objects.exists() and not VoteMark.objects.exists()


def test_after_the_window_the_page_says_closed_and_offers_no_button(cast, campaign):
    end_vote(campaign)
    body = _page(_client(cast.parent_zhang), campaign).content.decode()
    assert "投票已经结束" in body and 'name="nomination"' not in body
    tally_close(actor=None, campaign=campaign)
    assert reverse("awards:tally", args=[campaign.pk]) in _page(_client(cast.parent_zhang), campaign).content.decode()


def test_too_many_tries_on_the_page_get_a_message(cast, campaign, settings):
    settings.AWARDS_VOTE_TRIES_PER_MINUTE = 2
    client = _client(cast.parent_zhang)
    url = reverse("awards:vote", args=[campaign.pk])
    for _ in range(2):
        client.post(url, {"nomination": "x"})
    response = client.post(url, {"nomination": shortlist(campaign)[0].pk}, follow=True)
    assert "尝试次数太多" in response.content.decode() and not Ballot.objects.exists()


def test_who_sees_the_vote_page(cast, campaign, wife, neighbour):
    assert _page(_client(cast.parent_zhang), campaign).status_code == 200
    assert _page(_client(wife), campaign).status_code == 200
    assert _page(_client(neighbour), campaign).status_code == 404  # a guardian of the neighbouring county
    other = vote_campaign(cast, title="外县评选", county=neighbour.guardian.guardianships.get().student.school.county)
    assert _page(_client(cast.parent_zhang), other).status_code == 404
    assert _page(_client(neighbour), other).status_code == 200
    staff = _page(_client(cast.teacher_he), campaign)  # staff of the county read it, and may not vote
    assert staff.status_code == 200 and 'name="nomination"' not in staff.content.decode()
    assert "只有孩子在本次评选范围内学校就读" in staff.content.decode()
    anonymous = _page(_client(None), campaign)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert _client(cast.parent_zhang).get(reverse("awards:vote", args=[10**12])).status_code == 404


def test_a_campaign_without_a_vote_or_still_in_review_has_no_vote_page(cast):
    from xieyu.awards.models import Campaign

    review = vote_campaign(cast, phase=Campaign.Phase.COUNTY_REVIEW)
    assert _page(_client(cast.parent_zhang), review).status_code == 404
    no_vote = vote_campaign(cast, title="不投票的评选")
    Campaign.objects.filter(pk=no_vote.pk).update(has_vote=False)
    assert _page(_client(cast.parent_zhang), no_vote).status_code == 404


def test_the_vote_page_runs_a_fixed_number_of_queries(cast, campaign, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(cast.parent_zhang)
    with CaptureQueriesContext(connection) as small:
        _page(client, campaign)
    for i in range(12):
        Nomination.objects.create(campaign=campaign, by="school", nominated_by=cast.school_admin_liu,
                                  display_name=f"家长{i}", statement="事迹", status="shortlisted")  # fmt: skip
    vote_cast(actor=cast.parent_sun, campaign=campaign, nomination_id=shortlist(campaign)[0].pk)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert _page(client, campaign).status_code == 200


# --- the tally ----------------------------------------------------------------------------------------------


def _closed(cast, campaign):
    a, b = _cast_three(cast, campaign)
    end_vote(campaign)
    return tally_close(actor=cast.county_admin_chen, campaign=campaign), a, b


def test_the_tally_page_shows_counts_head_hash_how_to_check_and_downloads(cast, campaign):
    tally, a, b = _closed(cast, campaign)
    body = _client(cast.parent_zhang).get(reverse("awards:tally", args=[campaign.pk])).content.decode()
    assert tally.head_hash in body and "如何核对计票结果" in body
    assert f'data-nomination="{a.pk}"><td>{a.display_name}</td><td>2</td>' in body
    assert f'data-nomination="{b.pk}"><td>{b.display_name}</td><td>1</td>' in body
    assert reverse("awards:tally_download", args=[campaign.pk, "csv"]) in body
    assert reverse("awards:tally_verify", args=[campaign.pk]) in body


def test_the_downloads_hold_every_ballot(cast, campaign):
    tally, a, b = _closed(cast, campaign)
    client = _client(cast.teacher_he)
    text = client.get(reverse("awards:tally_download", args=[campaign.pk, "csv"])).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["sequence"]) for r in rows] == [1, 2, 3] and rows[-1]["hash"] == tally.head_hash
    data = json.loads(client.get(reverse("awards:tally_download", args=[campaign.pk, "json"])).content)
    assert data["head_hash"] == tally.head_hash and len(data["ballots"]) == 3
    assert data["counts"][str(a.pk)] == 2 and data["nominees"][str(a.pk)] == a.display_name
    assert client.get(reverse("awards:tally_download", args=[campaign.pk, "xml"])).status_code == 404


def test_the_verify_page_checks_out_and_shows_an_alteration(cast, campaign):
    _closed(cast, campaign)
    client = _client(cast.parent_zhang)
    url = reverse("awards:tally_verify", args=[campaign.pk])
    assert 'data-ok="yes"' in client.get(url).content.decode()
    Ballot.objects.filter(campaign=campaign, sequence=1).update(nomination=shortlist(campaign)[3])
    body = client.get(url).content.decode()
    assert 'data-ok="no"' in body and "第1张选票被改动过" in body


def test_who_reads_the_tally(cast, campaign, neighbour):
    urls = [reverse("awards:tally", args=[campaign.pk]), reverse("awards:tally_verify", args=[campaign.pk]),
            reverse("awards:tally_download", args=[campaign.pk, "json"])]  # fmt: skip
    for url in urls:  # not before close
        assert _client(cast.parent_zhang).get(url).status_code == 404
    _closed(cast, campaign)
    for url in urls:
        for user in [cast.parent_zhang, cast.parent_sun, cast.teacher_he, cast.county_admin_chen, cast.partner_wu]:
            assert _client(user).get(url).status_code == 200, (url, user)
        assert _client(neighbour).get(url).status_code == 404
        assert _client(None).get(url).status_code == 302


def test_the_tally_page_runs_a_fixed_number_of_queries(cast, campaign, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small_campaign = vote_campaign(cast, title="小评选")
    vote_cast(actor=cast.parent_zhang, campaign=small_campaign, nomination_id=shortlist(small_campaign)[0].pk)
    end_vote(small_campaign)
    tally_close(actor=None, campaign=small_campaign)
    client = _client(cast.parent_zhang)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("awards:tally", args=[small_campaign.pk]))
    _closed(cast, campaign)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("awards:tally", args=[campaign.pk])).status_code == 200


# --- the API --------------------------------------------------------------------------------------------------


API = "/api/v1/awards/votes"


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_api_votes_by_the_same_rules(cast, campaign, wife, neighbour, settings):
    url = f"{API}/{campaign.pk}/vote"
    first, second = shortlist(campaign)[:2]
    created = _post(_client(cast.parent_zhang), url, {"nomination_id": first.pk})
    assert created.status_code == 201 and created.json()["voted"] is True
    again = _post(_client(wife), url, {"nomination_id": second.pk})
    assert again.status_code == 400 and again.json()["error"]["message"] == "您家已经投过票。"
    bad = _post(_client(cast.parent_sun), url, {"nomination_id": 10**12})
    assert bad.status_code == 400 and "名单" in bad.json()["error"]["message"]
    assert _post(_client(cast.parent_sun), url, {"nomination_id": "abc"}).status_code == 422
    staff = _post(_client(cast.teacher_he), url, {"nomination_id": first.pk})
    assert staff.status_code == 400 and "只有" in staff.json()["error"]["message"]
    assert _post(_client(neighbour), url, {"nomination_id": first.pk}).status_code == 404
    assert _post(_client(None), url, {"nomination_id": first.pk}).status_code == 401
    assert _post(_client(cast.parent_sun), f"{API}/{10**12}/vote", {"nomination_id": first.pk}).status_code == 404
    assert Ballot.objects.count() == 1 and VoteMark.objects.count() == 1


def test_the_api_answers_429_after_too_many_tries(cast, campaign, settings):
    settings.AWARDS_VOTE_TRIES_PER_MINUTE = 2
    client = _client(cast.parent_sun)
    url = f"{API}/{campaign.pk}/vote"
    for _ in range(2):
        assert _post(client, url, {"nomination_id": 10**12}).status_code == 400
    limited = _post(client, url, {"nomination_id": shortlist(campaign)[0].pk})
    assert limited.status_code == 429 and "请稍等一分钟" in limited.json()["error"]["message"]
    assert not Ballot.objects.exists()


def test_the_api_reads_the_tally_and_ballots_after_close(cast, campaign, neighbour):
    assert _client(cast.parent_zhang).get(f"{API}/{campaign.pk}/tally").status_code == 404
    tally, a, b = _closed(cast, campaign)
    closed = _post(_client(cast.parent_zhang), f"{API}/{campaign.pk}/vote", {"nomination_id": a.pk})
    assert closed.status_code == 400 and "投票已经结束" in closed.json()["error"]["message"]
    body = _client(cast.teacher_he).get(f"{API}/{campaign.pk}/tally").json()
    assert body["ballots"] == 3 and body["head_hash"] == tally.head_hash
    assert body["counts"][0] == {"nomination_id": a.pk, "nominee": a.display_name, "votes": 2}
    assert len(body["counts"]) == 4
    page = _client(cast.parent_zhang).get(f"{API}/{campaign.pk}/ballots?page_size=2").json()
    assert page["count"] == 3 and [b["sequence"] for b in page["items"]] == [1, 2]
    assert set(page["items"][0]) == {"sequence", "nomination_id", "nonce", "prev_hash", "hash"}
    assert _client(neighbour).get(f"{API}/{campaign.pk}/tally").status_code == 404
    assert _client(neighbour).get(f"{API}/{campaign.pk}/ballots").status_code == 404
    assert _client(None).get(f"{API}/{campaign.pk}/tally").status_code == 401
