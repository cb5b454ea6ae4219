"""A winner of a finished campaign becomes a typical case: the county puts the deeds forward from the result page,
once per nominee; the case waits in the library's review; no one else may do it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xieyu.awards.campaigns.models import Campaign, Nomination
from xieyu.demo.awards import FAMILY_TITLE, seed_awards
from xieyu.publicity.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def winner(cast):
    seed_awards(cast)
    campaign = Campaign.objects.get(title=FAMILY_TITLE)
    return Nomination.objects.filter(campaign=campaign, status=Nomination.Status.SELECTED).order_by("rank").first()


def test_the_county_puts_a_winner_forward_as_a_typical_case_once(cast, client_for, winner):
    client = client_for("county_admin_chen")
    result = client.get(reverse("awards:campaign_result", args=[winner.campaign_id])).content.decode()
    assert reverse("awards:nomination_promote", args=[winner.pk]) in result
    client.post(reverse("awards:nomination_promote", args=[winner.pk]))
    case = Case.objects.get()
    assert case.status == Case.Status.SUBMITTED and case.school == winner.school
    assert winner.display_name in case.title and FAMILY_TITLE in case.source
    assert case.theme == "family_tradition" and case.background
    client.post(reverse("awards:nomination_promote", args=[winner.pk]))
    assert Case.objects.count() == 1


@pytest.mark.parametrize("persona", ["school_admin_liu", "parent_zhang", "expert_huang"])
def test_no_one_but_the_county_puts_a_winner_forward(cast, client_for, winner, persona):
    response = client_for(persona).post(reverse("awards:nomination_promote", args=[winner.pk]))
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_a_nominee_who_was_not_selected_is_refused(cast, client_for, winner):
    removed = Nomination.objects.get(campaign=winner.campaign, status=Nomination.Status.REMOVED)
    client_for("county_admin_chen").post(reverse("awards:nomination_promote", args=[removed.pk]))
    assert not Case.objects.exists()
