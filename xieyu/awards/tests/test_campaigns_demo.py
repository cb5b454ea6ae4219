"""The demo campaigns tell the story: the finished 模范家庭 campaign (both schools, 黄志华's scores, one objection
upheld that let 李果果家庭 in, one dismissed, certificates numbered) and the open 优秀家长 campaign in its vote phase
with five shortlisted parents, 张伟 not among them; seeded quickly and only once."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from xieyu.awards.campaigns.models import Campaign, ExpertScore, Nomination, Objection
from xieyu.demo.awards import FAMILY_TITLE, PARENT_TITLE, seed_awards

pytestmark = [pytest.mark.django_db, pytest.mark.once]


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_demo_campaigns_tell_the_story(cast):
    started = time.monotonic()
    seed_awards(cast)
    assert time.monotonic() - started < 10
    seed_awards(cast)  # idempotent
    families = Campaign.objects.get(title=FAMILY_TITLE)
    assert families.phase == "result" and families.publicity_ends_at < families.result_at
    noms = Nomination.objects.filter(campaign=families)
    assert {n.school_id for n in noms} == {cast.school_a.pk, cast.school_b.pk}
    assert set(ExpertScore.objects.filter(nomination__campaign=families).values_list("expert", flat=True)) == {
        cast.expert_huang.pk
    }
    selected = list(noms.filter(status="selected").order_by("rank"))
    assert [n.display_name for n in selected] == ["张小明家庭", "孙浩家庭", "李果果家庭"]
    assert len({n.certificate_no for n in selected}) == 3 and all(n.certificate_no for n in selected)
    assert noms.get(status="removed").display_name == "周杰家庭"
    assert sorted(Objection.objects.filter(nomination__campaign=families).values_list("status", flat=True)) == [
        "dismissed", "upheld"]  # fmt: skip
    result = _client(cast.parent_zhang).get(reverse("awards:campaign_result", args=[families.pk])).content.decode()
    assert "李果果家庭" in result and "成立1条" in result and "下载荣誉证书" in result and "孙丽" not in result

    parents = Campaign.objects.get(title=PARENT_TITLE)
    assert (parents.phase, parents.has_vote, parents.expert_weight, parents.vote_weight) == ("vote", True, 70, 30)
    shortlisted = Nomination.objects.filter(campaign=parents, status="shortlisted")
    assert shortlisted.count() >= 4
    assert not shortlisted.filter(guardian__user=cast.parent_zhang).exists()
    page = _client(cast.parent_zhang).get(reverse("awards:campaign_detail", args=[parents.pk]))
    assert page.status_code == 200
