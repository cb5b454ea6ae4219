"""The members services as stories: a teacher applies once, is vetted (identity, 入职查询, references) and approved
for a term; approval without a valid check is refused; a lapsed check or term makes a member not dispatchable; a
renewed check closes the old reminder; and time moves on to show the reminder reaching 曾德福 and then 陈建国."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_for, deadline_sweep
from xieyu.directory.models import Region, Town
from xieyu.notices.models import Delivery
from xieyu.teams.members import services
from xieyu.teams.models import Availability, BackgroundCheck, Certificate, Member, Need, Skill
from xieyu.teams.vetting import dispatchable, dispatchable_q

from . import members_fixtures as fx

centre = fx.centre

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _apply(cast, c, user=None, team=None, **kw):
    args = {"skills": [c.skills["阅读推广"]], "towns": [cast.towns["城厢镇"]], "introduction": "城厢小学任课教师。",
            "availability": [(1, "afternoon"), (3, "evening")]}  # fmt: skip
    args.update(kw)
    return services.member_apply(actor=user or cast.teacher_he, team=team or c.teams["teacher"], **args)


def _check(cast, member, *, checked_on=None, valid_until=None):
    return services.member_check_record(actor=cast.county_admin_chen, member=member,
                                        checked_on=checked_on or timezone.localdate(), checking_unit="全南县公安局",
                                        valid_until=valid_until, reference="QNGA-001")  # fmt: skip


def test_a_teacher_applies_is_vetted_and_approved_for_a_term(cast, centre):
    chen = cast.county_admin_chen
    he = _apply(cast, centre)
    assert he.status == "applied" and set(he.availability.values_list("weekday", "part")) == {
        (1, "afternoon"), (3, "evening")}  # fmt: skip
    services.member_identity_check(actor=chen, member=he)
    he.refresh_from_db()
    assert he.status == "vetting" and he.identity_checked_by == chen
    check = _check(cast, he)
    assert check.valid_until == services.default_valid_until(check.checked_on)  # one year by default
    services.member_references_note(actor=chen, member=he, note="刘芳校长证实其师德表现良好。")
    today = timezone.localdate()
    services.member_approve(actor=chen, member=he, term_start=today, term_end=today + datetime.timedelta(days=700))
    he.refresh_from_db()
    assert he.status == "approved" and he.decided_by == chen
    assert Delivery.objects.filter(user=cast.teacher_he, notice__topic=services.MESSAGE_TOPIC).exists()
    assert dispatchable(he, today) and Member.objects.filter(dispatchable_q(today), pk=he.pk).exists()


def test_applying_twice_is_refused_and_nothing_changes(cast, centre):
    _apply(cast, centre)
    with pytest.raises(ValidationError, match="已经申请"):
        _apply(cast, centre)
    assert Member.objects.filter(user=cast.teacher_he).count() == 1


def test_a_skill_of_another_county_or_a_weekday_out_of_range_is_refused(cast, centre):
    other = Region.objects.create(name="龙南市", level=Region.Level.COUNTY, code="360727", parent=cast.county.parent)
    foreign = Skill.objects.create(county=other, name="心理")
    with pytest.raises(ValidationError, match="本县的专长列表"):
        _apply(cast, centre, skills=[foreign])
    with pytest.raises(ValidationError, match="星期"):
        _apply(cast, centre, availability=[(7, "morning")])
    with pytest.raises(ValidationError):
        _apply(cast, centre, towns=[Town.objects.create(county=other, name="程龙镇")])
    assert not Member.objects.filter(user=cast.teacher_he).exists()


def test_approval_needs_identity_and_a_valid_check(cast, centre):
    chen, today = cast.county_admin_chen, timezone.localdate()
    he = _apply(cast, centre)
    term = {"term_start": today, "term_end": today + datetime.timedelta(days=365)}
    with pytest.raises(ValidationError, match="身份"):
        services.member_approve(actor=chen, member=he, **term)
    services.member_identity_check(actor=chen, member=he)
    with pytest.raises(ValidationError, match="入职查询"):
        services.member_approve(actor=chen, member=he, **term)
    # A check that has already lapsed does not count either.
    _check(cast, he, checked_on=today - datetime.timedelta(days=400), valid_until=today - datetime.timedelta(days=5))
    with pytest.raises(ValidationError, match="入职查询"):
        services.member_approve(actor=chen, member=he, **term)
    he.refresh_from_db()
    assert he.status == "vetting" and he.term_start is None


def test_a_check_is_valid_for_at_most_three_years_and_not_from_the_future(cast, centre):
    he = _apply(cast, centre)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="3"):
        _check(cast, he, valid_until=today + datetime.timedelta(days=4 * 365))
    with pytest.raises(ValidationError):
        _check(cast, he, checked_on=today + datetime.timedelta(days=2))
    assert not BackgroundCheck.objects.filter(user=cast.teacher_he).exists()


def test_declining_and_leaving_keep_the_row(cast, centre):
    chen = cast.county_admin_chen
    he = _apply(cast, centre)
    services.member_decline(actor=chen, member=he, reason="本学期课务繁重,下学期再申请。")
    he.refresh_from_db()
    assert he.status == "declined" and he.decision_note
    again = _apply(cast, centre)  # a declined application is not live: she may apply again
    services.member_leave(actor=cast.teacher_he, member=again, reason="调往外县任教。")
    assert Member.objects.filter(user=cast.teacher_he).count() == 2
    with pytest.raises(ValidationError):
        services.member_leave(actor=chen, member=again, reason="再次")


def test_a_lapsed_term_or_a_lapsed_check_makes_a_member_not_dispatchable(cast, centre):
    today = timezone.localdate()
    huang, zeng = centre.huang, centre.zeng
    assert set(Member.objects.filter(dispatchable_q(today)).values_list("pk", flat=True)) == {huang.pk, zeng.pk}
    Member.objects.filter(pk=huang.pk).update(term_end=today - datetime.timedelta(days=1))
    BackgroundCheck.objects.filter(user=cast.volunteer_zeng).update(valid_until=today - datetime.timedelta(days=1))
    assert not Member.objects.filter(dispatchable_q(today)).exists()
    # Work without children asks only for the term.
    assert list(Member.objects.filter(dispatchable_q(today, with_children=False))) == [zeng]
    zeng.refresh_from_db()
    assert not dispatchable(zeng, today) and dispatchable(zeng, today, with_children=False)


def test_a_certificate_must_be_a_pdf_or_a_picture_within_the_limit(cast, centre):
    chen, huang = cast.county_admin_chen, centre.huang
    cert = services.certificate_add(actor=chen, member=huang, name="家庭教育指导师", issuer="江西省家庭教育研究会",
                                    file=SimpleUploadedFile("证书.pdf", PDF, content_type="application/pdf"))  # fmt: skip
    assert cert.file.name.endswith(".pdf")
    with pytest.raises(ValidationError, match="PDF"):
        services.certificate_add(actor=chen, member=huang, name="x", issuer="y",
                                 file=SimpleUploadedFile("证书.pdf", b"MZ\x90\x00 not a pdf"))  # fmt: skip
    big = SimpleUploadedFile("证书.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="MB"):
        services.certificate_add(actor=chen, member=huang, name="x", issuer="y", file=big)
    assert Certificate.objects.filter(member=huang).count() == 1


def test_a_skill_in_use_cannot_be_deleted_and_the_list_reorders(cast, centre):
    chen = cast.county_admin_chen
    with pytest.raises(ValidationError, match="使用"):
        services.skill_delete(actor=chen, skill=centre.skills["心理"])
    need = Need.objects.create(county=cast.county, kind="lecture", topic="家风讲座", place="城厢小学",
                               starts_at=timezone.now(), ends_at=timezone.now() + datetime.timedelta(hours=1))  # fmt: skip
    need.skills.set([centre.skills["阅读推广"]])
    with pytest.raises(ValidationError):
        services.skill_delete(actor=chen, skill=centre.skills["阅读推广"])
    services.skill_delete(actor=chen, skill=centre.skills["客家文化"])
    services.skill_move(actor=chen, skill=centre.skills["阅读推广"], direction="up")
    names = list(Skill.objects.filter(county=cast.county).order_by("order").values_list("name", flat=True))
    assert names == ["心理", "家庭教育指导师", "阅读推广", "红色文化讲解"]
    with pytest.raises(ValidationError):
        services.skill_add(actor=chen, county=cast.county, name="心理")


def test_the_profile_edit_replaces_skills_towns_and_availability(cast, centre):
    zeng = centre.zeng
    services.member_profile_update(actor=cast.county_admin_chen, member=zeng, skills=[centre.skills["客家文化"]],
                                   towns=[cast.towns["龙下乡"]], languages="客家话",
                                   availability=[(5, "morning")])  # fmt: skip
    assert list(zeng.skills.all()) == [centre.skills["客家文化"]]
    assert list(Availability.objects.filter(member=zeng).values_list("weekday", "part")) == [(5, "morning")]


# --- the check's clock on the deadline engine ------------------------------------------------------------------------


def test_a_renewed_check_closes_the_old_reminder_and_starts_a_new_one(cast, centre):
    zeng = centre.zeng
    today = timezone.localdate()
    BackgroundCheck.objects.filter(user=cast.volunteer_zeng).delete()  # the fixture's, recorded without a clock
    first = _check(cast, zeng, checked_on=today - datetime.timedelta(days=300))
    old = deadline_for(first)
    assert old is not None and old.owner == cast.volunteer_zeng and old.state == "running"
    assert old.resolution_due.date() <= first.valid_until - datetime.timedelta(days=30)
    renewed = _check(cast, zeng)
    old.refresh_from_db()
    assert old.state == "resolved"
    new = deadline_for(renewed)
    assert new.state == "running"
    assert Deadline.objects.filter(target_type=services.CHECK_TARGET, state="running").count() == 1


def test_the_reminder_reaches_the_member_and_then_the_county_admin(cast, centre, django_capture_on_commit_callbacks):
    zeng, chen = centre.zeng, cast.county_admin_chen
    today = timezone.localdate()
    BackgroundCheck.objects.filter(user=cast.volunteer_zeng).delete()  # the fixture's, recorded without a clock
    with django_capture_on_commit_callbacks(execute=True):
        check = _check(cast, zeng, checked_on=today - datetime.timedelta(days=200),
                       valid_until=today + datetime.timedelta(days=120))  # fmt: skip
    d = deadline_for(check)

    def reminders(user):
        return Delivery.objects.filter(user=user, notice__topic=services.REMINDER_TOPIC).count()

    with time_machine.travel(d.due_soon_from + datetime.timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            deadline_sweep()
    assert reminders(cast.volunteer_zeng) == 1 and reminders(chen) == 0
    with time_machine.travel(d.resolution_due + datetime.timedelta(days=12), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            deadline_sweep()
        with django_capture_on_commit_callbacks(execute=True):
            deadline_sweep()
    assert reminders(chen) == 1
    message = Delivery.objects.get(user=chen, notice__topic=services.REMINDER_TOPIC).notice
    assert "曾德福" in message.title and check.valid_until.isoformat() in message.body
