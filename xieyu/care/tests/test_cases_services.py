"""The rules of a case's life, as the services hold them: who may own and supervise it, the state machine and its
approvals, one pending approval, closing with a report lacking its reference, two moves at once, break the glass."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xieyu.audit.models import AuditEvent
from xieyu.care.cases import services
from xieyu.care.models import Approval, Case, CaseSection, MandatoryReport, Section

from . import cases_fixtures as fx
from .cases_fixtures import CONFLICT, open_case

liu_case, neighbours, third_counsellor = fx.liu_case, fx.neighbours, fx.third_counsellor

pytestmark = pytest.mark.django_db


def _to_plan(cast, case):
    services.case_move(actor=cast.counsellor_zhou, case=case, to_state=Case.State.ASSESSMENT)
    services.case_move(actor=cast.counsellor_zhou, case=case, to_state=Case.State.PLAN)


def test_opening_links_the_registry_entry_and_writes_an_audit_row(cast):
    case = open_case(cast, summary="奶奶反映孩子放学后不愿说话")
    assert case.state == Case.State.INTAKE and case.county_id == cast.county.pk and case.school_id == cast.school_a.pk
    assert CaseSection.objects.get(case=case, section=Section.SUMMARY).body == "奶奶反映孩子放学后不愿说话"
    assert AuditEvent.objects.filter(action="care.case.open", target_id=str(case.pk)).exists()


@pytest.mark.parametrize(
    "owner, supervisor, reason",
    [
        ("head_teacher_li", "supervisor_zhong", "owner"),
        ("counsellor_zhou", "counsellor_zhou", "supervisor"),
        ("counsellor_zhou", "partner_wu", "supervisor"),
        ("counsellor_other_county", "supervisor_zhong", "owner"),
    ],
)
def test_a_case_is_assigned_only_to_people_who_can_see_it(neighbours, owner, supervisor, reason):
    cast = neighbours
    with pytest.raises(ValidationError) as exc:
        open_case(cast, owner=getattr(cast, owner), supervisor=getattr(cast, supervisor))
    assert exc.value.code == reason
    assert not Case.objects.exists()


def test_the_county_admin_may_supervise(cast):
    assert open_case(cast, supervisor=cast.county_admin_chen).supervisor == cast.county_admin_chen


def test_one_open_case_per_child(cast, liu_case):
    with pytest.raises(ValidationError, match="已有"):
        open_case(cast)
    assert Case.objects.count() == 1


def test_services_start_only_after_the_supervisor_approves_the_plan(cast, liu_case):
    case = liu_case
    _to_plan(cast, case)
    with pytest.raises(ValidationError) as exc:
        services.case_move(actor=cast.counsellor_zhou, case=case, to_state=Case.State.SERVICES)
    assert exc.value.code == "plan_approval"
    approval = services.approval_request(
        actor=cast.counsellor_zhou, case=case, kind=Approval.Kind.PLAN, text="每两周家访一次,每周一次电话。"
    )
    assert CaseSection.objects.get(case=case, section=Section.PLAN).body == "每两周家访一次,每周一次电话。"
    with pytest.raises(ValidationError) as exc:  # one pending per kind
        services.approval_request(
            actor=cast.counsellor_zhou, case=case, kind=Approval.Kind.PLAN, text="另一个计划文本内容,每周家访。"
        )
    assert exc.value.code == "pending"
    with pytest.raises(ValidationError) as exc:  # a rejection says why
        services.approval_decide(actor=cast.supervisor_zhong, approval=approval, approve=False, comment="")
    assert exc.value.code == "comment"
    services.approval_decide(actor=cast.supervisor_zhong, approval=approval, approve=True)
    services.case_move(actor=cast.counsellor_zhou, case=case, to_state=Case.State.SERVICES)
    case.refresh_from_db()
    assert case.state == Case.State.SERVICES and case.version == 3


def test_a_rejected_plan_does_not_start_services(cast, liu_case):
    case = liu_case
    _to_plan(cast, case)
    approval = services.approval_request(
        actor=cast.counsellor_zhou, case=case, kind="plan", text="每月家访一次即可,电话随时联系。"
    )
    services.approval_decide(actor=cast.supervisor_zhong, approval=approval, approve=False, comment="频次太低")
    with pytest.raises(ValidationError):
        services.case_move(actor=cast.counsellor_zhou, case=case, to_state=Case.State.SERVICES)
    with pytest.raises(ValidationError, match="已"):  # decided once
        services.approval_decide(actor=cast.supervisor_zhong, approval=approval, approve=True)


def test_closing_needs_approval_and_every_report_reference(cast, liu_case):
    case = liu_case
    with pytest.raises(ValidationError) as exc:
        services.case_move(actor=cast.counsellor_zhou, case=case, to_state=Case.State.CLOSED)
    assert exc.value.code == "closure_approval"
    report = services.mandatory_report_create(
        actor=cast.counsellor_zhou, case=case, concern=MandatoryReport.Concern.NEGLECT, recipient="police",
        recipient_name="城厢派出所 张警官", body=services.mandatory_report_template(case, concern="neglect",
                                                                              seen_by=cast.counsellor_zhou),
        reported_at=timezone.now(),
    )  # fmt: skip
    closure = services.approval_request(
        actor=cast.counsellor_zhou, case=case, kind="closure", text="家庭情况稳定,结案。"
    )
    services.approval_decide(actor=cast.supervisor_zhong, approval=closure, approve=True)
    with pytest.raises(ValidationError) as exc:
        services.case_move(actor=cast.counsellor_zhou, case=case, to_state=Case.State.CLOSED)
    assert exc.value.code == "report_reference"
    case.refresh_from_db()
    assert case.state == Case.State.INTAKE and case.closed_at is None
    services.mandatory_report_reference(actor=cast.counsellor_zhou, report=report, reference_number="全公(城)2026-118")
    services.case_move(actor=cast.counsellor_zhou, case=case, to_state=Case.State.CLOSED)
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED and case.closed_at is not None
    # reopened, the old closure approval no longer closes it
    services.case_reopen(actor=cast.counsellor_zhou, case=case, reason="孩子又出现逃学")
    with pytest.raises(ValidationError) as exc:
        services.case_move(actor=cast.counsellor_zhou, case=case, to_state=Case.State.CLOSED)
    assert exc.value.code == "closure_approval"


def test_a_report_without_a_recipient_is_refused_and_nothing_is_recorded(cast, liu_case):
    with pytest.raises(ValidationError, match="报告对象"):
        services.mandatory_report_create(
            actor=cast.counsellor_zhou, case=liu_case, concern="abuse", recipient="police", recipient_name=" ",
            body="孩子身上多处淤青,自述被继父打。" * 2, reported_at=timezone.now(),
        )  # fmt: skip
    assert not MandatoryReport.objects.exists()


def test_the_report_template_names_the_child_the_school_and_who_saw_it(cast, liu_case):
    text = services.mandatory_report_template(liu_case, concern="abuse", seen_by=cast.head_teacher_li)
    assert "刘小宇" in text and "城厢小学" in text and "李娜" in text and "第十一条" in text


def test_of_two_moves_made_on_the_same_page_only_one_wins(cast, liu_case):
    case = liu_case
    first = Case.objects.get(pk=case.pk)
    second = Case.objects.get(pk=case.pk)
    services.case_move(actor=cast.counsellor_zhou, case=first, to_state=Case.State.ASSESSMENT, version=0)
    with pytest.raises(ValidationError) as exc:
        services.case_move(actor=cast.supervisor_zhong, case=second, to_state=Case.State.CLOSED, version=0)
    assert exc.value.code == "version"
    case.refresh_from_db()
    assert case.state == Case.State.ASSESSMENT and case.version == 1


def test_a_move_the_state_machine_does_not_allow_is_refused(cast, liu_case):
    with pytest.raises(ValidationError) as exc:
        services.case_move(actor=cast.counsellor_zhou, case=liu_case, to_state=Case.State.SERVICES)
    assert exc.value.code == "move"


def test_share_only_with_staff_of_the_county(neighbours, liu_case):
    cast = neighbours
    for user in (cast.grandma_zhao, cast.partner_wu, cast.counsellor_other_county):
        with pytest.raises(ValidationError):
            services.case_share(actor=cast.counsellor_zhou, case=liu_case, user=user, reason="请协助跟进")
    share = services.case_share(actor=cast.counsellor_zhou, case=liu_case, user=cast.expert_huang, reason="请协助跟进")
    with pytest.raises(ValidationError):
        services.case_share(actor=cast.counsellor_zhou, case=liu_case, user=cast.expert_huang, reason="请协助跟进")
    services.case_share_end(actor=cast.counsellor_zhou, share=share)


def test_actions_are_asked_only_of_the_childs_head_teacher(cast, liu_case):
    with pytest.raises(ValidationError):
        services.action_ask(actor=cast.counsellor_zhou, case=liu_case, assignee=cast.head_teacher_wang, text="请留意")
    action = liu_case.actions.get()
    services.action_done(actor=cast.head_teacher_li, action=action, note="已留意,他和同桌玩得好")
    with pytest.raises(ValidationError):
        services.action_done(actor=cast.head_teacher_li, action=action)


def test_break_the_glass_needs_a_reason_and_expires(cast, liu_case, third_counsellor, settings):
    with pytest.raises(ValidationError):
        services.break_glass_open(actor=third_counsellor, case=liu_case, reason="看看")
    glass = services.break_glass_open(actor=third_counsellor, case=liu_case, reason="周敏休假,奶奶来电说孩子没回家")
    assert glass.expires_at - glass.at == datetime.timedelta(hours=settings.CARE_BREAK_GLASS_HOURS)
    services.break_glass_review(actor=cast.supervisor_zhong, glass=glass, note="合理")
    with pytest.raises(ValidationError):
        services.break_glass_review(actor=cast.supervisor_zhong, glass=glass, note="合理")


def test_flags_are_raised_and_lifted_with_reasons(cast, liu_case):
    flag = services.flag_raise(actor=cast.counsellor_zhou, case=liu_case, reason="奶奶电话常打不通")
    with pytest.raises(ValidationError):
        services.flag_lift(actor=cast.counsellor_zhou, flag=flag, reason="")
    services.flag_lift(actor=cast.counsellor_zhou, flag=flag, reason="已留了邻居的电话")
    with pytest.raises(ValidationError):
        services.flag_lift(actor=cast.counsellor_zhou, flag=flag, reason="已留了邻居的电话")


def test_no_audit_row_or_message_carries_section_text(cast, liu_case):
    from xieyu.notices.models import Notice

    assert not [e for e in AuditEvent.objects.all() if CONFLICT in str(e.changes)]
    assert not Notice.objects.filter(body__contains="争吵").exists()
