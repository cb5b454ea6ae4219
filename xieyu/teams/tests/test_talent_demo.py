"""The demo's talent pool tells the story: 刘芳 finds six consenting parents of 城厢小学 (never the one without
consent); one parent, checked first, is a helper of the 书法 session; another waits for her check."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xieyu.demo.county import seed_county
from xieyu.events.models import Staff
from xieyu.teams.models import TalentInvitation, TalentProfile
from xieyu.teams.talent import access

pytestmark = pytest.mark.once


def test_the_demo_talent_pool(db):
    cast, _stats = seed_county(schools=3, students=400)
    liu = cast.school_admin_liu
    pool = list(access.searchable_by(liu))
    assert len(pool) == 6
    hidden = TalentProfile.objects.get(consent_at__isnull=True)
    assert hidden not in pool
    placed = TalentInvitation.objects.get(status=TalentInvitation.Status.PLACED)
    assert Staff.objects.filter(event=placed.event, user=placed.profile.guardian.user, role="helper").exists()
    assert TalentInvitation.objects.filter(status=TalentInvitation.Status.AWAITING_CHECK).count() == 1

    client = Client()
    client.force_login(liu, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("teams:talent_search")).content.decode()
    assert f'data-profile="{hidden.pk}"' not in page
    assert "课后服务·花样跳绳" in page  # the invitation waiting for the check
    assert client.get(reverse("teams:talent_profile", args=[hidden.pk])).status_code == 404
