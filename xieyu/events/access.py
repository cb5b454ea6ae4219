"""Who may see, manage and join which event. Missing and forbidden both answer 404.

- County admins manage every event of their county; school admins the events of their school.
- Head teachers and teachers see their school's events (and the county's); head teachers see attendance.
- A guardian sees published events whose audience holds one of their confirmed, enrolled children.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.directory import access as directory_access
from xieyu.directory.models import Guardian, Guardianship, Student

from .models import Attendance, Event, Feedback, Material, Registration


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _staff_units(user, roles) -> tuple[set[int], set[int]]:
    counties, schools = set(), set()
    if not _authenticated(user):
        return counties, schools
    for m in user.memberships:
        if m.role not in roles:
            continue
        if m.role == Role.COUNTY_ADMIN and m.county_id:
            counties.add(m.county_id)
        elif m.role in (Role.SCHOOL_ADMIN, Role.TEACHER) and m.school_id:
            schools.add(m.school_id)
        elif m.role == Role.HEAD_TEACHER and m.school_class_id:
            schools.add(m.school_class.school_id)
    return counties, schools


def _manage_q(user) -> Q:
    counties, schools = _staff_units(user, (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN))
    q = Q(pk__in=[])
    if counties:
        q |= Q(county__in=counties)
    if schools:
        q |= Q(school__in=schools)
    return q


def can_manage_any(user) -> bool:
    counties, schools = _staff_units(user, (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN))
    return bool(counties or schools)


def events_managed_by(user) -> QuerySet[Event]:
    return Event.objects.filter(_manage_q(user))


def _staff_view_q(user) -> Q:
    counties, schools = _staff_units(user, (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN, Role.HEAD_TEACHER, Role.TEACHER))
    q = _manage_q(user)
    if schools:
        q |= Q(school__in=schools)
        # county and community events of the county the school lies in
        q |= Q(school__isnull=True, county__schools__in=schools)
    if counties:
        q |= Q(county__in=counties)
    return q


def _audience_q(user, prefix: str = "") -> Q:
    """Events whose audience holds one of the user's confirmed, enrolled children (subqueries, no extra query)."""
    kids = directory_access.children_of(user).filter(status=Student.Status.ENROLLED)
    p = prefix
    return Q(**{f"{p}status": Event.Status.PUBLISHED}) & (
        Q(**{f"{p}audience": Event.Audience.CLASS, f"{p}audience_class__in": kids.values("school_class")})
        | Q(**{f"{p}audience": Event.Audience.GRADE, f"{p}audience_grade__in": kids.values("school_class__grade")})
        | Q(**{f"{p}audience": Event.Audience.SCHOOL, f"{p}school__in": kids.values("school")})
        | Q(
            **{
                f"{p}audience__in": [Event.Audience.COUNTY, Event.Audience.REGISTERED],
                f"{p}county__in": kids.values("school__county"),
            }
        )
    )


def events_visible_to(user) -> QuerySet[Event]:
    if not _authenticated(user):
        return Event.objects.none()
    visible = Event.objects.filter(_staff_view_q(user)).values("pk")
    offered = Event.objects.filter(_audience_q(user)).values("pk")
    return Event.objects.filter(Q(pk__in=visible) | Q(pk__in=offered))


def get_event_for(user, pk, *, write: bool = False) -> Event:
    qs = events_managed_by(user) if write else events_visible_to(user)
    event = qs.select_related("school", "county", "audience_class__grade", "audience_grade").filter(pk=pk).first()
    if event is None:
        raise Http404("event not found")
    return event


def can_manage(user, event: Event) -> bool:
    counties, schools = _staff_units(user, (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN))
    return event.county_id in counties or (event.school_id is not None and event.school_id in schools)


def can_see_attendance(user, event: Event) -> bool:
    """Managers, and head teachers of the organising school (they follow up their families)."""
    if can_manage(user, event):
        return True
    _counties, schools = _staff_units(user, (Role.HEAD_TEACHER,))
    return event.school_id is not None and event.school_id in schools


def guardian_of(user) -> Guardian | None:
    if not _authenticated(user):
        return None
    return Guardian.objects.filter(user=user).first()


def eligible_children(user, event: Event) -> list[Student]:
    """The user's confirmed, enrolled children that the event's audience holds (one query)."""
    kids = directory_access.children_of(user).filter(status=Student.Status.ENROLLED).select_related("school_class")
    a = event.audience
    if a == Event.Audience.CLASS:
        kids = kids.filter(school_class=event.audience_class_id)
    elif a == Event.Audience.GRADE:
        kids = kids.filter(school_class__grade=event.audience_grade_id)
    elif a == Event.Audience.SCHOOL:
        kids = kids.filter(school=event.school_id)
    else:
        kids = kids.filter(school__county=event.county_id)
    return list(kids.order_by("birth_date", "pk"))


def registrations_of_user(user, event: Event) -> list[Registration]:
    """Live registrations of the user's families for the event (the family's registration, whoever made it)."""
    if not _authenticated(user):
        return []
    return list(
        Registration.objects.filter(event=event, student__in=directory_access.children_of(user).values("pk"))
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("student", "guardian")
        .order_by("pk")
    )


def attendances_of_user(user, event: Event) -> list[Attendance]:
    if not _authenticated(user):
        return []
    return list(
        Attendance.objects.filter(event=event, student__in=directory_access.children_of(user).values("pk"))
        .select_related("student", "guardian")
        .order_by("pk")
    )


def feedback_of(guardian: Guardian | None, event: Event) -> Feedback | None:
    if guardian is None:
        return None
    return Feedback.objects.filter(event=event, guardian=guardian).first()


def with_counts(qs: QuerySet[Event]) -> QuerySet[Event]:
    """Registered, waitlisted and attended counts and the feedback average as subqueries (no per-row query)."""

    def count(model, **filters):
        sub = model.objects.filter(event=OuterRef("pk"), **filters).order_by().values("event").annotate(n=Count("pk"))
        return Coalesce(Subquery(sub.values("n")[:1]), 0)

    avg = Feedback.objects.filter(event=OuterRef("pk")).order_by().values("event").annotate(a=Avg("rating"))
    return qs.annotate(
        registered_count=count(Registration, status=Registration.Status.REGISTERED),
        waitlisted_count=count(Registration, status=Registration.Status.WAITLISTED),
        attended_count=count(Attendance),
        feedback_avg=Subquery(avg.values("a")[:1]),
    )


def upcoming_for_guardian(user) -> QuerySet[Event]:
    """Published events offered to the user's families that have not ended, soonest first, with my status."""
    now = timezone.now()
    mine = Registration.objects.filter(
        event=OuterRef("pk"), student__in=directory_access.children_of(user).values("pk")
    ).exclude(status=Registration.Status.CANCELLED)
    return (
        Event.objects.filter(_audience_q(user), ends_at__gte=now)
        .select_related("school", "county")
        .annotate(my_status=Subquery(mine.order_by("pk").values("status")[:1]))
        .order_by("starts_at", "pk")
    )


def my_registered_events(user) -> QuerySet[Event]:
    """Events a family of the user is registered for (or waitlisted), for the guardian's calendar."""
    mine = Registration.objects.filter(student__in=directory_access.children_of(user).values("pk")).exclude(
        status=Registration.Status.CANCELLED
    )
    return Event.objects.filter(pk__in=mine.values("event"), status=Event.Status.PUBLISHED).order_by("starts_at", "pk")


def school_calendar(user, school) -> QuerySet[Event]:
    """Events organised by a school the user may see, plus the county's events (not drafts for non-managers)."""
    qs = events_visible_to(user).filter(Q(school=school) | Q(school__isnull=True, county=school.county_id))
    if not directory_access.staff_school_test(user, overseen_only=True)(school):
        qs = qs.filter(status=Event.Status.PUBLISHED)
    return qs.select_related("school").order_by("starts_at", "pk")


def county_calendar(user, county_id: int) -> QuerySet[Event]:
    return events_visible_to(user).filter(county=county_id).select_related("school").order_by("starts_at", "pk")


def counties_overseen_by(user) -> set[int]:
    counties, _schools = _staff_units(user, (Role.COUNTY_ADMIN,))
    return counties


def attendance_rows(event: Event, *, show: str = "all") -> QuerySet[Registration]:
    """The registrations of an event (from get_event_for with attendance rights), with attendance if any."""
    came = Attendance.objects.filter(event=event, student=OuterRef("student"))
    qs = (
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("student__school_class__grade", "guardian")
        .annotate(
            attended=Exists(came),
            attended_at=Subquery(came.values("checked_in_at")[:1]),
            attended_by=Subquery(came.values("guardian__name")[:1]),
        )
        .order_by("status", "student__school_class_id", "student__student_number", "pk")
    )
    if show == "absent":
        qs = qs.filter(attended=False, status=Registration.Status.REGISTERED)
    elif show == "came":
        qs = qs.filter(attended=True)
    return qs


def walk_ins(event: Event) -> QuerySet[Attendance]:
    """Attendances of families that were not registered (checked in by the organiser)."""
    live = Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED)
    return (
        Attendance.objects.filter(event=event)
        .exclude(student__in=live.values("student"))
        .select_related("student__school_class__grade", "guardian")
    )


def get_registration_for_checkin(event: Event, pk) -> Registration:
    """A live registration of an event the caller manages (the event came from get_event_for(write=True))."""
    reg = (
        Registration.objects.filter(event=event, pk=pk)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("student", "guardian")
        .first()
    )
    if reg is None:
        raise Http404("registration not found")
    return reg


def export_rows(event: Event) -> QuerySet[Attendance]:
    return Attendance.objects.filter(event=event).select_related(
        "student__school_class__grade", "guardian", "student__school"
    )


def materials_of(event: Event) -> list[Material]:
    return list(Material.objects.filter(event=event).order_by("added_at", "pk"))


def get_material_file(event: Event, pk) -> Material:
    """An uploaded material of an event the caller may see (the event came from get_event_for)."""
    material = Material.objects.filter(event=event, pk=pk).exclude(file="").first()
    if material is None:
        raise Http404("material not found")
    return material


def guardianship_of(guardian: Guardian, student: Student) -> Guardianship | None:
    return Guardianship.objects.filter(guardian=guardian, student=student, status=Guardianship.Status.CONFIRMED).first()


def form_choices(user):
    """Schools, grades and classes the user may organise events for (lazy querysets for the event form)."""
    from xieyu.directory.models import Grade, SchoolClass

    schools = directory_access.schools_managed_by(user).order_by("name", "pk")
    grades = Grade.objects.filter(school__in=schools.values("pk")).select_related("school").order_by("school", "level")
    classes = (
        SchoolClass.objects.filter(school__in=schools.values("pk"))
        .select_related("school", "grade")
        .order_by("school", "grade__level", "name")
    )
    return schools, grades, classes


def is_county_admin(user) -> bool:
    return bool(counties_overseen_by(user))


def county_of(user) -> int | None:
    counties = counties_overseen_by(user)
    return min(counties) if counties else None


def county_region(county_id: int | None):
    from xieyu.directory.models import Region

    return Region.objects.filter(pk=county_id).first() if county_id else None
