"""The guardian's own rights (条例 §34): 赵秀英 sees what the platform holds about 刘小宇 in care and who read it (by
role, never by name), downloads a copy, asks for a correction that reaches the school admin, who answers with a
reason; another family sees nothing."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xieyu.audit.services import access_record
from xieyu.care.models import AbsentParent, RightsRequest
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_for
from xieyu.notices.models import Delivery

from . import figures_data as data


@pytest.fixture
def liu(cast):
    """刘小宇 registered as left behind by both parents (school survey), his carer 赵秀英; a case owned by 周敏 that
    周敏 has read; a consent to 妇联 covering family support."""
    child = cast.students["liu_xiaoyu"]
    entry = data.register(child, ["left_behind_both"], carer_name="赵秀英", village="城厢镇城南社区")
    entry.carer_relationship, entry.carer_source = "奶奶", "school_survey"
    entry.save()
    AbsentParent.objects.create(entry=entry, who="father", name="刘军", works_in="广东东莞", source="school_survey")
    case = data.case(cast, child, entry=entry)
    case.title = "绝不给家长看的标题"
    case.save()
    grandma = child.guardianships.get(relationship="grandmother").guardian
    data.consent(cast, child, grandma)
    access_record(actor=cast.counsellor_zhou, target=case, purpose="care.case", detail={"sections": ["summary"]})
    access_record(actor=cast.head_teacher_li, target=child, purpose="student.view")
    return child


def url(name, *args):
    return reverse(f"care:{name}", args=args)


def test_the_guardian_sees_the_registry_facts_consents_that_a_case_exists_and_who_read_by_role(cast, client_for, liu):
    page = client_for("grandma_zhao").get(url("rights_child", liu.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "赵秀英" in html and "广东东莞" in html and "城厢镇城南社区" in html
    assert 'data-category="left_behind_both"' in html
    assert "全南县妇联" in html
    assert "data-case" in html and "绝不给家长看的标题" not in html
    assert "个案记录由辅导员保管" in html
    log = html.split('id="access-log"', 1)[1]
    assert "心理辅导员" in log and "班主任" in log
    assert "周敏" not in log and "李娜" not in log


def test_the_guardians_own_reads_are_not_in_the_log_they_see(cast, client_for, liu):
    c = client_for("grandma_zhao")
    c.get(url("rights_child", liu.pk))
    html = c.get(url("rights_child", liu.pk)).content.decode()
    assert html.count("data-read-row") == 2


def test_the_copy_is_an_xlsx_with_the_facts_and_the_reads_by_role(cast, client_for, liu):
    response = client_for("grandma_zhao").get(url("rights_child_export", liu.pk))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    text = {ws.title: [[str(v) for v in row if v is not None] for row in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets}  # fmt: skip
    flat = json.dumps(text, ensure_ascii=False)
    assert "刘小宇" in flat and "赵秀英" in flat and "广东东莞" in flat and "全南县妇联" in flat
    assert "心理辅导员" in flat and "周敏" not in flat and "绝不给家长看的标题" not in flat
    print_page = client_for("grandma_zhao").get(url("rights_child_print", liu.pk))
    assert print_page.status_code == 200 and "赵秀英" in print_page.content.decode()


def test_a_correction_reaches_the_school_admin_and_is_answered_with_a_reason(cast, client_for, liu):
    grandma = client_for("grandma_zhao")
    response = grandma.post(url("rights_request_new", liu.pk), {"kind": "correction", "detail": "父亲已回乡务工"})
    assert response.status_code == 302
    req = RightsRequest.objects.get(student=liu)
    deadline = deadline_for(req)
    assert deadline is not None and deadline.policy.name == "care.rights" and deadline.school_id == cast.school_a.pk
    assert Delivery.objects.filter(user=cast.school_admin_liu, notice__topic="care.rights").exists()

    admin = client_for("school_admin_liu")
    listing = admin.get(url("rights_requests")).content.decode()
    assert f'data-request="{req.pk}"' in listing and "刘小宇" in listing
    assert "父亲已回乡务工" in admin.get(url("rights_request_answer", req.pk)).content.decode()

    refused_without_reason = admin.post(url("rights_request_answer", req.pk), {"outcome": "refused", "answer": " "})
    assert refused_without_reason.status_code == 422
    assert "理由" in refused_without_reason.content.decode()
    req.refresh_from_db()
    assert req.state == RightsRequest.State.OPEN

    done = admin.post(url("rights_request_answer", req.pk), {"outcome": "done", "answer": "已更正:父亲在本县务工"})
    assert done.status_code == 302
    req.refresh_from_db()
    assert req.state == RightsRequest.State.DONE and req.answered_by == cast.school_admin_liu
    assert deadline_for(req).state == Deadline.State.RESOLVED
    guardian_notice = Delivery.objects.filter(notice__topic="care.rights").exclude(user=cast.school_admin_liu)
    assert guardian_notice.filter(guardian__user=cast.grandma_zhao).exists()
    html = grandma.get(url("rights_child", liu.pk)).content.decode()
    assert "已更正:父亲在本县务工" in html
    again = admin.post(url("rights_request_answer", req.pk), {"outcome": "refused", "answer": "重复"})
    assert again.status_code == 422 and "已经答复" in again.content.decode()  # answered already: nothing changes
    req.refresh_from_db()
    assert req.state == RightsRequest.State.DONE


def test_a_request_without_what_should_change_is_refused_naming_the_field(cast, client_for, liu):
    c = client_for("grandma_zhao")
    response = c.post(url("rights_request_new", liu.pk), {"kind": "deletion", "detail": ""})
    assert response.status_code == 422
    assert "需要更改的内容" in response.content.decode() or "请说明" in response.content.decode()
    assert not RightsRequest.objects.exists()
    c.post(url("rights_request_new", liu.pk), {"kind": "deletion", "detail": "请删除父亲的电话"})
    second = c.post(url("rights_request_new", liu.pk), {"kind": "deletion", "detail": "还有地址"})
    assert second.status_code == 422
    assert RightsRequest.objects.count() == 1


@pytest.mark.parametrize("persona", ["parent_zhang", "parent_sun", "head_teacher_li", "counsellor_zhou",
                                     "school_admin_liu", "county_admin_chen", "partner_wu"])  # fmt: skip
def test_anyone_but_the_childs_guardians_gets_404(cast, client_for, liu, persona):
    c = client_for(persona)
    for name in ("rights_child", "rights_child_print", "rights_child_export"):
        assert c.get(url(name, liu.pk)).status_code == 404, name
    assert c.post(url("rights_request_new", liu.pk), {"kind": "correction", "detail": "x"}).status_code == 404
    assert c.get(f"/api/v1/care/rights/children/{liu.pk}").status_code == 404
    assert not RightsRequest.objects.exists()


def test_a_head_teacher_who_is_a_mother_sees_her_own_childs_record(cast, client_for, liu):
    guoguo = cast.students["li_guoguo"]
    assert client_for("head_teacher_li").get(url("rights_child", guoguo.pk)).status_code == 200


def test_the_other_schools_admin_neither_lists_nor_answers(cast, client_for, liu):
    client_for("grandma_zhao").post(url("rights_request_new", liu.pk), {"kind": "correction", "detail": "更正"})
    req = RightsRequest.objects.get()
    wang = client_for("school_admin_wang")
    assert f'data-request="{req.pk}"' not in wang.get(url("rights_requests")).content.decode()
    assert wang.get(url("rights_request_answer", req.pk)).status_code == 404
    assert wang.post(url("rights_request_answer", req.pk), {"outcome": "done", "answer": "好"}).status_code == 404
    for persona in ("head_teacher_li", "grandma_zhao", "county_admin_chen"):
        assert client_for(persona).get(url("rights_requests")).status_code == 404
        assert client_for(persona).get(url("rights_request_answer", req.pk)).status_code == 404


def test_anonymous_is_sent_to_log_in(cast, client_for, liu):
    c = client_for(None)
    for target in (url("rights_child", liu.pk), url("rights_child_export", liu.pk), url("rights_requests")):
        response = c.get(target)
        assert response.status_code == 302 and "/login" in response["Location"]


def test_the_home_page_links_to_the_care_record(cast, client_for, liu):
    html = client_for("grandma_zhao").get("/").content.decode()
    assert url("rights_child", liu.pk) in html
    assert url("rights_child", cast.students["zhang_xiaoming"].pk) not in client_for("parent_zhang").get(
        "/").content.decode()  # fmt: skip


def test_the_api_gives_the_same_record_and_takes_requests(cast, client_for, liu):
    c = client_for("grandma_zhao")
    body = c.get(f"/api/v1/care/rights/children/{liu.pk}").json()
    assert body["carer"] == "赵秀英" and body["categories"][0]["category"] == "left_behind_both"
    assert ["心理辅导员"] in [r["roles"] for r in body["reads"]]
    assert "绝不给家长看的标题" not in json.dumps(body, ensure_ascii=False)
    created = c.post(
        f"/api/v1/care/rights/children/{liu.pk}/requests",
        json.dumps({"kind": "correction", "detail": "更正村名"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    refused = c.post(
        f"/api/v1/care/rights/children/{liu.pk}/requests",
        json.dumps({"kind": "nonsense", "detail": "x"}),
        content_type="application/json",
    )
    assert refused.status_code == 422
    admin = client_for("school_admin_liu")
    listed = admin.get("/api/v1/care/rights/requests").json()
    assert listed["count"] == 1
    rid = listed["items"][0]["id"]
    assert (
        client_for("school_admin_wang")
        .post(
            f"/api/v1/care/rights/requests/{rid}/answer",
            json.dumps({"outcome": "done", "answer": "好"}),
            content_type="application/json",
        )
        .status_code
        == 404
    )
    answered = admin.post(
        f"/api/v1/care/rights/requests/{rid}/answer",
        json.dumps({"outcome": "refused", "answer": "村名无误"}),
        content_type="application/json",
    )
    assert answered.status_code == 200 and answered.json()["state"] == "refused"  # fmt: skip


def test_the_record_page_runs_a_fixed_number_of_queries(cast, client_for, liu, django_assert_max_num_queries):
    c = client_for("grandma_zhao")
    target = url("rights_child", liu.pk)
    c.get(target)
    with CaptureQueriesContext(connection) as small:
        assert c.get(target).status_code == 200
    n_small = len(small.captured_queries)  # read now: the next request clears the connection's log
    grandma = liu.guardianships.get(relationship="grandmother").guardian
    entry = liu.care_entry
    for category in ("hardship_economic", "behaviour", "disability"):
        entry.categories.create(category=category, source="home_visit")
    for _ in range(5):
        data.consent(cast, liu, grandma)
        data.case(cast, liu)
        data.survey(entry, ["study"])
        data.review(entry, datetime.date(2026, 1, 1), done_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    for _ in range(30):
        access_record(actor=cast.counsellor_zhou, target=liu, purpose="student.view")
    c.post(url("rights_request_new", liu.pk), {"kind": "correction", "detail": "更正"})
    with django_assert_max_num_queries(n_small):
        assert c.get(target).status_code == 200


def test_a_request_is_not_lost_when_the_deadline_policy_is_missing(cast, client_for, liu):
    from xieyu.deadlines.models import DeadlinePolicy

    DeadlinePolicy.objects.filter(name="care.rights").update(is_active=False)
    response = client_for("grandma_zhao").post(
        url("rights_request_new", liu.pk), {"kind": "correction", "detail": "更正"}
    )
    assert response.status_code == 302
    req = RightsRequest.objects.get(student=liu)
    assert deadline_for(req) is None
    assert Delivery.objects.filter(user=cast.school_admin_liu, notice__topic="care.rights").exists()
