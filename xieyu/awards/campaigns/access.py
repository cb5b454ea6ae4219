"""Who may see and run which selection campaign.

Everyone of the county — its staff and the guardians of its schools' confirmed children — sees the county's open
campaigns, their 公示 list and their result; only the county admin sees a draft and runs the campaign. A school
admin reviews the nominations of their school; the campaign's experts (or, none assigned, every expert of the
county) score the recommended ones. A nomination's details are for the county, the reviewing school's admin,
the experts once recommended, and who nominated. Missing and forbidden both answer 404.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xieyu.accounts.models import Membership, Role, User
from xieyu.accounts.scope import scope_of
from xieyu.committees.bodies.access import current_members_qs
from xieyu.core.viewhelpers import parse_id
from xieyu.directory import access as directory_access
from xieyu.directory.models import Community, Guardian, Guardianship, Region, School, Student
from xieyu.surveys.evaluation import access as evaluation_access

from .models import Campaign, ExpertScore, Nomination, NominationMaterial, Objection

Phase = Campaign.Phase
Status = Nomination.Status
PUBLIC_PHASES = [Phase.NOMINATION, Phase.SCHOOL_REVIEW, Phase.COUNTY_REVIEW, Phase.VOTE, Phase.PUBLICITY,
                 Phase.RESULT, Phase.CANCELLED]  # fmt: skip
ON_LIST = [Status.SHORTLISTED, Status.SELECTED, Status.NOT_SELECTED]


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- who holds what -------------------------------------------------------------------------------------------


def admin_counties(user) -> set[int]:
    return scope_of(user).counties(Role.COUNTY_ADMIN) if _authenticated(user) else set()


def schools_of(user, role: Role) -> set[int]:
    return scope_of(user).whole_schools(role) if _authenticated(user) else set()


def community_counties(user) -> set[int]:
    return scope_of(user).reach_counties(Role.COMMUNITY_STAFF) if _authenticated(user) else set()


def committee_schools(user) -> set[int]:
    """The schools whose parent committee (school, grade or class) the user sits on now."""
    if not _authenticated(user):
        return set()
    return set(current_members_qs().filter(guardian__user=user).values_list("committee__school_id", flat=True))


def family_counties(user) -> set[int]:
    if not _authenticated(user):
        return set()
    return set(directory_access.children_of(user).values_list("school__county_id", flat=True))


def user_counties(user) -> set[int]:
    """The counties the user belongs to: as staff of any role, or as a guardian of a child at one of its schools."""
    if not _authenticated(user):
        return set()
    return scope_of(user).reach_counties(*Role) | family_counties(user)


def county_experts(county_id: int) -> QuerySet[User]:
    ids = Membership.objects.filter(role=Role.EXPERT, is_active=True, county_id=county_id).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("name", "pk")


def is_campaign_expert(user, campaign: Campaign) -> bool:
    if not _authenticated(user) or campaign.county_id not in scope_of(user).counties(Role.EXPERT):
        return False
    assigned = list(campaign.experts.values_list("pk", flat=True))
    return not assigned or user.pk in assigned


def is_county_admin(user, campaign: Campaign) -> bool:
    return campaign.county_id in admin_counties(user)


# --- the nominee's place ----------------------------------------------------------------------------------------


def is_confirmed_child(student: Student) -> bool:
    return (student.status == Student.Status.ENROLLED
            and student.guardianships.filter(status=Guardianship.Status.CONFIRMED).exists())  # fmt: skip


def _scope_schools(campaign: Campaign) -> QuerySet[School]:
    qs = School.objects.filter(county=campaign.county_id)
    if campaign.school_kinds:
        qs = qs.filter(kind__in=campaign.school_kinds)
    return qs


def school_of_guardian(guardian: Guardian, campaign: Campaign) -> School | None:
    """The school (in the campaign's scope) of the guardian's first confirmed child there."""
    g = (Guardianship.objects.filter(guardian=guardian, status=Guardianship.Status.CONFIRMED,
                                     student__status=Student.Status.ENROLLED,
                                     student__school__in=_scope_schools(campaign))
         .select_related("student__school").order_by("pk").first())  # fmt: skip
    return g.student.school if g else None


def school_of_person(user, campaign: Campaign) -> School | None:
    m = (Membership.objects.filter(user=user, is_active=True, school__in=_scope_schools(campaign))
         .select_related("school").order_by("pk").first())  # fmt: skip
    if m is not None:
        return m.school
    m = (Membership.objects.filter(user=user, is_active=True, school_class__school__in=_scope_schools(campaign))
         .select_related("school_class__school").order_by("pk").first())  # fmt: skip
    return m.school_class.school if m is not None and m.school_class is not None else None


def person_in_county(user, campaign: Campaign) -> bool:
    return Membership.objects.filter(user=user, is_active=True, county_id=campaign.county_id).exists()


def is_own_child(user, student: Student) -> bool:
    return directory_access.children_of(user).filter(pk=student.pk).exists()


def scope_text(campaign: Campaign) -> str:
    kinds = [str(School.Kind(k).label) for k in campaign.school_kinds if k in School.Kind.values]
    county = campaign.county.name
    if kinds:
        return _("%(county)s, schools: %(kinds)s") % {"county": county, "kinds": "、".join(kinds)}
    return county


def nominee_lookup(campaign: Campaign, pk):
    """The object a nomination form names (scope is the service's to check: outside the county is refused there)."""
    pk = parse_id(pk)
    if pk is None:
        return None
    if campaign.nominee == Campaign.Nominee.FAMILY:
        return Student.objects.select_related("school").filter(pk=pk).first()
    if campaign.nominee == Campaign.Nominee.GUARDIAN:
        return Guardian.objects.filter(pk=pk).first()
    if campaign.nominee == Campaign.Nominee.PERSON:
        return User.objects.filter(pk=pk).first()
    return None


def unit_lookup(campaign: Campaign, kind: str, pk):
    pk = parse_id(pk)
    if pk is None:
        return None
    model = School if kind == "school" else Community
    return model.objects.filter(pk=pk).first()


def nominee_choices(user, campaign: Campaign) -> list[tuple[int, str]]:
    """Whom the user could nominate (a hint in the form; the service checks again)."""
    kind = campaign.nominee
    schools = schools_of(user, Role.SCHOOL_ADMIN) | committee_schools(user)
    if kind == Campaign.Nominee.FAMILY:
        own = directory_access.children_of(user)
        staff = Student.objects.filter(school__in=schools, guardianships__status=Guardianship.Status.CONFIRMED)
        ids = set(own.values_list("pk", flat=True)) | set(staff.values_list("pk", flat=True)[:300])
        rows = Student.objects.filter(pk__in=ids).select_related("school_class__grade").order_by("school_class", "name")
        return [(s.pk, f"{s.name}家庭") for s in rows[:300]]
    if kind == Campaign.Nominee.GUARDIAN:
        qs = Guardian.objects.filter(Q(user=user) | Q(guardianships__student__school__in=schools,
                                                        guardianships__status=Guardianship.Status.CONFIRMED))  # fmt: skip
        return [(g.pk, g.name) for g in qs.distinct().order_by("name", "pk")[:300]]
    if kind == Campaign.Nominee.PERSON:
        members = Membership.objects.filter(Q(school__in=schools) | Q(user=user), is_active=True).values("user_id")
        return [(u.pk, u.name) for u in User.objects.filter(pk__in=members).order_by("name", "pk")[:300]]
    return []


def unit_choices(campaign: Campaign) -> tuple[list[School], list[Community]]:
    return (list(_scope_schools(campaign).order_by("name", "pk")),
            list(Community.objects.filter(county=campaign.county_id).order_by("name", "pk")))  # fmt: skip


def nominating_roles(user, campaign: Campaign) -> list[str]:
    """The ways the user may nominate in this campaign (by school, committee, community, self)."""
    if not _authenticated(user) or campaign.county_id not in user_counties(user):
        return []
    ways = []
    if schools_of(user, Role.SCHOOL_ADMIN) & set(_scope_schools(campaign).values_list("pk", flat=True)):
        ways.append(Nomination.By.SCHOOL.value)
    if committee_schools(user):
        ways.append(Nomination.By.COMMITTEE.value)
    if campaign.county_id in community_counties(user):
        ways.append(Nomination.By.COMMUNITY.value)
    if campaign.nominee != Campaign.Nominee.UNIT and (
        campaign.nominee == Campaign.Nominee.PERSON or scope_of(user).is_guardian
    ):
        ways.append(Nomination.By.SELF.value)
    return ways


# --- campaigns ----------------------------------------------------------------------------------------------------


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    if not _authenticated(user):
        return Campaign.objects.none()
    return Campaign.objects.filter(
        Q(county__in=user_counties(user), phase__in=PUBLIC_PHASES) | Q(county__in=admin_counties(user))
    )


def campaigns_managed_by(user) -> QuerySet[Campaign]:
    if not _authenticated(user):
        return Campaign.objects.none()
    return Campaign.objects.filter(county__in=admin_counties(user))


def get_campaign_for(user, pk, *, write: bool = False) -> Campaign:
    qs = campaigns_managed_by(user) if write else campaigns_visible_to(user)
    campaign = qs.select_related("county", "created_by").filter(pk=parse_id(pk) or 0).first()
    if campaign is None:
        raise Http404("campaign not found")
    return campaign


def campaign_list(user) -> QuerySet[Campaign]:
    return (campaigns_visible_to(user).select_related("county")
            .annotate(nomination_count=Count("nominations", filter=~Q(nominations__status=Status.WITHDRAWN)))
            .order_by("-created_at", "-pk"))  # fmt: skip


def county_to_create_in(user) -> Region | None:
    counties = admin_counties(user)
    return Region.objects.filter(pk__in=counties).order_by("pk").first() if counties else None


# --- nominations ----------------------------------------------------------------------------------------------------


def nominations_visible_to(user) -> QuerySet[Nomination]:
    """The nominations whose details (deeds, materials, reviews) the user may read."""
    if not _authenticated(user):
        return Nomination.objects.none()
    scope = scope_of(user)
    q = Q(campaign__county__in=admin_counties(user)) | Q(nominated_by=user)
    q |= Q(school__in=scope.whole_schools(Role.SCHOOL_ADMIN))
    expert_counties = scope.counties(Role.EXPERT)
    if expert_counties:
        q |= Q(campaign__county__in=expert_counties, status__in=[Status.RECOMMENDED, *ON_LIST, Status.COUNTY_REJECTED,
                                                                 Status.REMOVED])  # fmt: skip
    return Nomination.objects.filter(q)


def get_nomination_for(user, pk) -> Nomination:
    n = (nominations_visible_to(user).select_related("campaign", "campaign__county", "school", "nominated_by")
         .filter(pk=parse_id(pk) or 0).first())  # fmt: skip
    if n is None:
        raise Http404("nomination not found")
    return n


def nomination_of(campaign: Campaign, pk) -> Nomination:
    """A nomination of a campaign the user already sees (its name is public once on the 公示 list)."""
    n = Nomination.objects.filter(campaign=campaign, pk=parse_id(pk) or 0).select_related("campaign").first()
    if n is None:
        raise Http404("nomination not found")
    return n


def nominations_of(campaign: Campaign) -> QuerySet[Nomination]:
    """Every nomination of the campaign, for its county admin's control page."""
    return (Nomination.objects.filter(campaign=campaign).exclude(status=Status.WITHDRAWN)
            .select_related("school").annotate(score_count=Count("scores"))
            .order_by("rank", "-expert_score", "pk"))  # fmt: skip


def my_nominations(user, campaign: Campaign) -> QuerySet[Nomination]:
    if not _authenticated(user):
        return Nomination.objects.none()
    return Nomination.objects.filter(campaign=campaign, nominated_by=user).order_by("-pk")


def publicity_list(campaign: Campaign) -> list[Nomination]:
    """The published list: the shortlist in 公示 (with its final scores and ranks), the ranked list at the result."""
    if campaign.phase not in (Phase.PUBLICITY, Phase.RESULT):
        return []
    return list(Nomination.objects.filter(campaign=campaign, status__in=ON_LIST).select_related("school")
                .order_by("rank", "pk"))  # fmt: skip


def removed_after_objection(campaign: Campaign) -> list[Nomination]:
    return list(Nomination.objects.filter(campaign=campaign, status=Status.REMOVED).order_by("pk"))


def selected_of(campaign: Campaign) -> list[Nomination]:
    if campaign.phase != Phase.RESULT:
        return []
    return list(Nomination.objects.filter(campaign=campaign, status=Status.SELECTED).select_related("school")
                .order_by("rank", "pk"))  # fmt: skip


def objection_counts(campaign: Campaign) -> dict[str, int]:
    """The objections counted by outcome (never who objected)."""
    rows = (Objection.objects.filter(nomination__campaign=campaign).values_list("status")
            .annotate(n=Count("pk")).order_by())  # fmt: skip
    counts = {s.value: 0 for s in Objection.Status}
    counts.update(dict(rows))
    counts["total"] = sum(v for k, v in counts.items() if k != "total")
    return counts


def objections_to_decide(campaign: Campaign) -> QuerySet[Objection]:
    return (Objection.objects.filter(nomination__campaign=campaign).select_related("nomination")
            .order_by("status", "created_at", "pk"))  # fmt: skip


def get_objection_for(user, pk) -> Objection:
    o = (Objection.objects.filter(nomination__campaign__county__in=admin_counties(user), pk=parse_id(pk) or 0)
         .select_related("nomination__campaign__county", "objector").first())  # fmt: skip
    if o is None:
        raise Http404("objection not found")
    return o


def review_queue(user) -> QuerySet[Nomination]:
    """The school admin's nominations to review: their schools' nominations in the school review."""
    schools = schools_of(user, Role.SCHOOL_ADMIN)
    if not schools:
        return Nomination.objects.none()
    return (Nomination.objects.filter(school__in=schools, campaign__phase=Phase.SCHOOL_REVIEW)
            .exclude(status=Status.WITHDRAWN).select_related("campaign", "nominated_by")
            .order_by("campaign", "status", "pk"))  # fmt: skip


def score_queue(user) -> QuerySet[Nomination]:
    """The expert's nominations to score: recommended nominations of their counties' campaigns in county review
    (or reviewed again during 公示) whose experts include them (or that assign none)."""
    if not _authenticated(user):
        return Nomination.objects.none()
    counties = scope_of(user).counties(Role.EXPERT)
    if not counties:
        return Nomination.objects.none()
    campaigns = Campaign.objects.filter(county__in=counties, phase__in=[Phase.COUNTY_REVIEW, Phase.PUBLICITY]).filter(
        Q(experts=user) | Q(experts__isnull=True)
    )
    return (Nomination.objects.filter(campaign__in=campaigns.values("pk"), status=Status.RECOMMENDED)
            .select_related("campaign", "school").annotate(scored=Count("scores", filter=Q(scores__expert=user)))
            .order_by("scored", "campaign", "pk"))  # fmt: skip


def my_score(user, nomination: Nomination) -> ExpertScore | None:
    return ExpertScore.objects.filter(nomination=nomination, expert=user).first()


def materials_of(nomination: Nomination) -> list[NominationMaterial]:
    return list(NominationMaterial.objects.filter(nomination=nomination).order_by("pk"))


def get_material_for(user, token: str) -> NominationMaterial:
    m = NominationMaterial.objects.filter(token=str(token)[:32], nomination__in=nominations_visible_to(user)).first()
    if m is None:
        raise Http404("material not found")
    return m


def reviews_of(nomination: Nomination):
    return nomination.reviews.select_related("reviewer").order_by("at", "pk")


# --- certificates ----------------------------------------------------------------------------------------------


def certificate_holders_q(user) -> Q:
    """The selected nominations whose certificate the user may download: the county, the nominee's school admin,
    the nominee (the family's guardians, the parent, the person)."""
    scope = scope_of(user)
    q = Q(campaign__county__in=admin_counties(user)) | Q(school__in=scope.whole_schools(Role.SCHOOL_ADMIN))
    q |= Q(student__in=directory_access.children_of(user).values("pk")) | Q(guardian__user=user) | Q(person=user)
    return q


def get_certificate_for(user, pk) -> Nomination:
    if not _authenticated(user):
        raise Http404("certificate not found")
    n = (Nomination.objects.filter(certificate_holders_q(user), status=Status.SELECTED, pk=parse_id(pk) or 0)
         .select_related("campaign__county").first())  # fmt: skip
    if n is None:
        raise Http404("certificate not found")
    return n


def may_download_certificate(user, nomination: Nomination) -> bool:
    if not _authenticated(user) or nomination.status != Status.SELECTED:
        return False
    return Nomination.objects.filter(certificate_holders_q(user), pk=nomination.pk).exists()


def certificates_of(user, campaign: Campaign) -> set[int]:
    """The ids of the campaign's selected nominations whose certificate the user may download (one query)."""
    if not _authenticated(user) or campaign.phase != Phase.RESULT:
        return set()
    return set(Nomination.objects.filter(certificate_holders_q(user), campaign=campaign, status=Status.SELECTED)
               .values_list("pk", flat=True))  # fmt: skip


def evaluation_candidates(user, campaign: Campaign) -> list:
    """For a model-family campaign: the families the evaluation suggests to the user as a school's admin (high and
    improving scores, with the family's consent), for the user's schools in the campaign's scope."""
    if campaign.kind != Campaign.Kind.MODEL_FAMILY or campaign.nominee != Campaign.Nominee.FAMILY:
        return []
    schools = _scope_schools(campaign).filter(pk__in=schools_of(user, Role.SCHOOL_ADMIN)).order_by("name", "pk")
    return [c for school in schools for c in evaluation_access.candidates_for(user, school)]
