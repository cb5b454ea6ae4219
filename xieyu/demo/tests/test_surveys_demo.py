"""The demo county's questionnaire: two waves on the same families, so the pages show figures and change."""

import pytest

from xieyu.demo.surveys import TITLE, seed_surveys
from xieyu.surveys.models import Questionnaire, Response

pytestmark = pytest.mark.once


def test_demo_surveys_give_the_pages_something_to_show(cast, client_for):
    seed_surveys(cast)
    q = Questionnaire.objects.get(title=TITLE)
    first, second = q.waves.order_by("number")
    assert not first.is_open() and second.is_open()
    assert Response.objects.filter(wave=first).count() >= 1
    assert Response.objects.filter(wave=second).count() >= 1
    mine = client_for("parent_zhang").get("/surveys/mine/").content.decode()
    assert second.title in mine
    assert client_for("school_admin_liu").get(f"/surveys/wave/{second.pk}/compare/?with={first.pk}").status_code == 200
