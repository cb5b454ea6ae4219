"""The surveys API: the same rules and messages as the pages, tried by the neighbour and anonymous."""

from __future__ import annotations

import pytest
from django.test import Client

from xieyu.accounts.tokens import token_create
from xieyu.surveys.models import Response

from .fixtures import GOOD

API = "/api/v1/surveys"
pytestmark = pytest.mark.django_db


def bearer(cast, persona: str | None) -> Client:
    if persona is None:
        return Client()
    _token, plain = token_create(actor=None, user=getattr(cast, persona), name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def test_a_family_answers_through_the_api(cast, class_wave):
    c = bearer(cast, "parent_zhang")
    mine = c.get(f"{API}/mine").json()
    assert [(m["wave_id"], m["state"]) for m in mine] == [(class_wave.pk, "open")]
    questions = c.get(f"{API}/waves/{class_wave.pk}/questions").json()
    assert [q["code"] for q in questions["questions"]][:3] == ["reads", "minutes", "talk"]
    assert questions["questions"][1]["show_if"] == {"code": "reads", "in": ["1"]}
    bad = c.post(f"{API}/waves/{class_wave.pk}/answers", {"answers": {**GOOD, "talk": 7}, "consent": True},
                 content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    assert bad.json()["error"]["details"][0]["question"] == "talk"
    assert not Response.objects.exists()
    no_consent = c.post(f"{API}/waves/{class_wave.pk}/answers", {"answers": GOOD}, content_type="application/json")
    assert no_consent.status_code == 400 and not Response.objects.exists()
    ok = c.post(f"{API}/waves/{class_wave.pk}/answers", {"answers": {**GOOD, "talk": 4}, "consent": True},
                content_type="application/json")  # fmt: skip
    assert ok.status_code == 201, ok.content
    assert Response.objects.get().scores == {"company": 87.5, "study": 75.0}
    assert c.get(f"{API}/mine").json()[0]["state"] == "submitted"
    skip = c.post(f"{API}/waves/{class_wave.pk}/skip", {}, content_type="application/json")
    assert skip.status_code == 400


@pytest.mark.parametrize("persona, status", [("parent_sun", 404), ("head_teacher_wang", 404), ("school_admin_liu", 404),
                                             (None, 401)])  # fmt: skip
def test_the_neighbour_cannot_answer(cast, class_wave, persona, status):
    c = bearer(cast, persona)
    assert c.get(f"{API}/waves/{class_wave.pk}/questions").status_code == status
    r = c.post(f"{API}/waves/{class_wave.pk}/answers", {"answers": GOOD, "consent": True},
               content_type="application/json")  # fmt: skip
    assert r.status_code == status
    assert c.post(f"{API}/waves/{class_wave.pk}/skip", {}, content_type="application/json").status_code == status
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [("head_teacher_li", 200), ("school_admin_liu", 200), ("county_admin_chen", 200), ("head_teacher_wang", 404),
     ("school_admin_wang", 404), ("parent_zhang", 404), (None, 401)],
)  # fmt: skip
def test_results_by_scope(cast, class_wave, persona, status):
    r = bearer(cast, persona).get(f"{API}/waves/{class_wave.pk}/results")
    assert r.status_code == status
    if status == 200:
        assert r.json()["answered"]["display"] == "<5"


def test_a_closed_wave_is_refused_with_the_message(cast, class_wave):
    from xieyu.surveys import services

    services.wave_close(actor=cast.head_teacher_li, wave=class_wave)
    r = bearer(cast, "parent_zhang").post(f"{API}/waves/{class_wave.pk}/answers", {"answers": GOOD, "consent": True},
                                          content_type="application/json")  # fmt: skip
    assert r.status_code == 400
    assert not Response.objects.exists()
