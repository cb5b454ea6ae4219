"""Every write of resource reports: a school's draft for a year, its figures (staff, hours, rooms, equipment,
budget by category), submission, and the county returning it with a note.

Budget rule (decided): amounts are in 元 with two decimals, never negative and at most 99,999,999.99; spending more
than planned on a category is allowed (money is moved between lines during a year) and shown as a warning on the
page and in the county's table, not refused.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.directory.models import School

from ..leadership.years import YEAR_MAX, YEAR_MIN
from .models import BudgetLine, ResourceReport

AMOUNT_MAX = Decimal("99999999.99")
STAFF_MAX = 10_000
HOURS_MAX = Decimal("1000000")
CENT = Decimal("0.01")


@transaction.atomic
def report_create(*, actor, school: School, year: int) -> ResourceReport:
    """The school's draft report for the year (one per school and year), with a zero line per budget category."""
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationError(_("Choose the academic year."), code="year")
    if ResourceReport.objects.filter(school=school, year=year).exists():
        raise ValidationError(_("The school already has a resource report for that year."), code="year")
    report = ResourceReport.objects.create(county_id=school.county_id, school=school, year=year, created_by=actor)
    BudgetLine.objects.bulk_create([BudgetLine(report=report, category=c) for c in BudgetLine.Category.values])
    audit_record(actor=actor, action="resources.report_create", target=report, changes={"year": [None, year]})
    return report


def _amount(value, label: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("%(what)s must be an amount in yuan, such as 1200.50.") % {"what": label},
                              code="budget") from exc  # fmt: skip
    if not amount.is_finite():
        raise ValidationError(
            _("%(what)s must be an amount in yuan, such as 1200.50.") % {"what": label}, code="budget"
        )
    if amount < 0:
        raise ValidationError(_("%(what)s cannot be negative.") % {"what": label}, code="budget")
    if amount > AMOUNT_MAX:
        raise ValidationError(_("%(what)s is too large: at most 99,999,999.99 yuan.") % {"what": label}, code="budget")
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise ValidationError(_("%(what)s has more than two decimals (fen).") % {"what": label}, code="budget")
    return amount.quantize(CENT)


def _count(value, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= STAFF_MAX:
        raise ValidationError(_("%(what)s must be a whole number from 0.") % {"what": label}, code="staff")
    return value


def _check_writable(report: ResourceReport) -> None:
    if report.status == ResourceReport.Status.SUBMITTED:
        raise ValidationError(_("The report is submitted: it can be changed only after the county returns it."),
                              code="status")  # fmt: skip


@transaction.atomic
def report_update(
    *,
    actor,
    report: ResourceReport,
    dedicated_staff: int,
    part_time_staff: int,
    coordinator: str,
    hours,
    rooms: list[str],
    rooms_other: str = "",
    equipment: str = "",
    note: str = "",
    budget: dict[str, tuple],
) -> list[str]:
    """Save the figures of a draft (or returned) report; the warnings to show (categories spent over plan)."""
    _check_writable(report)
    dedicated = _count(dedicated_staff, _("Dedicated staff"))
    part_time = _count(part_time_staff, _("Part-time staff"))
    coordinator = (coordinator or "").strip()
    if len(coordinator) > 50 or "\x00" in coordinator:
        raise ValidationError(_("The coordinator's name is too long: at most 50 characters."), code="coordinator")
    try:
        hours_value = Decimal(str(hours if hours not in (None, "") else "0"))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("Hours given must be a number, such as 120 or 120.5."), code="hours") from exc
    if not hours_value.is_finite() or hours_value < 0 or hours_value > HOURS_MAX:
        raise ValidationError(_("Hours given must be a number from 0."), code="hours")
    if hours_value != hours_value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP):
        raise ValidationError(_("Give the hours with at most one decimal."), code="hours")
    rooms = list(dict.fromkeys(rooms or []))
    if any(r not in ResourceReport.Room.values for r in rooms):
        raise ValidationError(_("Choose rooms from the list (name others under “other rooms”)."), code="rooms")
    rooms_other, equipment, note = (rooms_other or "").strip(), (equipment or "").strip(), (note or "").strip()
    if len(rooms_other) > 200 or len(equipment) > 2000 or len(note) > 2000 or "\x00" in rooms_other + equipment + note:
        raise ValidationError(_("Other rooms may have 200 characters, equipment and remarks 2000 each."), code="text")
    labels = dict(BudgetLine.Category.choices)
    unknown = set(budget) - set(labels)
    if unknown:
        raise ValidationError(_("Unknown budget category."), code="budget")
    amounts = {}
    for category, (planned, spent) in budget.items():
        name = str(labels[category])
        amounts[category] = (_amount(planned, _("Planned budget for %(c)s") % {"c": name}),
                             _amount(spent, _("Spent budget for %(c)s") % {"c": name}))  # fmt: skip
    ResourceReport.objects.filter(pk=report.pk).update(
        dedicated_staff=dedicated, part_time_staff=part_time, coordinator=coordinator, hours=hours_value,
        rooms=rooms, rooms_other=rooms_other, equipment=equipment, note=note, updated_at=timezone.now(),
    )  # fmt: skip
    lines = {b.category: b for b in BudgetLine.objects.filter(report=report)}
    for category, (planned, spent) in amounts.items():
        line = lines.get(category) or BudgetLine(report=report, category=category)
        line.planned, line.spent = planned, spent
        line.save()
    report.refresh_from_db()
    audit_record(actor=actor, action="resources.report_update", target=report,
                 changes={"planned": [None, str(sum((a[0] for a in amounts.values()), Decimal("0")))]})  # fmt: skip
    return overspending(report)


def overspending(report: ResourceReport) -> list[str]:
    return [
        _("%(c)s: spent %(spent)s yuan, more than the %(planned)s planned.")
        % {"c": b.get_category_display(), "spent": b.spent, "planned": b.planned}
        for b in BudgetLine.objects.filter(report=report).order_by("pk")
        if b.spent > b.planned
    ]


@transaction.atomic
def report_submit(*, actor, report: ResourceReport) -> ResourceReport:
    """Submit a draft or returned report to the county: it needs a coordinator and at least one staff member."""
    _check_writable(report)
    if not report.coordinator:
        raise ValidationError(_("Name the coordinator before submitting."), code="coordinator")
    if report.dedicated_staff + report.part_time_staff == 0:
        raise ValidationError(_("Give the staff for this work (dedicated or part-time) before submitting."),
                              code="staff")  # fmt: skip
    now = timezone.now()
    before = report.status
    if (
        not ResourceReport.objects.filter(pk=report.pk)
        .exclude(status=ResourceReport.Status.SUBMITTED)
        .update(status=ResourceReport.Status.SUBMITTED, submitted_at=now, submitted_by=actor, updated_at=now)
    ):
        raise ValidationError(_("The report is already submitted."), code="status")
    report.refresh_from_db()
    audit_record(actor=actor, action="resources.report_submit", target=report,
                 changes={"status": [before, report.status]})  # fmt: skip
    return report


@transaction.atomic
def report_return(*, actor, report: ResourceReport, note: str) -> ResourceReport:
    """The county sends a submitted report back to the school, saying what to correct."""
    note = (note or "").strip()
    if not note or "\x00" in note:
        raise ValidationError(_("Say what the school should correct."), code="note")
    if len(note) > 300:
        raise ValidationError(_("Say what to correct in at most 300 characters."), code="note")
    now = timezone.now()
    if not ResourceReport.objects.filter(pk=report.pk, status=ResourceReport.Status.SUBMITTED).update(
        status=ResourceReport.Status.RETURNED, returned_at=now, return_note=note, updated_at=now
    ):
        raise ValidationError(_("Only a submitted report can be returned."), code="status")
    report.refresh_from_db()
    audit_record(actor=actor, action="resources.report_return", target=report,
                 changes={"status": ["submitted", "returned"]})  # fmt: skip
    return report
