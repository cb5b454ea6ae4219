"""The case pages walked by the cast: who sees the case in full, without its sensitive sections, only that it exists,
the break-the-glass page, or nothing at all (404); the who-viewed log; the counsellor's home and its fixed queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieyu.audit.models import AccessEvent
from xieyu.care.cases import services
from xieyu.care.models import Approval, BreakGlass, Case, CaseSection, Section

from . import cases_fixtures as fx
from .cases_fixtures import ASSESSMENT, CONFLICT, FAMILY_SUPPORT, open_case

liu_case, neighbours, third_counsellor = fx.liu_case, fx.neighbours, fx.third_counsellor

pytestmark = pytest.mark.django_db

NEIGHBOURS = [
    "head_teacher_wang",  # head teacher of another class (and school)
    "school_admin_wang",  # the other school's admin
    "counsellor_other_county",
    "partner_wu",  # 妇联 partner: sees only what a referral carries (referrals part), never the case page
    "partner_other_county",
    "grandma_zhao",  # the child's own guardian: her rights page shows her record, not the case file
    "parent_zhang",  # a guardian of another family
    "expert_huang",
    "teacher_he",
]


def _detail(case):
    return reverse("care:case_detail", args=[case.pk])


def _html(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("persona", ["counsellor_zhou", "supervisor_zhong"])
def test_owner_and_supervisor_read_the_case_in_full(neighbours, liu_case, client_for, persona):
    response = client_for(persona).get(_detail(liu_case))
    html = _html(response)
    assert response.status_code == 200
    assert FAMILY_SUPPORT in html and ASSESSMENT in html and CONFLICT in html
    assert "敏感" in html and 'data-level="full"' in html
    assert 'id="who-viewed"' in html


def test_the_school_admin_reads_the_case_without_its_sensitive_sections(neighbours, liu_case, client_for):
    response = client_for("school_admin_liu").get(_detail(liu_case))
    html = _html(response)
    assert response.status_code == 200 and 'data-level="school"' in html
    assert FAMILY_SUPPORT in html and ASSESSMENT in html
    assert CONFLICT not in html and 'id="who-viewed"' not in html


def test_the_head_teacher_sees_that_a_case_exists_and_what_is_asked_of_her(neighbours, liu_case, client_for):
    response = client_for("head_teacher_li").get(_detail(liu_case))
    html = _html(response)
    assert response.status_code == 200 and 'data-level="exists"' in html
    assert "周敏" in html and "请留意他课间是否一个人待着" in html
    assert FAMILY_SUPPORT not in html and ASSESSMENT not in html and CONFLICT not in html
    assert "中风险" not in html and 'id="who-viewed"' not in html


@pytest.mark.parametrize("persona", NEIGHBOURS)
def test_every_neighbour_gets_404_on_every_case_path(neighbours, liu_case, client_for, persona):
    client = client_for(persona)
    case = liu_case
    pk = case.pk
    flag = services.flag_raise(actor=neighbours.counsellor_zhou, case=case, reason="奶奶电话常打不通")
    gets = [_detail(case), reverse("care:case_report", args=[pk])]
    posts = [
        reverse(f"care:{name}", args=[pk])
        for name in ("case_break_glass", "case_section", "case_move", "case_approval", "case_service",
                     "case_follow_up", "case_flag", "case_share", "case_action")
    ] + [reverse("care:case_flag_lift", args=[pk, flag.pk])]  # fmt: skip
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert (
            client.post(url, {"reason": "想看看这个孩子的情况怎么样", "section": "plan", "body": "x"}).status_code
            == 404
        ), url
    assert CONFLICT not in _html(client.get(reverse("care:case_list")))
    case.refresh_from_db()
    assert case.state == Case.State.INTAKE and not BreakGlass.objects.exists()
    assert not CaseSection.objects.filter(section=Section.PLAN).exists()


def test_anonymous_is_sent_to_login(liu_case, client_for):
    client = client_for(None)
    for url in (_detail(liu_case), reverse("care:case_list"), reverse("care:case_review_list"),
                reverse("care:case_actions"), reverse("care:case_open") + "?question=1"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


def test_a_counsellor_not_on_the_case_breaks_the_glass_with_a_reason(cast, liu_case, third_counsellor, client_for):
    client = client_for("counsellor_kong")
    first = client.get(_detail(liu_case))
    assert first.status_code == 403 and 'id="break-glass"' in _html(first) and CONFLICT not in _html(first)
    short = client.post(reverse("care:case_break_glass", args=[liu_case.pk]), {"reason": "看看"}, follow=True)
    assert "10 到 300" in _html(short) and not BreakGlass.objects.exists()
    client.post(reverse("care:case_break_glass", args=[liu_case.pk]), {"reason": "周敏休假,奶奶来电说孩子没回家"})
    opened = client.get(_detail(liu_case))
    assert opened.status_code == 200 and CONFLICT in _html(opened) and "每次查看都会连同您的理由" in _html(opened)
    read = AccessEvent.objects.filter(actor=third_counsellor, target_id=str(liu_case.pk)).get()
    assert read.detail["reason"] == "周敏休假,奶奶来电说孩子没回家" and "family_conflict" in read.detail["sections"]
    # on the supervisor's review list, and she sees it in the who-viewed log with the reason
    review = _html(client_for("supervisor_zhong").get(reverse("care:case_review_list")))
    assert "周敏休假,奶奶来电说孩子没回家" in review and "孔燕" in review
    log = _html(client_for("supervisor_zhong").get(_detail(liu_case)))
    assert "孔燕" in log and "家庭冲突" in log and "心理辅导员" in log


def test_who_viewed_shows_roles_sections_and_when(cast, liu_case, client_for):
    client_for("school_admin_liu").get(_detail(liu_case))
    html = _html(client_for("counsellor_zhou").get(_detail(liu_case)))
    rows = html.split('id="who-viewed"')[1]
    assert "刘芳" in rows and "学校管理员" in rows and "评估" in rows
    school_row = [r for r in rows.split("<tr data-view-row>") if "刘芳" in r][0]
    assert "家庭冲突" not in school_row


def test_lists_never_show_section_text(cast, liu_case, client_for):
    for persona in ("counsellor_zhou", "supervisor_zhong", "school_admin_liu", "head_teacher_li"):
        html = _html(client_for(persona).get(reverse("care:case_list")))
        assert liu_case.title in html, persona
        assert CONFLICT not in html and ASSESSMENT not in html and FAMILY_SUPPORT not in html
    home = _html(client_for("counsellor_zhou").get("/"))
    assert liu_case.title in home and CONFLICT not in home and ASSESSMENT not in home


def test_plan_approval_and_services_through_the_pages(cast, liu_case, client_for):
    zhou, zhong = client_for("counsellor_zhou"), client_for("supervisor_zhong")
    move = reverse("care:case_move", args=[liu_case.pk])
    zhou.post(move, {"to_state": "assessment", "version": 0})
    zhou.post(move, {"to_state": "plan", "version": 1})
    refused = zhou.post(move, {"to_state": "services", "version": 2}, follow=True)
    assert "督导批准服务计划后才能开始服务" in _html(refused)
    zhou.post(
        reverse("care:case_approval", args=[liu_case.pk]), {"kind": "plan", "text": "每两周家访一次,每周一次电话。"}
    )
    approval = Approval.objects.get()
    # only the supervisor decides: the owner gets 404
    assert (
        zhou.post(reverse("care:case_approval_decide", args=[approval.pk]), {"decision": "approve"}).status_code == 404
    )
    home = _html(zhong.get("/"))
    assert f'data-approval="{approval.pk}"' in home
    no_comment = zhong.post(
        reverse("care:case_approval_decide", args=[approval.pk]), {"decision": "reject"}, follow=True
    )
    assert "驳回时必须填写意见" in _html(no_comment)
    zhong.post(reverse("care:case_approval_decide", args=[approval.pk]), {"decision": "approve"})
    zhou.post(move, {"to_state": "services", "version": 2})
    liu_case.refresh_from_db()
    assert liu_case.state == Case.State.SERVICES
    stale = zhou.post(move, {"to_state": "review", "version": 2}, follow=True)
    assert "刷新页面" in _html(stale)


def test_the_head_teacher_marks_an_action_done(cast, liu_case, client_for):
    client = client_for("head_teacher_li")
    action = liu_case.actions.get()
    listed = _html(client.get(reverse("care:case_actions")))
    assert "请留意他课间是否一个人待着" in listed and CONFLICT not in listed
    assert client_for("head_teacher_wang").post(reverse("care:case_action_done", args=[action.pk])).status_code == 404
    client.post(reverse("care:case_action_done", args=[action.pk]), {"note": "他和同桌玩得好"})
    action.refresh_from_db()
    assert action.done_at is not None


def test_a_head_teachers_request_is_claimed_by_a_counsellor(cast, client_for):
    li = client_for("head_teacher_li")
    assert client_for("head_teacher_wang").get(reverse("care:case_request")).status_code == 200
    bad = li.post(
        reverse("care:case_request"), {"student": cast.students["sun_hao"].pk, "concern": "孩子最近总是一个人发呆"}
    )
    assert bad.status_code == 422 and "请选择您班上的一名学生" in _html(bad)
    li.post(
        reverse("care:case_request"),
        {"student": cast.students["zhou_jie"].pk, "concern": "孩子最近总是一个人发呆,不吃午饭"},
    )
    home = _html(client_for("counsellor_zhou").get("/"))
    assert "周杰" in home and "接手" in home
    from xieyu.care.models import CaseRequest

    req = CaseRequest.objects.get()
    assert client_for("counsellor_other_county" if False else "partner_wu").get(
        reverse("care:case_claim", args=[req.pk])).status_code == 404  # fmt: skip
    client_for("counsellor_zhou").post(
        reverse("care:case_claim", args=[req.pk]),
        {"title": "周杰的关爱个案", "risk": "medium", "supervisor": cast.supervisor_zhong.pk, "summary": ""},
    )
    case = Case.objects.get()
    assert case.owner == cast.counsellor_zhou and case.origin == Case.Origin.HEAD_TEACHER
    assert CaseSection.objects.get(case=case, section="summary").body.startswith("孩子最近总是")
    seen = _html(li.get(_detail(case)))
    assert 'data-level="exists"' in seen and "一个人发呆" not in seen


def test_the_report_page_says_no_consent_is_needed_and_refuses_a_report_without_recipient(cast, liu_case, client_for):
    client = client_for("counsellor_zhou")
    url = reverse("care:case_report", args=[liu_case.pk])
    page = _html(client.get(url))
    assert "不需要监护人同意" in page and "第十一条" in page and "刘小宇" in page
    bad = client.post(url, {"concern": "abuse", "recipient": "police", "recipient_name": "", "body": "孩子身上多处淤青,自述被打。" * 2,
                            "reported_at": "2026-01-05T10:00"})  # fmt: skip
    assert bad.status_code == 422 and "报告对象的单位和联系人" in _html(bad)
    assert not liu_case.reports.exists()


def test_the_counsellor_home_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    from xieyu.directory.services import student_create

    client = client_for("counsellor_zhou")
    client.get("/")  # warm
    with CaptureQueriesContext(connection) as few:
        html = _html(client.get("/"))
    assert "没有未结的个案" in html
    for i in range(14):
        child = student_create(actor=None, school_class=cast.class_a2, name=f"学生{i}", gender="F",
                               birth_date=cast.students["chen_yu"].birth_date, student_number=f"S{i}")  # fmt: skip
        case = open_case(cast, student=child, title=f"个案{i:02d}")
        services.flag_raise(actor=cast.counsellor_zhou, case=case, reason="需要关注")
        if i % 2:
            services.case_move(actor=cast.counsellor_zhou, case=case, to_state="assessment")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = _html(client.get("/"))
    assert html.count("data-case=") == 10 and "我的全部个案" in html


def test_the_case_page_runs_a_fixed_number_of_queries(cast, liu_case, client_for, django_assert_max_num_queries):
    client = client_for("counsellor_zhou")
    client.get(_detail(liu_case))
    with CaptureQueriesContext(connection) as few:
        client.get(_detail(liu_case))
    baseline = len(few.captured_queries)  # read now: the next request clears the connection's query log
    for i in range(8):
        services.follow_up_add(actor=cast.counsellor_zhou, case=liu_case, kind="call", note=f"电话跟进第{i}次")
        services.service_add(actor=cast.counsellor_zhou, case=liu_case, kind="study", provider=f"志愿者{i}")
        services.flag_raise(actor=cast.counsellor_zhou, case=liu_case, reason=f"预警{i}号")
        client_for("school_admin_liu").get(_detail(liu_case))
    with django_assert_max_num_queries(baseline):
        html = _html(client.get(_detail(liu_case)))
    assert "电话跟进第7次" in html and "预警7号" in html


def test_sharing_handing_over_and_a_service_with_an_agency_from_the_case_page(cast, liu_case, client_for):
    zhou = client_for("counsellor_zhou")
    page = _html(zhou.get(_detail(liu_case)))
    assert 'id="share-form"' in page and 'id="reassign-form"' in page and "全南县妇联" in page
    zhou.post(reverse("care:case_share", args=[liu_case.pk]), {"user": cast.expert_huang.pk, "reason": "请协助评估"})
    assert "黄志华" in _html(client_for("expert_huang").get(_detail(liu_case)))
    zhou.post(
        reverse("care:case_service", args=[liu_case.pk]),
        {"kind": "family_contact", "provider": "吴桂兰", "agency": cast.women_federation.pk, "state": "planned"},
    )
    assert liu_case.services.get().agency == cast.women_federation
    same = zhou.post(reverse("care:case_reassign", args=[liu_case.pk]),
                     {"owner": cast.supervisor_zhong.pk, "supervisor": cast.supervisor_zhong.pk}, follow=True)  # fmt: skip
    assert "负责人和督导不能是同一个人" in _html(same)
    zhou.post(reverse("care:case_reassign", args=[liu_case.pk]),
              {"owner": cast.supervisor_zhong.pk, "supervisor": cast.county_admin_chen.pk})  # fmt: skip
    liu_case.refresh_from_db()
    assert liu_case.owner == cast.supervisor_zhong and liu_case.supervisor == cast.county_admin_chen
    assert zhou.get(_detail(liu_case)).status_code == 403  # no longer on it: the break-the-glass page


def test_a_head_teachers_list_row_shows_neither_state_nor_risk(cast, liu_case, client_for):
    html = _html(client_for("head_teacher_li").get(reverse("care:case_list")))
    assert liu_case.title in html and "data-risk" not in html and "data-state" not in html
    api = client_for("head_teacher_li").get("/api/v1/care/cases").json()["items"][0]
    assert api["level"] == "exists" and api["risk"] is None and api["state"] is None


def test_a_counsellor_whose_role_ended_reads_none_of_her_old_cases(cast, liu_case, client_for):
    from xieyu.accounts.models import Membership, Role
    from xieyu.accounts.services import membership_revoke

    assert client_for("counsellor_zhou").get(_detail(liu_case)).status_code == 200
    membership = Membership.objects.get(user=cast.counsellor_zhou, role=Role.COUNSELLOR)
    membership_revoke(actor=cast.county_admin_chen, membership=membership)
    assert client_for("counsellor_zhou").get(_detail(liu_case)).status_code == 404
    listed = client_for("counsellor_zhou").get("/api/v1/care/cases")
    assert listed.status_code == 200 and liu_case.title not in listed.content.decode()
