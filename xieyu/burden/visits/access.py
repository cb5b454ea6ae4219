"""Who may see and record which home visit, plan, coverage figure and 双减 meeting. Missing and forbidden: 404.

- Visit records are sensitive: the class's head teacher, the school's admin and the county admin read them (every
  read is logged by the pages); never another class's teacher, a subject teacher or a guardian. A guardian only
  learns that a visit happened and when (`visit_dates_of_children`).
- The plan of a class: its head teacher and the school admin plan and record visits; the county admin reads.
- Registry categories (建档立卡) show on the plan only where the viewer may already read the child's registry entry
  (care.registry.access); otherwise a registered family is only "优先".
- 双减 meetings are events (kinds DOUBLE_REDUCTION_MEETING, HOMEWORK_MEETING) seen through events.access; their
  minutes are written by the school admin or the head teacher of the audience class, and read by the audience's
  guardians once published.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.care.models import RegistryEntry
from xieyu.care.registry.access import entries_visible_to
from xieyu.directory.models import Guardian, Guardianship, School, SchoolClass, Student
from xieyu.events import access as events_access
from xieyu.events.models import Event

from ..watch.models import BurdenFlag
from .models import HomeVisit, MeetingMinutes, PlannedVisit, VisitCoverage, VisitFollowUp

MEETING_KINDS = (Event.Kind.DOUBLE_REDUCTION_MEETING, Event.Kind.HOMEWORK_MEETING)
REGISTERED_STATES = (RegistryEntry.State.PROPOSED, RegistryEntry.State.CONFIRMED)


def school_year_of(day: datetime.date | None = None) -> int:
    """The school year a day lies in, by the September it started."""
    day = day or timezone.localdate()
    return day.year if day.month >= 9 else day.year - 1


def school_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _classes_q(user, *, write: bool, prefix: str = "") -> Q:
    """Classes (as `prefix` + class fields) whose visits the user reads, or with write records."""
    scope = scope_of(user)
    q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    if classes := scope.classes(Role.HEAD_TEACHER):
        q |= Q(**{f"{prefix}pk__in": classes})
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(**{f"{prefix}school__in": schools})
    if not write and (counties := scope.counties(Role.COUNTY_ADMIN)):
        q |= Q(**{f"{prefix}school__county__in": counties})
    return q


def classes_for_visits(user, *, write: bool = False) -> QuerySet[SchoolClass]:
    if not _authenticated(user):
        return SchoolClass.objects.none()
    return SchoolClass.objects.filter(_classes_q(user, write=write))


def get_class_for_visits(user, pk, *, write: bool = False) -> SchoolClass:
    school_class = classes_for_visits(user, write=write).select_related("school", "grade").filter(pk=pk).first()
    if school_class is None:
        raise Http404("class not found")
    return school_class


def default_class_for(user) -> SchoolClass:
    """The class a head teacher's plan opens on: her first class (the scope: no query)."""
    for g in scope_of(user).of(Role.HEAD_TEACHER):
        if g.membership.school_class is not None:
            return g.membership.school_class
    raise Http404("no class")


def may_record(user, school_class: SchoolClass) -> bool:
    """Head teacher of the class or admin of its school (no query)."""
    scope = scope_of(user)
    return school_class.pk in scope.classes(Role.HEAD_TEACHER) or school_class.school_id in scope.whole_schools(
        Role.SCHOOL_ADMIN
    )


def get_student_to_visit(user, school_class: SchoolClass, pk) -> Student:
    """An enrolled student of a class that came from get_class_for_visits(write=True)."""
    student = (
        Student.objects.filter(school_class=school_class, status=Student.Status.ENROLLED)
        .select_related("school", "school_class", "school_class__school")
        .filter(pk=pk)
        .first()
    )
    if student is None:
        raise Http404("student not found")
    return student


def family_guardians(student: Student) -> list[Guardianship]:
    """The student's confirmed guardianships, primary carer first (for the "who was met" choice)."""
    return list(
        Guardianship.objects.filter(student=student, status=Guardianship.Status.CONFIRMED)
        .select_related("guardian")
        .order_by("-is_primary_carer", "pk")
    )


def guardians_of_family(student: Student, ids) -> list[Guardian]:
    """The guardians among `ids` who are confirmed guardians of this student (anything else is left out)."""
    return list(
        Guardian.objects.filter(
            pk__in=ids, guardianships__student=student, guardianships__status=Guardianship.Status.CONFIRMED
        )
    )


def staff_of_class(school_class: SchoolClass) -> list:
    """Who may go on a visit or own a follow-up: the class's head teachers, the school's admins and teachers."""
    from xieyu.accounts.models import Membership

    rows = (
        Membership.objects.filter(is_active=True)
        .filter(
            Q(role=Role.HEAD_TEACHER, school_class=school_class)
            | Q(role__in=[Role.SCHOOL_ADMIN, Role.TEACHER], school=school_class.school_id)
        )
        .select_related("user")
        .order_by("role", "user__name", "pk")
    )
    seen: dict[int, object] = {}
    for m in rows:
        seen.setdefault(m.user_id, m.user)
    return list(seen.values())


# --- the plan ------------------------------------------------------------------------------------------------


def _has_phone() -> Exists:
    return Exists(
        Guardianship.objects.filter(
            student=OuterRef("pk"), status=Guardianship.Status.CONFIRMED, guardian__phone__isnull=False
        ).exclude(guardian__phone="")
    )


def plan_rows(school_class: SchoolClass, term: str, year: int) -> QuerySet[Student]:
    """The class's enrolled families in plan order: registered (left-behind and others) first, then families with
    no phone, then the rest; within each, those not visited this school year first. One query a page."""
    start, end = school_year_bounds(year)
    visits = HomeVisit.objects.filter(student=OuterRef("pk"), visited_on__gte=start, visited_on__lte=end)
    return (
        Student.objects.filter(school_class=school_class, status=Student.Status.ENROLLED)
        .annotate(
            registered=Exists(RegistryEntry.objects.filter(student=OuterRef("pk"), state__in=REGISTERED_STATES)),
            has_phone=_has_phone(),
            planned_on=Subquery(
                PlannedVisit.objects.filter(student=OuterRef("pk"), term=term).values("planned_on")[:1]
            ),
            last_visit_on=Subquery(visits.order_by("-visited_on").values("visited_on")[:1]),
            last_visit_id=Subquery(visits.order_by("-visited_on", "-pk").values("pk")[:1]),
        )
        .order_by(
            "-registered",
            "has_phone",
            F("last_visit_on").asc(nulls_first=True),
            F("planned_on").asc(nulls_last=True),
            "student_number",
            "pk",
        )
    )


def registry_labels(user, students: list[Student]) -> dict[int, list[str]]:
    """For the students whose registry entry the user may already read: their open categories' labels (one
    query); a registered student missing here shows only as a priority."""
    from xieyu.care.registry.access import open_categories

    ids = [s.pk for s in students if getattr(s, "registered", False)]
    if not ids:
        return {}
    entries = entries_visible_to(user).filter(student__in=ids).prefetch_related(open_categories())
    return {e.student_id: [str(c.get_category_display()) for c in getattr(e, "open_categories", [])] for e in entries}


# --- visits ---------------------------------------------------------------------------------------------------


def visits_visible_to(user) -> QuerySet[HomeVisit]:
    if not _authenticated(user):
        return HomeVisit.objects.none()
    return HomeVisit.objects.filter(_classes_q(user, write=False, prefix="school_class__"))


def get_visit_for(user, pk, *, write: bool = False) -> HomeVisit:
    qs = (
        HomeVisit.objects.filter(_classes_q(user, write=True, prefix="school_class__"))
        if write
        else (visits_visible_to(user))
    )
    visit = (
        qs.select_related("student", "school_class", "school_class__grade", "school", "recorded_by", "case_request")
        .prefetch_related("visitors", "met")
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404("visit not found")
    return visit


def follow_ups_of(visit: HomeVisit) -> list[VisitFollowUp]:
    return list(visit.follow_ups.select_related("owner", "done_by"))


def get_follow_up_for(user, visit: HomeVisit, pk) -> VisitFollowUp:
    """A follow-up of a visit the user may write to, or one they own."""
    fu = VisitFollowUp.objects.filter(visit=visit, pk=pk).first()
    if fu is None or not (fu.owner_id == user.pk or may_record(user, visit.school_class)):
        raise Http404("follow-up not found")
    return fu


def visits_of_student(student: Student, limit: int = 20) -> list[HomeVisit]:
    return list(HomeVisit.objects.filter(student=student).order_by("-visited_on", "-pk")[:limit])


def visit_dates_of_children(user) -> list[HomeVisit]:
    """A guardian's children's visits, dates and the child only (the record itself is not theirs to read)."""
    if not _authenticated(user):
        return []
    return list(
        HomeVisit.objects.filter(
            student__guardianships__guardian__user=user, student__guardianships__status=Guardianship.Status.CONFIRMED
        )
        .select_related("student")
        .only("pk", "visited_on", "student__name")
        .order_by("-visited_on")[:10]
    )


# --- coverage ---------------------------------------------------------------------------------------------------


def coverage_classes(user, school: School, year: int) -> QuerySet[VisitCoverage]:
    """The kept counts of a school's classes the user may read (one query)."""
    return (
        VisitCoverage.objects.filter(year=year, school=school)
        .filter(_classes_q(user, write=False, prefix="school_class__"))
        .select_related("school_class", "school_class__grade")
        .order_by("school_class__grade__level", "school_class__name", "pk")
    )


def coverage_schools(user, county_id: int, year: int):
    """Per school of the county: families and families visited, summed from the kept class counts (one grouped
    query). County admins only."""
    if county_id not in scope_of(user).counties(Role.COUNTY_ADMIN):
        raise Http404("county not found")
    return (
        VisitCoverage.objects.filter(year=year, county_id=county_id)
        .values("school_id", "school__name")
        .annotate(families=Coalesce(Sum("families"), 0), visited=Coalesce(Sum("visited"), 0), classes=Count("pk"))
        .order_by("school__name", "school_id")
    )


def coverage_schools_of(user) -> QuerySet[School]:
    """Schools whose class coverage the user reads (school admins, head teachers' schools, county admins)."""
    scope = scope_of(user)
    q = Q(pk__in=[])
    if schools := scope.schools(Role.SCHOOL_ADMIN, Role.HEAD_TEACHER):
        q |= Q(pk__in=schools)
    if counties := scope.counties(Role.COUNTY_ADMIN):
        q |= Q(county__in=counties)
    return School.objects.filter(q)


def get_coverage_school_for(user, pk) -> School:
    school = coverage_schools_of(user).filter(pk=pk).first()
    if school is None:
        raise Http404("school not found")
    return school


def class_counts(school_class: SchoolClass, year: int) -> tuple[int, int]:
    """Enrolled families and families visited this school year, counted (for the services keeping the rollup)."""
    start, end = school_year_bounds(year)
    families = Student.objects.filter(school_class=school_class, status=Student.Status.ENROLLED).count()
    visited = (
        HomeVisit.objects.filter(
            school_class=school_class, visited_on__gte=start, visited_on__lte=end, student__status="enrolled"
        )
        .values("student")
        .distinct()
        .count()
    )
    return families, visited


def county_class_counts(county_id: int, year: int):
    """Every class of a county with its enrolled families and families visited (two grouped queries)."""
    start, end = school_year_bounds(year)
    families = dict(
        Student.objects.filter(school__county=county_id, status=Student.Status.ENROLLED, school_class__isnull=False)
        .values("school_class")
        .annotate(n=Count("pk"))
        .values_list("school_class", "n")
    )
    visited = dict(
        HomeVisit.objects.filter(
            county_id=county_id, visited_on__gte=start, visited_on__lte=end, student__status=Student.Status.ENROLLED
        )  # fmt: skip
        .values("school_class")
        .annotate(n=Count("student", distinct=True))
        .values_list("school_class", "n")
    )
    return families, visited


def recently_visited(student_ref: str, days: int) -> Exists:
    """For the notices' reach figures: the student's family had a visit in the last `days` days."""
    since = timezone.localdate() - datetime.timedelta(days=days)
    return Exists(HomeVisit.objects.filter(student=OuterRef(student_ref), visited_on__gte=since))


# --- flags and meetings -------------------------------------------------------------------------------------------


def get_flag_for_meeting(user, pk) -> BurdenFlag:
    """An open flag of a class the user heads, or of the school the user runs."""
    flag = (
        BurdenFlag.objects.filter(_classes_q(user, write=True, prefix="school_class__"), state=BurdenFlag.State.OPEN)
        .select_related("school_class", "school_class__grade", "school_class__school", "school", "meeting")
        .filter(pk=pk)
        .first()
    )
    if flag is None:
        raise Http404("flag not found")
    return flag


def meeting_units_for(user) -> tuple[list[SchoolClass], list[School]]:
    """Where the user may open a 双减 meeting: their classes (head teacher) and schools (school admin)."""
    scope = scope_of(user)
    classes = [g.membership.school_class for g in scope.of(Role.HEAD_TEACHER) if g.membership.school_class]
    schools = [g.membership.school for g in scope.of(Role.SCHOOL_ADMIN) if g.membership.school]
    return classes, schools


def meetings_visible_to(user) -> QuerySet[Event]:
    """双减 meetings the user sees (through events.access), newest first, with their minutes."""
    return (
        events_access.events_visible_to(user)
        .filter(kind__in=MEETING_KINDS)
        .select_related("school", "audience_class", "audience_class__grade", "burden_minutes")
        .order_by("-starts_at", "-pk")
    )


def _is_staff_for_meeting(user, event: Event) -> bool:
    scope = scope_of(user)
    if event.county_id in scope.counties(Role.COUNTY_ADMIN):
        return True
    if event.school_id is not None and event.school_id in scope.schools(
        Role.SCHOOL_ADMIN, Role.HEAD_TEACHER, Role.TEACHER
    ):
        return True
    return False


def may_write_minutes(user, event: Event) -> bool:
    """The school admin of the organising school, or the head teacher of the audience class (no query)."""
    scope = scope_of(user)
    if event.school_id is not None and event.school_id in scope.whole_schools(Role.SCHOOL_ADMIN):
        return True
    return event.audience == Event.Audience.CLASS and event.audience_class_id in scope.classes(Role.HEAD_TEACHER)


def get_meeting_for(user, pk, *, write: bool = False) -> Event:
    """A 双减 meeting: staff of its school and the county see it and its minutes; a guardian of its audience sees it
    once the minutes are published; with write, only who may write the minutes."""
    event = meetings_visible_to(user).filter(pk=pk).first()
    if event is None:
        raise Http404("meeting not found")
    if write and not may_write_minutes(user, event):
        raise Http404("meeting not found")
    if not write and not _is_staff_for_meeting(user, event):
        minutes = getattr(event, "burden_minutes", None)
        if minutes is None or minutes.published_at is None:
            raise Http404("meeting not found")
    return event


def minutes_of(event: Event) -> MeetingMinutes | None:
    try:
        return event.burden_minutes
    except MeetingMinutes.DoesNotExist:
        return None


def published_minutes_for_guardian(user) -> QuerySet[MeetingMinutes]:
    """Published minutes of 双减 meetings whose audience holds one of the guardian's children (API)."""
    if not _authenticated(user):
        return MeetingMinutes.objects.none()
    return (
        MeetingMinutes.objects.filter(published_at__isnull=False, event__kind__in=MEETING_KINDS)
        .filter(event__in=events_access.events_visible_to(user).values("pk"))
        .select_related("event", "event__school")
        .order_by("-event__starts_at", "-pk")
    )


def get_published_minutes_for_guardian(user, pk) -> MeetingMinutes:
    minutes = published_minutes_for_guardian(user).filter(event_id=pk).first()
    if minutes is None:
        raise Http404("minutes not found")
    return minutes


def get_student_for_visit(user, pk) -> Student:
    """An enrolled student of a class whose visits the user records (head teacher of it, school admin)."""
    student = (
        Student.objects.filter(status=Student.Status.ENROLLED, school_class__in=classes_for_visits(user, write=True))
        .select_related("school", "school_class", "school_class__school", "school_class__grade")
        .filter(pk=pk)
        .first()
    )
    if student is None:
        raise Http404("student not found")
    return student
