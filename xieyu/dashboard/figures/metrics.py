"""The dashboard's metrics, one small function per metric, grouped by the area of the work plan they report on.

Each function counts one county for one semester with one grouped query (two at most) and answers raw counts per
unit: `{unit id: (numerator, denominator)}`, the unit being a class, a school or the county as the metric's
`level` says. rollups.py adds classes up to schools and schools up to the county, suppresses what is about children
and stores the result; nothing here is ever shown directly.

A new area (the family evaluation's scores and their change, for instance) adds its metrics with `register(...)`
from its own module; the page shows every registered metric in its area's place.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xieyu.awards.campaigns.models import Campaign
from xieyu.burden.afterschool.models import AfterschoolSchedule
from xieyu.burden.watch.models import BurdenFlag
from xieyu.care.registry.models import RegistryEntry
from xieyu.committees.appraisals.models import AppraisalClassRollup
from xieyu.committees.inquiries.models import InquiryTally
from xieyu.deadlines.models import Deadline
from xieyu.directory.models import Guardianship, Region, School, SchoolClass, Student
from xieyu.events.models import Attendance, Event
from xieyu.notices.models import Delivery
from xieyu.parentschool.models import ParentSchool, Session
from xieyu.parentschool.semester import Semester
from xieyu.questions.asking.models import Question
from xieyu.questions.topics.models import TopicRequest
from xieyu.teams.hours.models import ServiceRecord
from xieyu.venues.bookings.models import Booking

Counts = dict[int, tuple[int, int]]

CLASS, SCHOOL, COUNTY = "class", "school", "county"
RATE, MEAN, COUNT = "rate", "mean", "count"


@dataclass(frozen=True)
class Area:
    key: str
    title: Promise


AREAS = [
    Area("reach", _("Families joined and reached")),
    Area("parentschool", _("Parent school")),
    Area("questions", _("Questions and hot topics")),
    Area("care", _("Children in difficulty")),
    Area("committees", _("Parent committees, inquiries and appraisal")),
    Area("burden", _("Burden against the limits")),
    Area("community", _("Volunteers and venues")),
    Area("evaluation", _("Family evaluation")),
    Area("awards", _("Selection campaigns")),
]


@dataclass(frozen=True)
class Metric:
    """One figure of the dashboard.

    - `kind`: RATE (numerator of denominator, shown as a percentage), MEAN (a sum over a count, e.g. ratings 1–5)
      or COUNT (the numerator; the denominator is the number of units counted);
    - `level`: the smallest unit it is counted for (a class's figures add up to its school's, a school's to the
      county's);
    - `children`: counts children or their families, so every unit passes through small-cell suppression;
    - `target` (with `target_text`): the rule the ranking measures schools against: a rate at least `target`, or
      for a COUNT at least `target` per school (the county's figure is then the share of schools that meet it);
    - `lower_is_better`: a rate that should be low (families reached by no channel).
    """

    key: str
    area: str
    title: Promise
    counts_what: Promise  # what the denominator counts ("families", "schools", …)
    kind: str
    level: str
    compute: Callable[[Region, Semester, datetime.datetime], Counts]
    children: bool = False
    target: float | None = None
    target_text: Promise | str = ""
    lower_is_better: bool = False
    scale: float = 1.0  # a COUNT's numerator is divided by this when shown (minutes → hours)
    rest_label: Promise | str = ""  # a RATE whose complement is a figure of its own (families never reached)

    @property
    def ranked(self) -> bool:
        return self.target is not None and self.level != COUNTY


METRICS: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    """Add a metric (another app's area fills its tile this way); the next rollup computes it."""
    METRICS[metric.key] = metric
    return metric


def metrics_of(area: str) -> list[Metric]:
    return [m for m in METRICS.values() if m.area == area]


# --- helpers ------------------------------------------------------------------------------------------------------


def _in(sem: Semester, field: str) -> Q:
    start, end = sem.bounds()
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _enrolled(county: Region):
    return Student.objects.filter(status=Student.Status.ENROLLED, school__county=county, school_class__isnull=False)


def _pairs(rows, key: str, num: str = "num", den: str = "den") -> Counts:
    return {r[key]: (int(r[num] or 0), int(r[den] or 0)) for r in rows if r[key] is not None}


def _by_class(qs, flag: str) -> Counts:
    """Enrolled students per class, and those with `flag` (an annotation) true: one grouped query."""
    rows = qs.order_by().values("school_class").annotate(den=Count("pk"), num=Count("pk", filter=Q(**{flag: True})))
    return _pairs(rows, "school_class")


def _schools(county: Region):
    return School.objects.filter(county=county).order_by()


def _on_time(county: Region, sem: Semester, now, policy: str, by: str) -> Counts:
    """Deadlines of one policy started in the semester and due by now: resolved in time of those due or resolved."""
    qs = Deadline.objects.filter(_in(sem, "started_at"), county=county, policy__name=policy).exclude(
        state=Deadline.State.CANCELLED
    )
    due = Q(resolved_at__isnull=False) | Q(resolution_due__lt=now)
    rows = (
        qs.filter(due)
        .order_by()
        .values(by)
        .annotate(den=Count("pk"), num=Count("pk", filter=Q(resolved_at__lte=F("resolution_due"))))
    )
    return _pairs(rows, by)


# --- reach --------------------------------------------------------------------------------------------------------


def families_joined(county, sem, now) -> Counts:
    joined = Guardianship.objects.filter(
        student=OuterRef("pk"), status=Guardianship.Status.CONFIRMED, guardian__user__isnull=False
    )
    return _by_class(_enrolled(county).annotate(j=Exists(joined)), "j")


def families_no_channel(county, sem, now) -> Counts:
    channel = Guardianship.objects.filter(student=OuterRef("pk"), status=Guardianship.Status.CONFIRMED).filter(
        Q(guardian__user__isnull=False) | Q(guardian__phone__isnull=False)
    )
    return _by_class(_enrolled(county).annotate(none=~Exists(channel)), "none")


def notices_read_24h(county, sem, now) -> Counts:
    rows = (
        Delivery.objects.filter(_in(sem, "created_at"), guardian__isnull=False, school__county=county)
        .order_by()
        .values("school_class")
        .annotate(
            den=Count("pk"),
            num=Count("pk", filter=Q(read_at__lte=F("created_at") + datetime.timedelta(hours=24))),
        )
    )
    return _pairs(rows, "school_class")


# --- parent school ------------------------------------------------------------------------------------------------


def ps_established(county, sem, now) -> Counts:
    rows = _schools(county).annotate(e=Exists(ParentSchool.objects.filter(school=OuterRef("pk")))).values("pk", "e")
    return {r["pk"]: (int(r["e"]), 1) for r in rows}


def ps_sessions(county, sem, now) -> Counts:
    held = Session.objects.filter(semester=sem.code, parent_school__school__county=county).exclude(
        event__status__in=[Event.Status.CANCELLED, Event.Status.DRAFT]
    )
    counted = dict(
        held.order_by()
        .values("parent_school__school")
        .annotate(n=Count("pk"))
        .values_list("parent_school__school", "n")
    )
    return {pk: (int(counted.get(pk, 0)), 1) for pk in _schools(county).values_list("pk", flat=True)}


def ps_attended(county, sem, now) -> Counts:
    came = Attendance.objects.filter(
        _in(sem, "event__starts_at"), student=OuterRef("pk"), event__ps_session__semester=sem.code
    )
    return _by_class(_enrolled(county).annotate(a=Exists(came)), "a")


# --- questions ----------------------------------------------------------------------------------------------------


def questions_on_time(county, sem, now) -> Counts:
    return _on_time(county, sem, now, "question.default", "school")


def questions_satisfaction(county, sem, now) -> Counts:
    rows = (
        Question.objects.filter(_in(sem, "created_at"), county=county, rating__isnull=False)
        .order_by()
        .values("school")
        .annotate(num=Sum("rating"), den=Count("pk"))
    )
    return _pairs(rows, "school")


def topics_with_lecture(county, sem, now) -> Counts:
    rows = (
        TopicRequest.objects.filter(school__county=county)
        .exclude(status=TopicRequest.Status.DECLINED)
        .order_by()
        .values("school")
        .annotate(den=Count("pk"), num=Count("pk", filter=Q(scheduled_event_id__isnull=False)))
    )
    return _pairs(rows, "school")


# --- care (suppressed) --------------------------------------------------------------------------------------------


def care_registry(county, sem, now) -> Counts:
    listed = RegistryEntry.objects.filter(student=OuterRef("pk"), state=RegistryEntry.State.CONFIRMED)
    return _by_class(_enrolled(county).annotate(r=Exists(listed)), "r")


def care_reviews_on_time(county, sem, now) -> Counts:
    return _on_time(county, sem, now, "care.review", "school")


def care_referrals_on_time(county, sem, now) -> Counts:
    return _on_time(county, sem, now, "care.referral", "county")


# --- committees ---------------------------------------------------------------------------------------------------


def inquiries_on_time(county, sem, now) -> Counts:
    rows = InquiryTally.objects.filter(county=county).values("school", "answered_on_time", "answered")
    return _pairs(rows, "school", "answered_on_time", "answered")


def appraisal_score(county, sem, now) -> Counts:
    rows = (
        AppraisalClassRollup.objects.filter(_in(sem, "appraisal__opened_at"), appraisal__county=county)
        .order_by()
        .values("school_class")
        .annotate(
            num=Sum(
                F("sum_management") + F("sum_ethics") + F("sum_homework") + F("sum_afterschool")
                + F("sum_communication")
            ),
            den=Sum(F("responses") * 5),
        )
    )  # fmt: skip
    return _pairs(rows, "school_class")


# --- burden -------------------------------------------------------------------------------------------------------


def burden_classes_flagged(county, sem, now) -> Counts:
    flagged = BurdenFlag.objects.filter(school_class=OuterRef("pk"), state=BurdenFlag.State.OPEN)
    rows = (
        SchoolClass.objects.filter(school__county=county)
        .annotate(f=Exists(flagged))
        .order_by()
        .values("school")
        .annotate(den=Count("pk"), num=Count("pk", filter=Q(f=True)))
    )
    return _pairs(rows, "school")


def afterschool_meets(county, sem, now) -> Counts:
    meets = dict(AfterschoolSchedule.objects.filter(school__county=county).values_list("school", "meets_rule"))
    return {pk: (int(bool(meets.get(pk))), 1) for pk in _schools(county).values_list("pk", flat=True)}


# --- community ----------------------------------------------------------------------------------------------------


def volunteer_minutes(county, sem, now) -> Counts:
    total = ServiceRecord.objects.filter(
        _in(sem, "started_at"), member__team__county=county, status=ServiceRecord.Status.SIGNED
    ).aggregate(m=Sum("minutes"), n=Count("pk"))
    return {county.pk: (int(total["m"] or 0), int(total["n"] or 0))}


def venue_visits(county, sem, now) -> Counts:
    start, end = sem.start, sem.end
    counted = dict(
        Booking.objects.filter(school__county=county, status=Booking.Status.CONFIRMED, date__gte=start, date__lte=end)
        .order_by()
        .values("school")
        .annotate(n=Count("pk"))
        .values_list("school", "n")
    )
    return {pk: (int(counted.get(pk, 0)), 1) for pk in _schools(county).values_list("pk", flat=True)}


# --- awards -------------------------------------------------------------------------------------------------------


def campaigns_run(county, sem, now) -> Counts:
    qs = Campaign.objects.filter(county=county).exclude(phase__in=["draft", "cancelled"])
    return {county.pk: (qs.count(), 0)}  # no denominator: a count of the county's own campaigns


for _m in [
    Metric("families_joined", "reach", _("Families joined"), _("families"), RATE, CLASS, families_joined,
           children=True, target=0.95, target_text=_("at least 95% of families joined")),
    Metric("notices_read_24h", "reach", _("Notices read within 24 hours"), _("deliveries"), RATE, CLASS,
           notices_read_24h, children=True, target=0.8, target_text=_("at least 80% read within 24 hours")),
    Metric("families_no_channel", "reach", _("Families reached by no channel"), _("families"), RATE, CLASS,
           families_no_channel, children=True, lower_is_better=True),
    Metric("ps_established", "parentschool", _("Parent school established"), _("schools"), RATE, SCHOOL,
           ps_established, target=1.0, target_text=_("every school (100%)")),
    Metric("ps_sessions", "parentschool", _("Parent-school sessions this semester"), _("schools"), COUNT, SCHOOL,
           ps_sessions, target=2, target_text=_("at least 2 sessions per school per semester")),
    Metric("ps_attended", "parentschool", _("Families who attended a session"), _("families"), RATE, CLASS,
           ps_attended, children=True, target=0.6, target_text=_("at least 60% of families attended"),
           rest_label=_("Families never reached this semester")),
    Metric("questions_on_time", "questions", _("Questions answered on time"), _("questions due"), RATE, SCHOOL,
           questions_on_time, target=0.9, target_text=_("at least 90% answered on time")),
    Metric("questions_satisfaction", "questions", _("Satisfaction with answers (1–5)"), _("ratings"), MEAN, SCHOOL,
           questions_satisfaction),
    Metric("topics_with_lecture", "questions", _("Requested topics with a lecture"), _("topics"), RATE, SCHOOL,
           topics_with_lecture),
    Metric("care_registry", "care", _("Children in the registry"), _("children"), RATE, CLASS, care_registry,
           children=True),
    Metric("care_reviews_on_time", "care", _("Registry reviews on time"), _("reviews due"), RATE, SCHOOL,
           care_reviews_on_time, children=True),
    Metric("care_referrals_on_time", "care", _("Referrals handled on time"), _("referrals due"), RATE, COUNTY,
           care_referrals_on_time, children=True),
    Metric("inquiries_on_time", "committees", _("Inquiries answered on time"), _("inquiries answered"), RATE,
           SCHOOL, inquiries_on_time, target=1.0, target_text=_("every inquiry answered on time")),
    Metric("appraisal_score", "committees", _("Appraisal score (1–5)"), _("ratings"), MEAN, CLASS, appraisal_score,
           children=True),
    Metric("burden_classes_flagged", "burden", _("Classes over a limit"), _("classes"), RATE, SCHOOL,
           burden_classes_flagged, lower_is_better=True),
    Metric("afterschool_meets", "burden", _("After-school service meets 5+2"), _("schools"), RATE, SCHOOL,
           afterschool_meets, target=1.0, target_text=_("every school meets 5+2")),
    Metric("volunteer_hours", "community", _("Volunteer hours signed off"), _("service records"), COUNT, COUNTY,
           volunteer_minutes, scale=60.0),
    Metric("venue_visits", "community", _("Class visits to venues"), _("schools"), COUNT, SCHOOL, venue_visits),
    Metric("campaigns", "awards", _("Selection campaigns under way or done"), _("county"), COUNT, COUNTY,
           campaigns_run),
]:  # fmt: skip
    register(_m)
