"""Every write of the 双减 reports: a family files one (it goes to the county on the `burden.report` clock), the
county acknowledges it, handles it with an outcome the family is told, and may send the school a summary that names
nobody."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from xieyu.accounts.models import Role, User
from xieyu.accounts.scope import holders
from xieyu.audit.services import audit_record
from xieyu.deadlines.services import deadline_for, deadline_resolve, deadline_respond, deadline_start
from xieyu.directory.models import SchoolClass, Student
from xieyu.notices.messages import message_send

from .models import BurdenReport

TEXT_CHARS = 2000
OLDEST_DAYS = 365
TOPIC = "burden.report"


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError(_("%(field)s: holds a character that is not allowed.") % {"field": field})
    if len(value) > TEXT_CHARS:
        raise ValidationError(_("%(field)s: at most %(n)s characters.") % {"field": field, "n": TEXT_CHARS})
    return value


@transaction.atomic
def report_file(
    *,
    actor: User,
    student: Student,
    kind: str,
    what_happened: str,
    happened_on: datetime.date,
    school_class: SchoolClass | None = None,
) -> BurdenReport:
    """A family's report about her child's school; the class is optional (it must be one of that school's)."""
    if kind not in BurdenReport.Kind.values:
        raise ValidationError(_("Kind: choose what kind of problem it is."))
    what = _text(what_happened, _("What happened"))
    if not what:
        raise ValidationError(_("What happened: say what happened."))
    today = timezone.localdate()
    if not isinstance(happened_on, datetime.date) or happened_on > today:
        raise ValidationError(_("When: the day cannot be in the future."))
    if (today - happened_on).days > OLDEST_DAYS:
        raise ValidationError(_("When: report something from the last year."))
    if school_class is not None and school_class.school_id != student.school_id:
        raise ValidationError(_("Class: choose a class of your child's school."))
    school = student.school
    report = BurdenReport.objects.create(
        county_id=school.county_id, school=school, school_class=school_class, kind=kind, what_happened=what,
        happened_on=happened_on, reporter=actor,
    )  # fmt: skip
    # The clock is the county's alone: placed in the school, it would show on the school admin's overdue list.
    deadline_start(actor=actor, target=report, policy="burden.report", county=school.county_id,
                   title=str(report.get_kind_display()))  # fmt: skip
    audit_record(actor=actor, action="burden.report.file", target=report, changes={"kind": [None, kind]})
    return report


@transaction.atomic
def report_acknowledge(*, actor: User, report: BurdenReport) -> BurdenReport:
    if report.state != BurdenReport.State.RECEIVED:
        raise ValidationError(_("This report has already been acknowledged."))
    report.state, report.acknowledged_at = BurdenReport.State.ACKNOWLEDGED, timezone.now()
    report.save(update_fields=["state", "acknowledged_at"])
    if (d := deadline_for(report)) is not None:
        deadline_respond(actor=actor, deadline=d)
    audit_record(actor=actor, action="burden.report.acknowledge", target=report,
                 changes={"state": ["received", "acknowledged"]})  # fmt: skip
    _tell_family(actor, report, _("Your double reduction report is being looked into"),
                 _("The county education bureau has received your report and is looking into it."))  # fmt: skip
    return report


@transaction.atomic
def report_handle(*, actor: User, report: BurdenReport, outcome: str) -> BurdenReport:
    """Close the report with an outcome the family reads (acknowledging it on the way if needed)."""
    if report.state == BurdenReport.State.HANDLED:
        raise ValidationError(_("This report has already been handled."))
    outcome = _text(outcome, pgettext("handling", "Outcome"))
    if not outcome:
        raise ValidationError(_("Outcome: say what was done, for the family to read."))
    old = report.state
    now = timezone.now()
    d = deadline_for(report)
    if report.state == BurdenReport.State.RECEIVED:
        report.acknowledged_at = now
        if d is not None:
            d = deadline_respond(actor=actor, deadline=d)
    report.state, report.outcome, report.handled_by, report.handled_at = BurdenReport.State.HANDLED, outcome, actor, now
    report.save(update_fields=["state", "outcome", "handled_by", "handled_at", "acknowledged_at"])
    if d is not None:
        deadline_resolve(actor=actor, deadline=d)
    audit_record(actor=actor, action="burden.report.handle", target=report, changes={"state": [old, "handled"]})
    _tell_family(actor, report, _("Your double reduction report has been handled"), outcome)
    return report


@transaction.atomic
def report_summary_send(*, actor: User, report: BurdenReport, summary: str) -> int:
    """Send the school's admins a summary the county wrote, which names no family: the school learns what to fix,
    never who reported. Returns how many admins it went to."""
    summary = _text(summary, _("Summary"))
    if not summary:
        raise ValidationError(_("Summary: write what the school should know (without any name)."))
    admins = list(holders(Role.SCHOOL_ADMIN, school_id=report.school_id))
    if not admins:
        raise ValidationError(_("Summary: this school has no administrator to send it to."))
    for admin in admins:
        message_send(
            actor=actor, county_id=report.county_id, to_user=admin, title=_("A double reduction matter to look into"),
            body=summary, link="", topic=TOPIC, sender_unit=_("County education bureau"),
        )  # fmt: skip
    report.summary_sent_at = timezone.now()
    report.save(update_fields=["summary_sent_at"])
    audit_record(
        actor=actor, action="burden.report.summary", target=report, changes={"summary_to": [None, len(admins)]}
    )
    return len(admins)


def _tell_family(actor, report: BurdenReport, title: str, body: str) -> None:
    message_send(
        actor=actor, county_id=report.county_id, to_user=report.reporter, title=title, body=body,
        link=reverse("burden:report_detail", args=[report.pk]), topic=TOPIC, sender_unit=_("County education bureau"),
    )  # fmt: skip
