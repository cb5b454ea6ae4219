"""Who may see, manage and join which event. Missing and forbidden both answer 404.

- County admins manage every event of their county; school admins the events of their school.
- Head teachers and teachers see their school's events (and the county's); head teachers see attendance.
- Community staff manage the events their community organises.
- Staff placed at an event (an instructor, a clinic's expert, a helper: `Staff`) see it.
- A guardian sees published events whose audience holds one of their confirmed, enrolled children (a town's events:
  a child at a school of that town).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory import access as directory_access
from xieyu.directory.models import Grade, Guardian, Guardianship, Region, SchoolClass, Student

from . import namesearch
from .models import Attendance, Event, Feedback, Material, Registration, Staff

SEARCH_LIMIT = 10
MAX_ID = 2**63 - 1


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _staff_units(user, roles) -> tuple[set[int], set[int]]:
    """The counties and schools these roles of the user reach (a head teacher's class reaches its school)."""
    scope = scope_of(user)
    return scope.counties(*roles), scope.schools(*roles)


def _manage_q(user) -> Q:
    counties, schools = _staff_units(user, (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN))
    q = Q(pk__in=[])
    if counties:
        q |= Q(county__in=counties)
    if schools:
        q |= Q(school__in=schools)
    if communities := scope_of(user).communities(Role.COMMUNITY_STAFF):
        q |= Q(organiser=Event.Organiser.COMMUNITY, community__in=communities)
    return q


def can_manage_any(user) -> bool:
    counties, schools = _staff_units(user, (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN))
    return bool(counties or schools or scope_of(user).communities(Role.COMMUNITY_STAFF))


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
    if communities := scope_of(user).communities(Role.COMMUNITY_STAFF):
        q |= Q(community__in=communities)  # what their community organises or takes part in
    return q


def _audience_q(user, prefix: str = "") -> Q:
    """Events whose audience holds one of the user's confirmed, enrolled children (subqueries, no extra query)."""
    kids = directory_access.children_of(user).filter(status=Student.Status.ENROLLED)
    p = prefix
    return Q(**{f"{p}status": Event.Status.PUBLISHED}) & (
        Q(**{f"{p}audience": Event.Audience.CLASS, f"{p}audience_class__in": kids.values("school_class")})
        | Q(**{f"{p}audience": Event.Audience.GRADE, f"{p}audience_grade__in": kids.values("school_class__grade")})
        | Q(**{f"{p}audience": Event.Audience.SCHOOL, f"{p}school__in": kids.values("school")})
        | Q(**{f"{p}audience": Event.Audience.TOWN, f"{p}audience_town__in": kids.values("school__town")})
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
    staffed = Staff.objects.filter(user=user).values("event")
    return Event.objects.filter(Q(pk__in=visible) | Q(pk__in=offered) | Q(pk__in=staffed))


def get_event_for(user, pk, *, write: bool = False) -> Event:
    qs = events_managed_by(user) if write else events_visible_to(user)
    event = (
        qs.select_related("school", "county", "community", "audience_class__grade", "audience_grade", "audience_town")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404("event not found")
    return event


def can_manage(user, event: Event) -> bool:
    counties, schools = _staff_units(user, (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN))
    if event.organiser == Event.Organiser.COMMUNITY and event.community_id in scope_of(user).communities(
        Role.COMMUNITY_STAFF
    ):
        return True
    return event.county_id in counties or (event.school_id is not None and event.school_id in schools)


def staff_of(event: Event) -> list[Staff]:
    """Who works at the event, with their names (one query)."""
    return list(Staff.objects.filter(event=event).select_related("user").order_by("role", "pk"))


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
    elif a == Event.Audience.TOWN:
        kids = kids.filter(school__town=event.audience_town_id)
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
            attended_companion=Subquery(came.values("companion")[:1]),
            attended_method=Subquery(came.values("method")[:1]),
        )
        .order_by("status", "student__school_class_id", "student__student_number", "pk")
    )
    if show == "absent":
        qs = qs.filter(attended=False, status=Registration.Status.REGISTERED)
    elif show == "came":
        qs = qs.filter(attended=True)
    return qs


def walk_ins(event: Event) -> QuerySet[Attendance]:
    """Attendances of families that were not registered (walk-ins at the door or from the paper sheet)."""
    live = Registration.objects.filter(event=event).exclude(status=Registration.Status.CANCELLED)
    return (
        Attendance.objects.filter(event=event)
        .exclude(student__in=live.values("student"))
        .select_related("student__school_class__grade", "guardian")
        .order_by("checked_in_at", "pk")
    )


def get_registration_for_checkin(event: Event, pk) -> Registration:
    """A live registration of an event the caller manages (the event came from get_event_for(write=True))."""
    n = parse_id(pk)
    if n is None:
        raise Http404("registration not found")
    reg = (
        Registration.objects.filter(event=event, pk=n)
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
    return Region.objects.filter(pk=county_id).first() if county_id else None


# --- walk-ins and the paper sheet: the families an organiser may check in ------------------------------------


def parse_id(value) -> int | None:
    """A form's id as a positive integer that fits the database, else None (the edge answers 404)."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    n = int(text)
    return n if 0 < n <= MAX_ID else None


def audience_unit(event: Event) -> tuple[str, int | None]:
    """The one rule of which families an event is for: a student field and the unit it must equal."""
    a = event.audience
    if a == Event.Audience.CLASS:
        return "school_class", event.audience_class_id
    if a == Event.Audience.GRADE:
        return "school_class__grade", event.audience_grade_id
    if a == Event.Audience.SCHOOL:
        return "school", event.school_id
    if a == Event.Audience.TOWN:
        return "school__town", event.audience_town_id
    return "school__county", event.county_id  # the whole county, and "any registered family" of it


def audience_students_q(event: Event, prefix: str = "") -> Q:
    field, unit = audience_unit(event)
    return Q(**{f"{prefix}{field}": unit})


def audience_holds(event: Event, student: Student) -> bool:
    """Whether the event's audience holds this (enrolled) student's family, read from the loaded objects."""
    field, unit = audience_unit(event)
    sc = student.school_class
    value = {
        "school_class": student.school_class_id,
        "school_class__grade": sc.grade_id if sc is not None else None,
        "school": student.school_id,
        "school__town": student.school.town_id,
        "school__county": student.school.county_id,
    }[field]
    return student.status == Student.Status.ENROLLED and value is not None and value == unit


def audience_label(event: Event) -> str:
    """Whose families the event is for, in words: a class, a grade, a school or the county."""
    a = event.audience
    school = event.school.name if event.school_id and event.school else ""
    if a == Event.Audience.CLASS and event.audience_class is not None:
        return f"{school}{event.audience_class}"
    if a == Event.Audience.GRADE and event.audience_grade is not None:
        return f"{school}{event.audience_grade.name}"
    if a == Event.Audience.SCHOOL:
        return school
    if a == Event.Audience.TOWN and event.audience_town is not None:
        return str(_("the schools of %(town)s")) % {"town": event.audience_town.name}
    return event.county.name


def _checkin_candidates(user, event: Event) -> QuerySet[Student]:
    """Enrolled students in the event's audience that the organiser's roles reach (the event came from
    get_event_for(write=True))."""
    return directory_access.students_managed_by(user).filter(audience_students_q(event), status=Student.Status.ENROLLED)


def _confirmed_guardians() -> Prefetch:
    return Prefetch(
        "guardianships",
        queryset=Guardianship.objects.filter(status=Guardianship.Status.CONFIRMED)
        .select_related("guardian")
        .order_by("-is_primary_carer", "pk"),
        to_attr="guardians_confirmed",
    )


@dataclass
class FamilySearch:
    query: namesearch.Query
    shown: str  # what the organiser typed, bounded, for the search box
    results: list[Student]
    more: bool  # more families matched than are shown


def family_search(user, event: Event, raw, *, limit: int = SEARCH_LIMIT) -> FamilySearch:
    """Families an organiser may check in, found by the child's name (汉字, 拼音 in full or initials) or the last
    digits of a confirmed guardian's phone: at most `limit`, best first, each with its confirmed guardians
    (`guardians_confirmed`), `registered` (a live registration) and `attended`. Three queries whatever the size
    of the audience; a 拼音 query reads the audience's names (one column) and matches them in memory."""
    raw_text = str(raw or "")
    query = namesearch.parse_query(raw_text)
    shown = raw_text.strip()[: namesearch.MAX_QUERY]
    if not query.searchable:
        return FamilySearch(query, shown, [], False)
    candidates = _checkin_candidates(user, event)
    if query.kind == "pinyin":
        ranked = []
        for pk, name in candidates.values_list("pk", "name").iterator(chunk_size=2000):
            at = namesearch.pinyin_position(query.text, name)
            if at is not None:
                ranked.append((at, len(name), name, pk))
        ranked.sort()
        ids = [pk for *_, pk in ranked[: limit + 1]]
    else:
        if query.kind == "hanzi":
            candidates = candidates.filter(name__contains=query.text)
        else:  # the last digits of a confirmed guardian's phone
            candidates = candidates.filter(
                Exists(
                    Guardianship.objects.filter(
                        student=OuterRef("pk"),
                        status=Guardianship.Status.CONFIRMED,
                        guardian__phone__endswith=query.text,
                    )
                )
            )
        ids = list(candidates.order_by("name", "pk").values_list("pk", flat=True)[: limit + 1])
    more, ids = len(ids) > limit, ids[:limit]
    live = Registration.objects.filter(event=event, student=OuterRef("pk")).exclude(
        status=Registration.Status.CANCELLED
    )
    found = {
        s.pk: s
        for s in Student.objects.filter(pk__in=ids)
        .select_related("school", "school_class__grade")
        .annotate(
            registered=Exists(live), attended=Exists(Attendance.objects.filter(event=event, student=OuterRef("pk")))
        )
        .prefetch_related(_confirmed_guardians())
    }
    return FamilySearch(query, shown, [found[pk] for pk in ids if pk in found], more)


def get_student_for_checkin(user, event: Event, pk) -> Student:
    """A student the organiser's roles reach, with school, class and confirmed guardians, to check in at the event
    (404 alike for missing and out of reach; whether the event's audience holds the family is the service's rule).
    """
    return get_students_for_checkin(user, event, [pk])[0]


def get_students_for_checkin(user, event: Event, pks) -> list[Student]:
    """The students of these ids, in order; 404 if any is malformed, missing or out of the organiser's reach."""
    ids = [parse_id(pk) for pk in pks]
    if not ids or None in ids:
        raise Http404("student not found")
    found = {
        s.pk: s
        for s in directory_access.students_managed_by(user)
        .filter(pk__in=ids)
        .select_related("school", "school_class__grade")
        .prefetch_related(_confirmed_guardians())
    }
    if any(pk not in found for pk in ids):
        raise Http404("student not found")
    return [found[pk] for pk in ids if pk is not None]


OTHER_FAMILY_MEMBER = "other"


def guardian_choice(student: Student, value) -> Guardian | None:
    """Who came, as the check-in form says: one of the student's confirmed guardians (prefetched by
    get_student_for_checkin), or OTHER_FAMILY_MEMBER for a family member not on the roster (None). 404 otherwise."""
    if str(value or "") == OTHER_FAMILY_MEMBER:
        return None
    pk = parse_id(value)
    for g in getattr(student, "guardians_confirmed", []):
        if g.guardian_id == pk:
            return g.guardian
    raise Http404("guardian not found")


def paper_rows(event: Event) -> QuerySet[Registration]:
    """Live registrations of families not checked in yet, with each child's confirmed guardians, for ticking the
    paper sheet's names (two queries a page)."""
    came = Attendance.objects.filter(event=event, student=OuterRef("student"))
    return (
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .exclude(Exists(came))
        .select_related("student__school_class__grade", "guardian")
        .prefetch_related(
            Prefetch(
                "student__guardianships",
                queryset=Guardianship.objects.filter(status=Guardianship.Status.CONFIRMED)
                .select_related("guardian")
                .order_by("-is_primary_carer", "pk"),
                to_attr="guardians_confirmed",
            )
        )
        .order_by("status", "student__school_class_id", "student__student_number", "pk")
    )


def sheet_rows(event: Event) -> QuerySet[Registration]:
    """The families on the printable sign-in sheet: live registrations, registered before waitlisted."""
    return (
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("student__school_class__grade", "guardian")
        .order_by("status", "student__school_class_id", "student__student_number", "pk")
    )


# --- the home page ------------------------------------------------------------------------------------------


def upcoming_registrations_of(user, limit: int) -> list[Registration]:
    """The live registrations of the user's families for published events that have not ended, soonest first:
    one query, at most `limit` rows, each with its event and child."""
    if not _authenticated(user):
        return []
    return list(
        Registration.objects.filter(
            student__in=directory_access.children_of(user).values("pk"),
            event__status=Event.Status.PUBLISHED,
            event__ends_at__gte=timezone.now(),
        )
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event", "student")
        .order_by("event__starts_at", "pk")[:limit]
    )


def school_upcoming_for_staff(user, limit: int) -> list[Event]:
    """Published events of the schools the user works in (and their county's) that have not ended, soonest first:
    one query, at most `limit` rows."""
    if not _authenticated(user):
        return []
    return list(
        Event.objects.filter(_staff_view_q(user), status=Event.Status.PUBLISHED, ends_at__gte=timezone.now())
        .select_related("school")
        .distinct()
        .order_by("starts_at", "pk")[:limit]
    )
