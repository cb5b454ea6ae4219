"""A neighbouring county (龙南市) sees nothing of 全南县's questionnaires, waves, answers and figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xieyu.publicity.tests.articles_fixtures import client_of, neighbour  # noqa: F401
from xieyu.surveys import access, services
from xieyu.surveys.models import Response

from .fixtures import GOOD, open_wave

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["admin", "school_admin", "father"])
def test_the_neighbour_county_sees_nothing(cast, survey, neighbour, who):  # noqa: F811
    wave = open_wave(cast.county_admin_chen, survey, audience="county")
    services.response_submit(actor=cast.parent_zhang, wave=wave, answers=GOOD, consent=True)
    user = neighbour[who]
    c = client_of(user)
    for path in (reverse("surveys:detail", args=[survey.pk]), reverse("surveys:wave", args=[wave.pk]),
                 reverse("surveys:wave_export", args=[wave.pk, "xlsx"]), reverse("surveys:answer", args=[wave.pk]),
                 reverse("surveys:wave_new", args=[survey.pk])):  # fmt: skip
        assert c.get(path).status_code == 404, path
    for name in ("surveys:wave_remind", "surveys:wave_close", "surveys:skip"):
        assert c.post(reverse(name, args=[wave.pk])).status_code == 404, name
    assert c.get(f"/api/v1/surveys/waves/{wave.pk}/results").status_code == 404
    assert c.get(f"/api/v1/surveys/waves/{wave.pk}/questions").status_code == 404
    assert not access.questionnaires_visible_to(user).exists()
    assert access.invitations_for(user) == []
    assert Response.objects.count() == 1
    wave.refresh_from_db()
    assert wave.is_open()
