"""The cases API and opening a case from an urgent question: the same rules as the pages (the caseload without
section text, sections at the caller's level, 404 for every neighbour, only the supervisor decides)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from xieyu.audit.models import AccessEvent
from xieyu.care.cases import services
from xieyu.care.models import Approval, Case
from xieyu.questions.asking import services as asking

from . import cases_fixtures as fx
from .cases_fixtures import ASSESSMENT, CONFLICT, FAMILY_SUPPORT

liu_case, neighbours, third_counsellor = fx.liu_case, fx.neighbours, fx.third_counsellor

pytestmark = pytest.mark.django_db
API = "/api/v1/care/cases"


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def plan_waiting(cast, liu_case):
    services.case_move(actor=cast.counsellor_zhou, case=liu_case, to_state="assessment")
    services.case_move(actor=cast.counsellor_zhou, case=liu_case, to_state="plan")
    return services.approval_request(
        actor=cast.counsellor_zhou, case=liu_case, kind="plan", text="每两周家访一次,每周一次电话。"
    )


def test_the_caseload_carries_no_section_text(cast, liu_case, client_for):
    body = client_for("counsellor_zhou").get(API)
    assert body.status_code == 200
    data = body.json()
    assert data["count"] == 1 and data["items"][0]["title"] == liu_case.title and data["items"][0]["level"] == "full"
    text = body.content.decode()
    assert CONFLICT not in text and ASSESSMENT not in text and FAMILY_SUPPORT not in text


@pytest.mark.parametrize(
    "persona, sections",
    [
        ("counsellor_zhou", {"assessment", "family_support", "family_conflict"}),
        ("supervisor_zhong", {"assessment", "family_support", "family_conflict"}),
        ("school_admin_liu", {"assessment", "family_support"}),
        ("head_teacher_li", set()),
    ],
)
def test_the_detail_shows_sections_at_the_callers_level_and_logs_the_read(
    cast, liu_case, client_for, persona, sections
):
    response = client_for(persona).get(f"{API}/{liu_case.pk}")
    assert response.status_code == 200
    data = response.json()
    assert {s["section"] for s in data["sections"]} == sections
    if persona == "head_teacher_li":
        assert data["risk"] is None and data["supervisor"] is None and len(data["actions"]) == 1
        assert data["follow_ups"] == [] and data["approvals"] == []
    event = AccessEvent.objects.filter(actor=getattr(cast, persona), target_id=str(liu_case.pk)).get()
    assert set(event.detail["sections"]) >= sections and event.purpose == "care.case.api"


@pytest.mark.parametrize("persona", ["head_teacher_wang", "counsellor_other_county", "partner_wu", "partner_other_county",
                                     "grandma_zhao", "parent_zhang", "counsellor_kong"])  # fmt: skip
def test_neighbours_get_404_on_every_api_path(
    neighbours, liu_case, third_counsellor, plan_waiting, client_for, persona
):
    client = client_for(persona)
    assert client.get(API).json()["count"] == 0
    assert client.get(f"{API}/{liu_case.pk}").status_code == 404
    assert (
        _post(client, f"{API}/{liu_case.pk}/follow-ups", {"kind": "call", "note": "电话联系了奶奶"}).status_code == 404
    )
    assert _post(client, f"{API}/approvals/{plan_waiting.pk}/decide", {"approve": True}).status_code == 404
    assert not liu_case.follow_ups.exists()
    plan_waiting.refresh_from_db()
    assert plan_waiting.state == Approval.State.REQUESTED


def test_anonymous_gets_401(liu_case, client_for):
    assert client_for(None).get(API).status_code == 401


def test_follow_up_and_decision_through_the_api(cast, liu_case, plan_waiting, client_for):
    zhou, zhong = client_for("counsellor_zhou"), client_for("supervisor_zhong")
    bad = _post(zhou, f"{API}/{liu_case.pk}/follow-ups", {"kind": "call", "note": ""})
    assert bad.status_code == 422 and "跟进记录" in bad.json()["error"]["message"]
    ok = _post(zhou, f"{API}/{liu_case.pk}/follow-ups", {"kind": "call", "note": "电话联系了奶奶,孩子情绪好转"})
    assert ok.status_code == 201 and ok.json()["follow_ups"][0]["note"] == "电话联系了奶奶,孩子情绪好转"
    # the owner may not decide her own plan; a rejection needs a comment
    assert _post(zhou, f"{API}/approvals/{plan_waiting.pk}/decide", {"approve": True}).status_code == 404
    refused = _post(zhong, f"{API}/approvals/{plan_waiting.pk}/decide", {"approve": False})
    assert refused.status_code == 422
    decided = _post(zhong, f"{API}/approvals/{plan_waiting.pk}/decide", {"approve": True, "comment": "同意"})
    assert decided.status_code == 200 and decided.json()["state"] == "approved"
    again = _post(zhong, f"{API}/approvals/{plan_waiting.pk}/decide", {"approve": False, "comment": "改主意"})
    assert again.status_code == 422 and "已经审批过" in again.json()["error"]["message"]


# --- opening a case from an urgent question -------------------------------------------------------------------------


@pytest.fixture
def urgent_question(cast):
    return asking.question_ask(
        actor=cast.parent_zhang, student=cast.students["zhang_xiaoming"], level="class", category="emotions",
        title="孩子说不想活了", body="孩子这几天说不想活了,晚上一直哭,我们很害怕,该怎么办?",
    )  # fmt: skip


def test_the_counsellor_opens_a_case_from_the_urgent_alert(cast, urgent_question, client_for):
    client = client_for("counsellor_zhou")
    home = client.get("/").content.decode()
    open_url = f"{reverse('care:case_open')}?question={urgent_question.pk}"
    assert f'data-open-case href="{open_url}"' in home and "开案" in home
    form = client.get(open_url).content.decode()
    assert "张小明" in form and 'value="孩子说不想活了"' in form
    no_supervisor = client.post(open_url, {"title": "张小明 紧急", "risk": "high", "supervisor": ""})
    assert no_supervisor.status_code == 422 and "请从列表中选择督导" in no_supervisor.content.decode()
    assert not Case.objects.exists()
    client.post(open_url, {"title": "张小明 紧急", "risk": "high", "supervisor": cast.supervisor_zhong.pk,
                           "question": urgent_question.pk})  # fmt: skip
    case = Case.objects.get()
    assert (
        case.question == urgent_question
        and case.origin == Case.Origin.URGENT_QUESTION
        and case.owner == cast.counsellor_zhou
    )
    # the second counsellor is pointed to the open case rather than opening another
    again = client_for("supervisor_zhong").get(open_url).content.decode()
    assert 'id="existing"' in again


@pytest.mark.parametrize("persona", ["head_teacher_li", "partner_wu", "counsellor_other_county", "grandma_zhao"])
def test_only_the_countys_counsellors_open_a_case_from_a_question(neighbours, urgent_question, client_for, persona):
    url = f"{reverse('care:case_open')}?question={urgent_question.pk}"
    assert client_for(persona).get(url).status_code == 404


def test_a_linked_question_is_shown_only_to_those_who_see_it(cast, urgent_question, client_for):
    case = services.case_open(
        actor=cast.counsellor_zhou, student=urgent_question.student, origin="urgent_question", title="张小明 紧急",
        owner=cast.counsellor_zhou, supervisor=cast.supervisor_zhong, risk="high", question=urgent_question,
    )  # fmt: skip
    link = reverse("questions:detail", args=[urgent_question.pk])
    assert link in client_for("counsellor_zhou").get(reverse("care:case_detail", args=[case.pk])).content.decode()
    services.action_ask(actor=cast.counsellor_zhou, case=case, assignee=cast.head_teacher_li, text="请留意孩子情绪")
    # the head teacher sees the class-level question herself; a school admin sees flagged questions of the school
    assert link in client_for("head_teacher_li").get(reverse("care:case_detail", args=[case.pk])).content.decode()
