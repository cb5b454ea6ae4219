"""The registry API: the same scope as the pages, the project's error shape, bad ids 404."""

from __future__ import annotations

import json

import pytest

from xieyu.audit.models import AccessEvent
from xieyu.care.models import RegistryEntry

from .registry_helpers import other_county_partner, propose_liu, register_liu

API = "/api/v1/care/registry"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    "persona, count",
    [("head_teacher_li", 1), ("school_admin_liu", 1), ("county_admin_chen", 1), ("counsellor_zhou", 1),
     ("partner_wu", 1), ("partner_luo", 1), ("head_teacher_wang", 0), ("school_admin_wang", 0), ("grandma_zhao", 0),
     ("parent_zhang", 0), ("teacher_he", 0)],
)  # fmt: skip
def test_the_list_and_detail_follow_the_pages_scope(cast, client_for, persona, count):
    entry = register_liu(cast)
    c = client_for(persona)
    body = c.get(API).json()
    assert body["count"] == count
    detail = c.get(f"{API}/{entry.pk}")
    if count:
        item = body["items"][0]
        assert item["student_name"] == "刘小宇" and item["categories"] == ["left_behind_both"]
        assert item["carer_phone_masked"] == "138****0032" and "carer_phone" not in item
        assert detail.status_code == 200 and detail.json()["carer_phone"] == "13800000032"
        assert AccessEvent.objects.filter(actor=getattr(cast, persona), purpose="care.registry").exists()
    else:
        assert detail.status_code == 404
        assert detail.json()["error"]["code"] == "not_found"


def test_other_county_partner_and_anonymous(cast, client_for):
    entry = register_liu(cast)
    from django.test import Client

    c = Client()
    c.force_login(other_county_partner(), backend="django.contrib.auth.backends.ModelBackend")
    assert c.get(API).json()["count"] == 0
    assert c.get(f"{API}/{entry.pk}").status_code == 404
    assert client_for(None).get(API).status_code == 401
    assert client_for("head_teacher_li").get(f"{API}/99999999999999999999").status_code == 404


def test_a_proposal_is_not_in_a_partners_list(cast, client_for):
    propose_liu(cast)
    assert client_for("partner_wu").get(API).json()["count"] == 0
    assert client_for("school_admin_liu").get(f"{API}?state=proposed").json()["count"] == 1


def test_propose_and_confirm_through_the_api(cast, client_for):
    liu = cast.students["liu_xiaoyu"]
    li = client_for("head_teacher_li")
    r = post(li, API, {"student_id": liu.pk, "categories": [{"category": "left_behind_both", "source": "head_teacher"}],
                       "carer_name": "赵秀英", "carer_phone": "13800000032"})  # fmt: skip
    assert r.status_code == 201, r.content
    entry_id = r.json()["id"]
    assert r.json()["state"] == "proposed" and {p["who"] for p in r.json()["absent_parents"]} == {"father", "mother"}
    assert post(li, f"{API}/{entry_id}/confirm", {}).status_code == 404
    r = post(client_for("school_admin_liu"), f"{API}/{entry_id}/confirm", {})
    assert r.status_code == 200 and r.json()["state"] == "confirmed" and r.json()["reviews"]


@pytest.mark.parametrize(
    "body, status, text",
    [
        ({"categories": [{"category": "lonely", "source": "head_teacher"}]}, 422, "未知的建档类别"),
        ({"categories": [{"category": "left_behind_one", "source": "head_teacher"}], "carer_phone": "123"}, 422,
         "11 位手机号"),
        ({"categories": []}, 422, "请至少选择一个建档类别"),
    ],
)  # fmt: skip
def test_bad_proposals_answer_422_with_the_reason(cast, client_for, body, status, text):
    r = post(client_for("head_teacher_li"), API, {"student_id": cast.students["liu_xiaoyu"].pk, **body})
    assert r.status_code == status and text in r.json()["error"]["message"]
    assert not RegistryEntry.objects.exists()


def test_proposing_a_pupil_of_another_school_is_404(cast, client_for):
    body = {"student_id": cast.students["sun_hao"].pk, "categories": [{"category": "orphan", "source": "head_teacher"}]}
    assert post(client_for("head_teacher_li"), API, body).status_code == 404
    assert post(client_for("partner_wu"), API, body).status_code == 404
    assert not RegistryEntry.objects.exists()
