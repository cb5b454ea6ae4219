"""Who may see and change a committee's members, charter, meetings and action items (built on committees/access.py).

- Everyone who sees the committee (the unit's guardians, the staff of the unit) sees its current members, its
  charter in force and the minutes it has published.
- Its members and the staff also see the meetings still planned or held, the charter's drafts and the diff.
- The writers — the committee's chair, vice chair and secretary, and the school's admin (or the county's) — create
  meetings, record attendance, minutes, resolutions and action items, draft and adopt charter versions.
- Members and terms are managed by the school's admin or the county's only.
Missing and forbidden answer 404 alike.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import Guardian, Guardianship, School, Student
from xieyu.events.models import Attendance, Registration

from ..access import committees_managed_by, committees_visible_to, guardian_units, seats_of, staff_q, unit_q
from .models import ActionItem, Charter, CharterVersion, Committee, Meeting, Member, Resolution

WRITER_ROLES = (Member.Role.CHAIR, Member.Role.VICE_CHAIR, Member.Role.SECRETARY)
ROLE_ORDER: dict[str, int] = {
    Member.Role.CHAIR: 0,
    Member.Role.VICE_CHAIR: 1,
    Member.Role.SECRETARY: 2,
    Member.Role.MEMBER: 3,
}


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- who the user is to a committee ---------------------------------------------------------------------------------


def open_seats(user) -> list[Member]:
    """The user's open seats on committees of units she still belongs to (cached on the user for the request)."""
    if not _authenticated(user):
        return []
    cached = getattr(user, "_committee_seats", None)
    if cached is None:
        cached = list(seats_of(user))
        user._committee_seats = cached
    return cached


def seat_on(user, committee: Committee) -> Member | None:
    return next((s for s in open_seats(user) if s.committee_id == committee.pk), None)


def manages(user, committee: Committee) -> bool:
    """The school's admin or the county's (members and terms; everything a writer may do too)."""
    scope = scope_of(user)
    return committee.county_id in scope.counties(Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN) or (
        committee.school_id in scope.whole_schools(Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN)
    )


def is_staff_of(user, committee: Committee) -> bool:
    """The staff the committee's unit has: what staff_q reaches, decided from the loaded scope (no query)."""
    if not _authenticated(user):
        return False
    scope = scope_of(user)
    if manages(user, committee):
        return True
    if committee.school_class_id is not None and committee.school_class_id in scope.classes(Role.HEAD_TEACHER):
        return True
    return committee.level == Committee.Level.SCHOOL and committee.school_id in scope.schools(Role.HEAD_TEACHER)


def writes(user, committee: Committee) -> bool:
    """Chair, vice chair, secretary, or the school's (county's) admin."""
    seat = seat_on(user, committee)
    return (seat is not None and seat.role in WRITER_ROLES) or manages(user, committee)


def insider(user, committee: Committee) -> bool:
    """A member or staff of the unit: sees planned meetings, drafts, attendance."""
    return seat_on(user, committee) is not None or manages(user, committee) or is_staff_of(user, committee)


def committees_writable_by(user) -> QuerySet[Committee]:
    ids = [s.committee_id for s in open_seats(user) if s.role in WRITER_ROLES]
    return Committee.objects.filter(Q(pk__in=ids) | Q(pk__in=committees_managed_by(user).values("pk")))


def get_committee_to_write(user, pk) -> Committee:
    committee = committees_visible_to(user).filter(pk=pk).select_related("school", "grade", "school_class").first()
    if committee is None or not writes(user, committee):
        raise Http404("committee not found")
    return committee


def get_committee_for_page(user, pk) -> Committee:
    committee = committees_visible_to(user).filter(pk=pk).select_related("school", "grade", "school_class").first()
    if committee is None:
        raise Http404("committee not found")
    return committee


def school_to_create_in(user) -> School | None:
    """The one school a school admin creates committees in (None for anyone else, or an admin of several)."""
    schools = scope_of(user).whole_schools(Role.SCHOOL_ADMIN) if _authenticated(user) else set()
    if len(schools) != 1:
        return None
    return School.objects.filter(pk__in=schools).select_related("county").first()


def sees_committee_list(user) -> bool:
    """Staff who reach committees: county and school admins, head teachers."""
    if not _authenticated(user):
        return False
    return scope_of(user).has(Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN, Role.HEAD_TEACHER)


# --- lists ----------------------------------------------------------------------------------------------------------


def staff_committees(user) -> QuerySet[Committee]:
    """Committees of the user's staff units, school first, then grades, then classes."""
    if not _authenticated(user):
        return Committee.objects.none()
    return (
        Committee.objects.filter(staff_q(user))
        .select_related("school", "grade", "school_class__grade")
        .order_by("school__name", "level", "grade__level", "school_class__name", "pk")
    )


def guardian_committees(user) -> QuerySet[Committee]:
    """Committees of the guardian's children's school, grades and classes, with their open members."""
    units = guardian_units(user)
    if not units:
        return Committee.objects.none()
    return (
        Committee.objects.filter(unit_q(units))
        .select_related("school", "grade", "school_class__grade")
        .prefetch_related(Prefetch("members", queryset=current_members_qs(), to_attr="current_members"))
        .order_by("school__name", "level", "pk")
    )


def current_members_qs() -> QuerySet[Member]:
    today = timezone.localdate()
    return (
        Member.objects.filter(ended_at__isnull=True, term_end__gte=today)
        .select_related("guardian")
        .order_by("role", "term_start", "pk")
    )


def current_members(committee: Committee) -> list[Member]:
    rows = list(current_members_qs().filter(committee=committee))
    rows.sort(key=lambda m: (ROLE_ORDER.get(m.role, 9), m.term_start, m.pk))
    return rows


def member_history(committee: Committee) -> QuerySet[Member]:
    """Seats that ended or whose term ran out (for the managers and the members)."""
    today = timezone.localdate()
    return (
        Member.objects.filter(committee=committee)
        .filter(Q(ended_at__isnull=False) | Q(term_end__lt=today))
        .select_related("guardian")
        .order_by("-term_end", "-pk")
    )


def get_member_for(user, pk, *, write: bool = False) -> Member:
    """A seat, for the committee's managers (write) or anyone who sees the committee."""
    qs = committees_managed_by(user) if write else committees_visible_to(user)
    member = Member.objects.filter(pk=pk, committee__in=qs.values("pk")).select_related("committee", "guardian").first()
    if member is None:
        raise Http404("member not found")
    return member


def unit_guardian_by_phone(phone: str) -> Guardian | None:
    """The guardian with this mobile number (the services refuse her if she is not of the committee's unit)."""
    phone = (phone or "").strip()
    if not phone:
        return None
    return Guardian.objects.filter(phone=phone).first()


def belongs_to_unit(guardian: Guardian, committee: Committee) -> bool:
    return unit_students(guardian, committee).exists()


def unit_students(guardian: Guardian, committee: Committee) -> QuerySet[Student]:
    """The guardian's confirmed, enrolled children in the committee's unit."""
    qs = Student.objects.filter(
        guardianships__guardian=guardian,
        guardianships__status=Guardianship.Status.CONFIRMED,
        status=Student.Status.ENROLLED,
    )
    if committee.level == Committee.Level.SCHOOL:
        return qs.filter(school=committee.school_id)
    if committee.level == Committee.Level.GRADE:
        return qs.filter(school_class__grade=committee.grade_id)
    return qs.filter(school_class=committee.school_class_id)


# --- charter --------------------------------------------------------------------------------------------------------


def charter_of(committee: Committee) -> Charter | None:
    return Charter.objects.filter(committee=committee).first()


def current_version(committee: Committee) -> CharterVersion | None:
    return (
        CharterVersion.objects.filter(charter__committee=committee, status=CharterVersion.Status.ADOPTED)
        .select_related("resolution__meeting")
        .first()
    )


def current_versions_of(committee_ids) -> dict[int, CharterVersion]:
    rows = CharterVersion.objects.filter(
        charter__committee__in=list(committee_ids), status=CharterVersion.Status.ADOPTED
    ).select_related("charter", "resolution__meeting")
    return {v.charter.committee_id: v for v in rows}


def versions_for(user, committee: Committee) -> QuerySet[CharterVersion]:
    """Insiders see every version; others the adopted and superseded ones (what was in force)."""
    qs = CharterVersion.objects.filter(charter__committee=committee).select_related("resolution__meeting")
    if not insider(user, committee):
        qs = qs.exclude(status=CharterVersion.Status.DRAFT)
    return qs.order_by("-number")


def get_version_for(user, pk, *, write: bool = False) -> CharterVersion:
    version = (
        CharterVersion.objects.filter(pk=pk, charter__committee__in=committees_visible_to(user).values("pk"))
        .select_related("charter__committee__school", "resolution__meeting")
        .first()
    )
    if version is None:
        raise Http404("version not found")
    committee = version.charter.committee
    if write and not writes(user, committee):
        raise Http404("version not found")
    if version.status == CharterVersion.Status.DRAFT and not insider(user, committee):
        raise Http404("version not found")
    return version


def adoptable_resolutions(committee: Committee) -> QuerySet[Resolution]:
    """Passed resolutions of the committee's held meetings not yet used to adopt a version."""
    return (
        Resolution.objects.filter(
            meeting__committee=committee,
            passed=True,
            meeting__starts_at__lte=timezone.now(),
            adopted_charters__isnull=True,
        )
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "number")
    )


# --- meetings -------------------------------------------------------------------------------------------------------


def meetings_for(user, committee: Committee) -> QuerySet[Meeting]:
    """Insiders see every meeting; the unit's guardians the ones whose minutes are published."""
    qs = Meeting.objects.filter(committee=committee)
    if not insider(user, committee):
        qs = qs.filter(status=Meeting.Status.PUBLISHED)
    return qs.order_by("-starts_at", "-pk")


def published_minutes_of(committee_ids) -> QuerySet[Meeting]:
    return Meeting.objects.filter(committee__in=list(committee_ids), status=Meeting.Status.PUBLISHED).order_by(
        "-starts_at", "-pk"
    )


def get_meeting_for(user, pk, *, write: bool = False) -> Meeting:
    meeting = (
        Meeting.objects.filter(pk=pk, committee__in=committees_visible_to(user).values("pk"))
        .select_related("committee__school", "committee__grade", "committee__school_class", "event")
        .first()
    )
    if meeting is None:
        raise Http404("meeting not found")
    committee = meeting.committee
    if write and not writes(user, committee):
        raise Http404("meeting not found")
    if meeting.status != Meeting.Status.PUBLISHED and not insider(user, committee):
        raise Http404("meeting not found")
    return meeting


def resolutions_of(meeting: Meeting) -> list[Resolution]:
    return list(meeting.resolutions.order_by("number"))


def action_items_of(meeting: Meeting) -> list[ActionItem]:
    return list(meeting.action_items.order_by("due_on", "pk"))


def next_meeting(committee: Committee) -> Meeting | None:
    return (
        Meeting.objects.filter(committee=committee, starts_at__gte=timezone.now(), status=Meeting.Status.PLANNED)
        .order_by("starts_at", "pk")
        .first()
    )


def open_actions_of(committee: Committee, limit: int = 20) -> list[ActionItem]:
    return list(
        ActionItem.objects.filter(meeting__committee=committee, done_at__isnull=True)
        .select_related("meeting")
        .order_by("due_on", "pk")[:limit]
    )


def attendance_of(meeting: Meeting) -> list[dict]:
    """The committee's members at the meeting, each with the family's RSVP and attendance on the event."""
    members = current_members(meeting.committee)
    if meeting.event_id is None:
        return [{"member": m, "rsvp": None, "came": False} for m in members]
    guardian_ids = [m.guardian_id for m in members]
    regs = dict(
        Registration.objects.filter(event=meeting.event_id, guardian__in=guardian_ids)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("guardian_id", "status")
    )
    came = set(
        Attendance.objects.filter(event=meeting.event_id, guardian__in=guardian_ids).values_list(
            "guardian_id", flat=True
        )
    )
    return [{"member": m, "rsvp": regs.get(m.guardian_id), "came": m.guardian_id in came} for m in members]


def get_action_for(user, pk) -> ActionItem:
    """An action item, for the committee's writers or its owner."""
    item = (
        ActionItem.objects.filter(pk=pk, meeting__committee__in=committees_visible_to(user).values("pk"))
        .select_related("meeting__committee")
        .first()
    )
    if item is None or not (item.owner_user_id == user.pk or writes(user, item.meeting.committee)):
        raise Http404("action not found")
    return item


def actions_due_to(user, limit: int) -> list[ActionItem]:
    if not _authenticated(user):
        return []
    return list(
        ActionItem.objects.filter(owner_user=user, done_at__isnull=True)
        .select_related("meeting__committee")
        .order_by("due_on", "pk")[:limit]
    )


def next_meetings_for_member(user, limit: int) -> list[Meeting]:
    ids = [s.committee_id for s in open_seats(user)]
    if not ids:
        return []
    return list(
        Meeting.objects.filter(committee__in=ids, starts_at__gte=timezone.now(), status=Meeting.Status.PLANNED)
        .select_related("committee")
        .order_by("starts_at", "pk")[:limit]
    )
