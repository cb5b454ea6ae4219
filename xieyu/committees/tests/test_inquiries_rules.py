"""Inquiries as the people involved live them: guardians co-sign until the county's threshold files it, the school
acknowledges and answers on the clock (pausing only with a reason), the inquirers accept or follow up once, the
county directs a second answer, an unanswered inquiry reaches 陈建国; and every bad input is refused with a message
that names it, changing nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xieyu.committees.inquiries import access, services
from xieyu.committees.inquiries.models import Answer, Inquiry, InquiryTally, Signature
from xieyu.committees.models import Committee, Meeting, Member, Resolution
from xieyu.deadlines.models import Deadline, Escalation
from xieyu.deadlines.services import deadline_for, deadline_sweep
from xieyu.deadlines.workcalendar import calendar_for
from xieyu.demo.committees_inquiries import class_guardian_users
from xieyu.notices.models import Delivery

FACTS = "三年级1班每天书面作业超过九十分钟,孩子常常写到晚上十点以后,睡眠不足。"


@pytest.fixture
def class_a1_guardians(cast):
    return class_guardian_users(cast.class_a1, 12, exclude={u.pk for u in cast.users.values()})


def draft(cast, actor=None, **kw):
    data = {"level": "class", "unit_id": cast.class_a1.pk, "subject": "homework", "title": "作业太多", "facts": FACTS,
            "asked": "请把作业时间控制在60分钟以内。"} | kw  # fmt: skip
    return services.inquiry_draft_create(actor=actor or cast.parent_zhang, **data)


def filed(cast, guardians) -> Inquiry:
    inquiry = draft(cast)
    for user in guardians[:9]:
        services.inquiry_sign(actor=user, inquiry=inquiry)
    inquiry.refresh_from_db()
    return inquiry


def clock(inquiry) -> Deadline:
    d = deadline_for(inquiry.rounds.order_by("-number").first())
    assert d is not None
    return d


def test_ten_guardians_of_the_class_file_the_inquiry_and_the_school_s_clock_starts(cast, class_a1_guardians):
    inquiry = draft(cast)
    assert inquiry.state == "draft" and inquiry.signature_count == 1 and inquiry.threshold == 10
    for user in class_a1_guardians[:8]:
        services.inquiry_sign(actor=user, inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.state == "draft" and inquiry.signature_count == 9
    assert not access.inquiries_visible_to(cast.school_admin_liu).filter(pk=inquiry.pk).exists()  # a draft
    services.inquiry_sign(actor=class_a1_guardians[8], inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.state == "filed" and inquiry.filed_at is not None
    d = clock(inquiry)
    cal = calendar_for(cast.county.pk)
    assert d.policy.name == "inquiry.default" and d.school_id == cast.school_a.pk
    assert d.first_response_due == cal.add(d.started_at, 3, "days")
    assert d.resolution_due == cal.add(d.started_at, 10, "days")
    assert access.inquiries_visible_to(cast.school_admin_liu).filter(pk=inquiry.pk).exists()
    assert InquiryTally.objects.get(school=cast.school_a).filed == 1
    told = Delivery.objects.filter(user=cast.school_admin_liu, notice__title="家长质询待答复")
    assert told.count() == 1 and not Delivery.objects.filter(user=cast.school_admin_wang).exists()


def test_the_county_sets_the_threshold_for_new_drafts(cast, class_a1_guardians):
    services.inquiry_settings_set(actor=cast.county_admin_chen, county_id=cast.county.pk, threshold=3)
    inquiry = draft(cast)
    services.inquiry_sign(actor=class_a1_guardians[0], inquiry=inquiry)
    services.inquiry_sign(actor=class_a1_guardians[1], inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.state == "filed"
    with pytest.raises(ValidationError, match="所需联署人数"):
        services.inquiry_settings_set(actor=cast.county_admin_chen, county_id=cast.county.pk, threshold=1)


def test_acknowledged_and_answered_within_the_clock_then_accepted(cast, class_a1_guardians):
    inquiry = filed(cast, class_a1_guardians)
    services.inquiry_acknowledge(actor=cast.school_admin_liu, inquiry=inquiry)
    d = clock(inquiry)
    assert d.first_responded_at is not None and d.current_due_kind == "resolution"
    answer = services.inquiry_answer(actor=cast.school_admin_liu, inquiry=inquiry, body="已调整。", signer_role="校长")
    assert (answer.signer_name, answer.signer_role, answer.signed_on) == ("刘芳", "校长", timezone.localdate())
    d.refresh_from_db()
    assert d.state == "resolved" and d.resolved_at <= d.resolution_due
    tally = InquiryTally.objects.get(school=cast.school_a)
    assert (tally.answered, tally.answered_on_time) == (1, 1)
    # Every co-signer was told about the answer.
    assert Delivery.objects.filter(notice__title__contains="答复", guardian__user=class_a1_guardians[3]).exists()
    services.inquiry_accept(actor=class_a1_guardians[3], inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.state == "accepted"


def test_an_amended_answer_is_a_new_version_and_the_earlier_stays(cast, class_a1_guardians):
    inquiry = filed(cast, class_a1_guardians)
    services.inquiry_answer(actor=cast.school_admin_liu, inquiry=inquiry, body="第一版", signer_role="校长")
    services.inquiry_answer_amend(actor=cast.school_admin_liu, inquiry=inquiry, body="第二版", signer_role="校长")
    parts = access.detail_parts(inquiry)
    assert parts["latest"].body == "第二版" and parts["latest"].version == 2
    assert [a.body for a in parts["earlier"]] == ["第一版"]


def test_the_school_pauses_only_with_a_reason_the_inquirers_see_and_resumes(cast, class_a1_guardians):
    inquiry = filed(cast, class_a1_guardians)
    with pytest.raises(ValidationError, match="原因|Reason"):
        services.inquiry_pause(actor=cast.school_admin_liu, inquiry=inquiry, reason="  ")
    assert clock(inquiry).state == "running" and not inquiry.pauses.exists()
    services.inquiry_pause(actor=cast.school_admin_liu, inquiry=inquiry, reason="等待年级组统计作业用时")
    assert clock(inquiry).state == "paused"
    assert access.detail_parts(inquiry)["pauses"][0].reason == "等待年级组统计作业用时"
    assert Delivery.objects.filter(guardian__user=cast.parent_zhang, notice__body__contains="等待年级组").exists()
    services.inquiry_resume(actor=cast.school_admin_liu, inquiry=inquiry)
    d = clock(inquiry)
    assert d.state == "running" and inquiry.pauses.get().resumed_at is not None


def test_an_unanswered_inquiry_escalates_to_the_school_then_to_chen(
    cast, class_a1_guardians, django_capture_on_commit_callbacks
):
    inquiry = filed(cast, class_a1_guardians)
    d = clock(inquiry)
    cal = calendar_for(cast.county.pk)
    with django_capture_on_commit_callbacks(execute=True):
        deadline_sweep(now=cal.add(d.started_at, 3, "days") + datetime.timedelta(minutes=1))
    assert set(Escalation.objects.filter(deadline=d).values_list("user_id", flat=True)) == {cast.school_admin_liu.pk}
    with django_capture_on_commit_callbacks(execute=True):
        deadline_sweep(now=cal.add(d.started_at, 6, "days"))
    assert Escalation.objects.filter(deadline=d, user=cast.county_admin_chen, role="county_admin").exists()
    message = Delivery.objects.get(user=cast.county_admin_chen)
    assert message.notice.link == f"/committees/inquiries/{inquiry.pk}/" and "逾期" in message.notice.title


def test_follow_up_once_reopens_a_clock_and_a_second_follow_up_is_refused(cast, class_a1_guardians):
    inquiry = filed(cast, class_a1_guardians)
    services.inquiry_answer(actor=cast.school_admin_liu, inquiry=inquiry, body="已调整。", signer_role="校长")
    rnd = services.inquiry_follow_up(actor=cast.parent_zhang, inquiry=inquiry, text="没有说明何时公示作业。")
    inquiry.refresh_from_db()
    assert inquiry.state == "filed" and rnd.number == 2 and deadline_for(rnd).state == "running"
    services.inquiry_answer(actor=cast.school_admin_liu, inquiry=inquiry, body="下周一起公示。", signer_role="校长")
    with pytest.raises(ValidationError, match="已经追问|already followed up"):
        services.inquiry_follow_up(actor=cast.parent_zhang, inquiry=inquiry, text="再问一次")
    assert inquiry.rounds.count() == 2
    services.inquiry_direct_second_answer(actor=cast.county_admin_chen, inquiry=inquiry, text="请补充时间表。")
    inquiry.refresh_from_db()
    assert inquiry.state == "filed" and inquiry.rounds.count() == 3


def test_a_committee_files_by_its_passed_resolution(cast):
    committee = Committee.objects.create(
        county=cast.county, school=cast.school_a, level="school", name="城厢小学家委会"
    )
    from xieyu.directory.models import Guardian

    guardian = Guardian.objects.get(user=cast.parent_zhang)
    Member.objects.create(committee=committee, guardian=guardian, role="chair", term_start=datetime.date(2026, 1, 1),
                          term_end=datetime.date(2027, 1, 1), chosen="election")  # fmt: skip
    meeting = Meeting.objects.create(committee=committee, title="第一次会议", agenda="作业", starts_at=timezone.now())
    failed = Resolution.objects.create(meeting=meeting, number=1, text="质询作业", passed=False)
    passed = Resolution.objects.create(meeting=meeting, number=2, text="质询作业", passed=True)
    assert list(access.resolutions_for_filing(cast.parent_zhang)) == [passed]
    args = {"subject": "homework", "title": "家委会质询", "facts": FACTS, "asked": "请答复"}
    with pytest.raises(ValidationError, match="did not pass|未通过"):
        services.inquiry_file_by_committee(actor=cast.parent_zhang, resolution=failed, **args)
    with pytest.raises(ValidationError, match="chair or secretary|主任或秘书"):
        services.inquiry_file_by_committee(actor=cast.grandma_zhao, resolution=passed, **args)
    inquiry = services.inquiry_file_by_committee(actor=cast.parent_zhang, resolution=passed, **args)
    assert inquiry.state == "filed" and inquiry.origin == "committee" and deadline_for(inquiry.rounds.get())
    assert access.is_inquirer(cast.parent_zhang, inquiry)


# --- bad input ------------------------------------------------------------------------------------------------


def test_a_guardian_of_another_school_cannot_co_sign(cast):
    inquiry = draft(cast)
    with pytest.raises(ValidationError, match="只有本单位|only guardians"):
        services.inquiry_sign(actor=cast.parent_sun, inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.signature_count == 1 and Signature.objects.filter(inquiry=inquiry).count() == 1


def test_signing_twice_is_refused(cast, class_a1_guardians):
    inquiry = draft(cast)
    services.inquiry_sign(actor=class_a1_guardians[0], inquiry=inquiry)
    with pytest.raises(ValidationError, match="已经|already"):
        services.inquiry_sign(actor=class_a1_guardians[0], inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.signature_count == 2


def test_an_inquiry_without_facts_is_refused(cast):
    with pytest.raises(ValidationError, match="事实|Facts"):
        draft(cast, facts="太多")
    assert not Inquiry.objects.exists()


def test_an_answer_after_the_inquiry_was_withdrawn_is_refused(cast, class_a1_guardians):
    inquiry = filed(cast, class_a1_guardians)
    services.inquiry_withdraw(actor=cast.parent_zhang, inquiry=inquiry)
    assert clock(inquiry).state == "cancelled"
    with pytest.raises(ValidationError, match="撤回|withdrawn"):
        services.inquiry_answer(actor=cast.school_admin_liu, inquiry=inquiry, body="答复", signer_role="校长")
    assert not Answer.objects.exists()


def test_taking_back_a_signature_before_filing_and_not_after(cast, class_a1_guardians):
    inquiry = draft(cast)
    services.inquiry_sign(actor=class_a1_guardians[0], inquiry=inquiry)
    services.inquiry_unsign(actor=class_a1_guardians[0], inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.signature_count == 1
    for user in class_a1_guardians[:9]:
        services.inquiry_sign(actor=user, inquiry=inquiry)
    with pytest.raises(ValidationError):
        services.inquiry_unsign(actor=class_a1_guardians[0], inquiry=inquiry)
    assert Signature.objects.filter(inquiry=inquiry).count() == 10
