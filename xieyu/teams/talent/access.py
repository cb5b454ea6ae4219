"""Who may see which talent profile and invitation. Missing and forbidden both answer 404.

- A guardian sees and edits her own profiles, and the invitations made to her.
- A school admin searches her school's pool: only profiles with live consent, of guardians with a confirmed, enrolled
  child at the school. A profile without consent never reaches the school — not by search, not by id, not by API.
- A county admin sees how many consenting parents each school's pool holds: counts only, no names.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xieyu.directory import access as directory_access
from xieyu.directory.models import Guardian, Guardianship, School, Student
from xieyu.events.access import events_managed_by
from xieyu.events.models import Event

from ..access import coordinated_counties, coordinated_schools
from ..models import Skill, Team
from .models import TalentInvitation, TalentProfile, TalentSlot


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def guardian_of(user) -> Guardian | None:
    if not _authenticated(user):
        return None
    return Guardian.objects.filter(user=user).first()


def schools_of_children(user) -> QuerySet[School]:
    """The schools of the user's confirmed, enrolled children: where she may offer her talents."""
    kids = directory_access.children_of(user).filter(status=Student.Status.ENROLLED)
    return School.objects.filter(pk__in=kids.values("school")).order_by("name", "pk")


def skills_for(school: School) -> QuerySet[Skill]:
    return Skill.objects.filter(county=school.county_id).order_by("order", "pk")


def county_skills(county_id: int) -> QuerySet[Skill]:
    return Skill.objects.filter(county=county_id).order_by("order", "pk")


def _with_details(qs: QuerySet[TalentProfile]) -> QuerySet[TalentProfile]:
    return qs.select_related("guardian", "school").prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("order", "pk")),
        Prefetch("slots", queryset=TalentSlot.objects.order_by("weekday", "part")),
    )


def profiles_of(user) -> QuerySet[TalentProfile]:
    """The user's own profiles (any consent state), for her own page."""
    if not _authenticated(user):
        return TalentProfile.objects.none()
    return _with_details(TalentProfile.objects.filter(guardian__user=user)).order_by("school__name", "pk")


def get_own_profile(user, pk) -> TalentProfile:
    profile = profiles_of(user).filter(pk=pk).first()
    if profile is None:
        raise Http404("talent profile not found")
    return profile


def _child_enrolled_here() -> Exists:
    return Exists(
        Guardianship.objects.filter(
            guardian=OuterRef("guardian"),
            status=Guardianship.Status.CONFIRMED,
            student__school=OuterRef("school"),
            student__status=Student.Status.ENROLLED,
        )
    )


def live_consent_q() -> Q:
    return Q(consent_at__isnull=False)


def searchable_by(user) -> QuerySet[TalentProfile]:
    """The pool of the schools the user runs: live consent, a child enrolled at the school (no names for anyone
    else; county admins get counts from pool_counts)."""
    if not _authenticated(user):
        return TalentProfile.objects.none()
    schools = coordinated_schools(user)
    if not schools:
        return TalentProfile.objects.none()
    return TalentProfile.objects.filter(live_consent_q(), _child_enrolled_here(), school__in=schools)


def search(user, *, skill: Skill | None = None, weekday: int | None = None, part: str = "") -> QuerySet[TalentProfile]:
    qs = searchable_by(user)
    if skill is not None:
        qs = qs.filter(skills=skill)
    if weekday is not None or part:
        slot = TalentSlot.objects.filter(profile=OuterRef("pk"))
        if weekday is not None:
            slot = slot.filter(weekday=weekday)
        if part:
            slot = slot.filter(part=part)
        qs = qs.filter(Exists(slot))
    return _with_details(qs).order_by("guardian__name", "pk")


def get_profile_for(user, pk) -> TalentProfile:
    """A profile of the user's school's pool (live consent only): 404 alike for missing, withdrawn and not hers."""
    profile = _with_details(searchable_by(user)).filter(pk=pk).first()
    if profile is None:
        raise Http404("talent profile not found")
    return profile


def searches_pool(user) -> bool:
    return bool(coordinated_schools(user))


def sees_counts(user) -> bool:
    return bool(coordinated_counties(user))


def pool_count_rows(user) -> QuerySet:
    """(school id, name, consenting parents) for the county admin: counts only."""
    counties = coordinated_counties(user)
    if not counties:
        return TalentProfile.objects.none().values("school")
    return (
        TalentProfile.objects.filter(live_consent_q(), school__county__in=counties)
        .filter(_child_enrolled_here())
        .values("school", "school__name")
        .annotate(n=Count("pk"))
        .order_by("school__name", "school")
    )


# --- invitations ----------------------------------------------------------------------------------------------------


def _invitation_details(qs: QuerySet[TalentInvitation]) -> QuerySet[TalentInvitation]:
    return qs.select_related("profile__guardian", "profile__school", "event", "team")


def invitations_of(user) -> QuerySet[TalentInvitation]:
    """Invitations made to the user (a guardian): the pool's own, still under consent."""
    if not _authenticated(user):
        return TalentInvitation.objects.none()
    return _invitation_details(TalentInvitation.objects.filter(profile__guardian__user=user)).order_by(
        "-invited_at", "pk"
    )


def get_own_invitation(user, pk) -> TalentInvitation:
    invitation = invitations_of(user).filter(pk=pk).first()
    if invitation is None:
        raise Http404("talent invitation not found")
    return invitation


def invitations_sent_by(user) -> QuerySet[TalentInvitation]:
    """Invitations of the pools of the schools the user runs (profiles still under consent)."""
    schools = coordinated_schools(user)
    if not schools:
        return TalentInvitation.objects.none()
    return _invitation_details(
        TalentInvitation.objects.filter(profile__school__in=schools, profile__consent_at__isnull=False)
    ).order_by("-invited_at", "pk")


def get_sent_invitation_for(user, pk) -> TalentInvitation:
    invitation = invitations_sent_by(user).filter(pk=pk).first()
    if invitation is None:
        raise Http404("talent invitation not found")
    return invitation


def sessions_for_invitation(user, school: School):
    """The school's published, coming after-school service sessions (the events the school organises)."""
    return (
        events_managed_by(user)
        .filter(
            school=school, kind=Event.Kind.AFTER_SCHOOL_SESSION, status=Event.Status.PUBLISHED,
            starts_at__gte=timezone.now(),
        )
        .order_by("starts_at", "pk")
    )  # fmt: skip


def parent_team_of(school: School) -> Team | None:
    return Team.objects.filter(county=school.county_id, school__isnull=True, kind=Team.Kind.PARENT).first()


def skills_for_any(schools: QuerySet[School]) -> QuerySet[Skill]:
    """The skill lists of the counties these schools lie in."""
    return Skill.objects.filter(county__in=schools.values("county")).order_by("order", "pk")


def own_schools(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=coordinated_schools(user)).order_by("name", "pk")
