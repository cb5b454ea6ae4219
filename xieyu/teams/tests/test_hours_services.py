"""Service hours as the rules write them: 曾德福 checks in and out of 城厢小学's 家风家训 lecture and only the time of
service counts; 刘芳 enters, corrects and signs off; he disputes once; his signed minutes add up per calendar year."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xieyu.audit.models import AuditEvent
from xieyu.notices.models import Delivery
from xieyu.teams.hours import access, services
from xieyu.teams.models import Assignment, ServiceRecord, ServiceYear

from .hours_fixtures import assign, at, lecture, member, service

M = datetime.timedelta(minutes=1)
TZ = timezone.get_default_timezone()


def _start(days: int = 3) -> datetime.datetime:
    """A lecture a few days ahead, at 14:30 local time (so no test runs across midnight)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, 14, 30, tzinfo=TZ)


def _checked(cast, s, arrive, leave):
    with at(arrive):
        services.checkin(actor=cast.volunteer_zeng, assignment=s.assignment)
    with at(leave):
        return services.checkout(actor=cast.volunteer_zeng, assignment=s.assignment)


def test_check_in_opens_30_minutes_before_the_start_and_closes_at_the_end(cast):
    start = _start()
    s = service(cast, starts_at=start, minutes=90)
    with at(start - 31 * M), pytest.raises(ValidationError, match="签到将于"):
        services.checkin(actor=cast.volunteer_zeng, assignment=s.assignment)
    with at(start + 91 * M), pytest.raises(ValidationError, match="签到已截止"):
        services.checkin(actor=cast.volunteer_zeng, assignment=s.assignment)
    assert not ServiceRecord.objects.exists()
    with at(start - 30 * M):
        record = services.checkin(actor=cast.volunteer_zeng, assignment=s.assignment)
    assert record.status == ServiceRecord.Status.OPEN and record.checked_in_at == start - 30 * M
    assert record.recording_unit == "全南县城厢小学" and record.source == ServiceRecord.Source.CHECKIN
    with at(start), pytest.raises(ValidationError, match="已经签到"):
        services.checkin(actor=cast.volunteer_zeng, assignment=s.assignment)


def test_only_the_time_of_service_counts_however_early_he_comes_or_late_he_leaves(cast):
    start = _start()
    s = service(cast, starts_at=start, minutes=90)
    record = _checked(cast, s, start - 25 * M, start + 90 * M + 100 * M)
    assert (record.started_at, record.ended_at, record.minutes) == (start, start + 90 * M, 90)
    assert record.status == ServiceRecord.Status.PENDING
    assert record.checked_out_at == start + 190 * M  # what his phone said is kept beside what counts


def test_leaving_early_counts_the_part_he_was_there(cast):
    start = _start()
    s = service(cast, starts_at=start, minutes=90)
    record = _checked(cast, s, start + 10 * M, start + 50 * M)
    assert record.minutes == 40 and record.started_at == start + 10 * M


def test_check_out_is_refused_before_check_in_too_late_and_before_the_service_starts(cast):
    start = _start()
    s = service(cast, starts_at=start, minutes=60)
    with at(start), pytest.raises(ValidationError, match="请先签到"):
        services.checkout(actor=cast.volunteer_zeng, assignment=s.assignment)
    with at(start - 20 * M):
        services.checkin(actor=cast.volunteer_zeng, assignment=s.assignment)
    with at(start - 20 * M), pytest.raises(ValidationError, match="签退时间必须晚于签到时间"):
        services.checkout(actor=cast.volunteer_zeng, assignment=s.assignment)
    with at(start - 10 * M), pytest.raises(ValidationError, match="服务尚未开始"):
        services.checkout(actor=cast.volunteer_zeng, assignment=s.assignment)
    with at(start + 60 * M + 121 * M), pytest.raises(ValidationError, match="组织方"):
        services.checkout(actor=cast.volunteer_zeng, assignment=s.assignment)
    record = ServiceRecord.objects.get()
    assert record.status == ServiceRecord.Status.OPEN and record.minutes == 0


def test_an_assignment_not_accepted_records_nothing(cast):
    start = _start()
    zeng = member(cast, cast.volunteer_zeng)
    invited = assign(cast, zeng, lecture(cast, starts_at=start), status=Assignment.Status.INVITED)
    with at(start), pytest.raises(ValidationError, match="已接受"):
        services.checkin(actor=cast.volunteer_zeng, assignment=invited)
    assert not ServiceRecord.objects.exists()


def test_the_organiser_enters_hours_from_the_paper_sheet_within_the_event(cast):
    start = _start(days=-3)
    s = service(cast, starts_at=start, minutes=90)
    liu = cast.school_admin_liu
    with pytest.raises(ValidationError, match="长于活动"):
        services.record_enter(actor=liu, assignment=s.assignment, started_at=start - 10 * M,
                              ended_at=start + 95 * M, source_note="纸质签到表")  # fmt: skip
    with pytest.raises(ValidationError, match="超出了活动时间"):
        services.record_enter(actor=liu, assignment=s.assignment, started_at=start - 10 * M,
                              ended_at=start + 60 * M, source_note="纸质签到表")  # fmt: skip
    with pytest.raises(ValidationError, match="来源"):
        services.record_enter(actor=liu, assignment=s.assignment, started_at=start, ended_at=start + 60 * M,
                              source_note="  ")  # fmt: skip
    with pytest.raises(ValidationError, match="结束时间"):
        services.record_enter(actor=liu, assignment=s.assignment, started_at=start + 60 * M, ended_at=start,
                              source_note="纸质签到表")  # fmt: skip
    assert not ServiceRecord.objects.exists()
    record = services.record_enter(actor=liu, assignment=s.assignment, started_at=start, ended_at=start + 80 * M,
                                   source_note="纸质签到表")  # fmt: skip
    assert (record.source, record.source_note, record.minutes) == ("organiser", "纸质签到表", 80)
    assert record.status == ServiceRecord.Status.PENDING and record.recorded_by == liu
    assert AuditEvent.objects.filter(action="teams.hours_enter").count() == 1


def test_an_entry_overlapping_another_record_of_the_same_person_is_refused(cast):
    start = _start(days=-3)
    s = service(cast, starts_at=start, minutes=120)
    services.record_enter(actor=cast.school_admin_liu, assignment=s.assignment, started_at=start,
                          ended_at=start + 120 * M, source_note="组织方现场记录")  # fmt: skip
    # the same afternoon, a second lecture at 全南二中 overlapping the first by half an hour
    other = assign(cast, s.zeng, lecture(cast, starts_at=start + 90 * M, school=cast.school_b))
    with pytest.raises(ValidationError, match="重叠"):
        services.record_enter(actor=cast.school_admin_wang, assignment=other, started_at=start + 90 * M,
                              ended_at=start + 150 * M, source_note="纸质签到表")  # fmt: skip
    assert ServiceRecord.objects.count() == 1
    ok = services.record_enter(actor=cast.school_admin_wang, assignment=other, started_at=start + 120 * M,
                               ended_at=start + 150 * M, source_note="纸质签到表")  # fmt: skip
    assert ok.minutes == 30


def test_signing_stores_the_signer_and_the_unit_and_adds_to_the_years_total(cast):
    start = _start(days=-3)
    s = service(cast, starts_at=start, minutes=90)
    record = services.record_enter(actor=cast.school_admin_liu, assignment=s.assignment, started_at=start,
                                   ended_at=start + 90 * M, source_note="纸质签到表")  # fmt: skip
    assert access.own_total(cast.volunteer_zeng, start.year) == 0
    assert services.records_sign(actor=cast.county_admin_chen, records=[record]) == 1
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.SIGNED and record.signed_by == cast.county_admin_chen
    assert record.recording_unit == "全南县家庭教育指导中心"  # 陈建国 signs for the county's guidance center
    assert access.own_total(cast.volunteer_zeng, start.year) == 90
    with pytest.raises(ValidationError, match="不再等待确认"):
        services.records_sign(actor=cast.school_admin_liu, records=[record])


def test_a_school_admin_signs_for_her_school(cast):
    start = _start(days=-3)
    s = service(cast, starts_at=start, minutes=60)
    record = services.record_enter(actor=cast.school_admin_liu, assignment=s.assignment, started_at=start,
                                   ended_at=start + 60 * M, source_note="纸质签到表")  # fmt: skip
    services.records_sign(actor=cast.school_admin_liu, records=[record])
    record.refresh_from_db()
    assert (record.recording_unit, record.signed_by) == ("全南县城厢小学", cast.school_admin_liu)


def test_a_correction_of_a_signed_record_goes_back_for_sign_off_and_leaves_the_total(cast):
    start = _start(days=-3)
    s = service(cast, starts_at=start, minutes=90)
    liu = cast.school_admin_liu
    record = services.record_enter(actor=liu, assignment=s.assignment, started_at=start, ended_at=start + 90 * M,
                                   source_note="纸质签到表")  # fmt: skip
    services.records_sign(actor=liu, records=[record])
    services.record_enter(actor=liu, assignment=s.assignment, started_at=start, ended_at=start + 60 * M,
                          source_note="核对签到表后更正")  # fmt: skip
    record.refresh_from_db()
    assert (record.status, record.minutes, record.signed_by) == ("pending", 60, None)
    assert access.own_total(cast.volunteer_zeng, start.year) == 0


def test_a_record_is_disputed_once_and_answered_by_keeping_the_times(cast):
    start = _start(days=-3)
    s = service(cast, starts_at=start, minutes=90)
    liu, zeng = cast.school_admin_liu, cast.volunteer_zeng
    record = services.record_enter(actor=liu, assignment=s.assignment, started_at=start, ended_at=start + 60 * M,
                                   source_note="纸质签到表")  # fmt: skip
    services.records_sign(actor=liu, records=[record])
    with pytest.raises(ValidationError, match="说明"):
        services.record_dispute(actor=zeng, record=record, reason=" ")
    services.record_dispute(actor=zeng, record=record, reason="我一直讲到结束,共一个半小时。")
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.DISPUTED
    assert access.own_total(zeng, start.year) == 0  # a disputed record counts again once answered
    assert Delivery.objects.filter(user=liu, notice__title__contains="有异议").exists()  # 刘芳 posted the need
    with pytest.raises(ValidationError, match="回复"):
        services.dispute_answer(actor=liu, record=record, answer="")
    services.dispute_answer(actor=liu, record=record, answer="签到表显示您15:30离场。")
    record.refresh_from_db()
    assert (record.status, record.minutes, record.signed_by) == ("signed", 60, liu)
    assert access.own_total(zeng, start.year) == 60
    assert Delivery.objects.filter(user=zeng, notice__body__contains="签到表显示您15:30离场").exists()
    with pytest.raises(ValidationError, match="只能提出一次异议"):
        services.record_dispute(actor=zeng, record=record, reason="还是不对。")
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.SIGNED
    actions = set(AuditEvent.objects.filter(target_id=str(record.pk)).values_list("action", flat=True))
    assert {"teams.hours_enter", "teams.hours_sign", "teams.hours_dispute", "teams.hours_dispute_answer"} <= actions


def test_a_dispute_answered_with_corrected_times_is_signed_again(cast):
    start = _start(days=-3)
    s = service(cast, starts_at=start, minutes=90)
    record = _checked(cast, s, start + 30 * M, start + 60 * M)  # his phone lost the network: only 30 minutes
    services.record_dispute(actor=cast.volunteer_zeng, record=record, reason="手机没信号,签到晚了。")
    with pytest.raises(ValidationError, match="长于活动"):
        services.dispute_answer(actor=cast.school_admin_liu, record=record, answer="", started_at=start,
                                ended_at=start + 100 * M)  # fmt: skip
    services.dispute_answer(actor=cast.school_admin_liu, record=record, answer="已按签到表更正。", started_at=start,
                            ended_at=start + 90 * M)  # fmt: skip
    record.refresh_from_db()
    assert (record.status, record.minutes, record.source) == ("signed", 90, "organiser")
    assert access.own_total(cast.volunteer_zeng, start.year) == 90
    with pytest.raises(ValidationError, match="未处于异议"):
        services.dispute_answer(actor=cast.school_admin_liu, record=record, answer="再次")


def test_totals_add_up_per_calendar_year_in_the_countys_time(cast):
    this = timezone.localdate().year
    late = datetime.datetime(this - 1, 12, 31, 22, 0, tzinfo=TZ)  # New Year's Eve: last year
    early = datetime.datetime(this, 1, 1, 9, 0, tzinfo=TZ)
    zeng = member(cast, cast.volunteer_zeng)
    liu = cast.school_admin_liu
    for begin, minutes in ((late, 60), (early, 120)):
        a = assign(cast, zeng, lecture(cast, starts_at=begin, minutes=minutes))
        with at(begin + 3 * 60 * M):
            r = services.record_enter(actor=liu, assignment=a, started_at=begin,
                                      ended_at=begin + minutes * M, source_note="纸质签到表")  # fmt: skip
            services.records_sign(actor=liu, records=[r])
    # 黄志华 in the expert team, and 曾德福 in a second team: a person's total is every team's
    huang = member(cast, cast.expert_huang, "expert")
    a = assign(cast, huang, lecture(cast, starts_at=early + 5 * 60 * M, minutes=45))
    with at(early + 6 * 60 * M):
        r = services.record_enter(actor=liu, assignment=a, started_at=early + 5 * 60 * M,
                                  ended_at=early + 5 * 60 * M + 45 * M, source_note="纸质签到表")  # fmt: skip
        services.records_sign(actor=liu, records=[r])
    assert access.own_total(cast.volunteer_zeng, this - 1) == 60
    assert access.own_total(cast.volunteer_zeng, this) == 120
    assert access.own_total(cast.expert_huang, this) == 45
    assert [(y["year"], y["minutes"]) for y in access.own_years(cast.volunteer_zeng)] == [(this, 120), (this - 1, 60)]
    assert ServiceYear.objects.get(member=zeng, year=this).records == 1
    ServiceYear.objects.all().delete()
    assert services.rollup_rebuild(county_id=cast.county.pk) == 3
    assert access.own_total(cast.volunteer_zeng, this) == 120


@pytest.mark.parametrize("value, expected", [("2026", 2026), ("abc", None), ("99999", None), ("1999", None),
                                             ("２０２６", None), ("", None), (2030, 2030), (True, None)])  # fmt: skip
def test_a_year_is_four_digits_within_the_calendar(value, expected):
    assert access.parse_year(value) == expected
