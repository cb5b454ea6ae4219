"""Who may see and change which registry entry (建档立卡). Missing and forbidden both answer 404.

Seeing (`entries_visible_to`):

- head teachers: the entries of the pupils in their classes (the ones they proposed included);
- school admins: their school's entries;
- county admins and the county's counsellors: the county's entries;
- partners (妇联, 民政, 残联) of the county: the county's confirmed entries;
- guardians: none here (the rights pages show a guardian their own child's record).

Changing is field by field, as data (`AGENCY_RIGHTS`): a head teacher (of the pupil's class) and a school admin (of
the school) may change every fact of an entry that is proposed or registered; a partner may add to a registered
entry only what their agency's kind covers (妇联: the left-behind and single-parent categories, the carer, the
absent parents and the carer survey; 民政: hardship, orphan and disability; 残联: disability). County admins and
counsellors read. `may_edit(user, entry, what)` answers for one part, without a query once the entry is loaded
with its student (as `get_entry_for` loads it).
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import Community, Guardianship, PartnerAgency, Relationship, School, Student

from .models import (
    LEFT_BEHIND,
    AbsentParent,
    CarerSurvey,
    Category,
    RegistryCategory,
    RegistryChange,
    RegistryEntry,
    RegistryReview,
)

# The parts of an entry besides its categories, as `may_edit` names them.
CARER, ABSENT_PARENTS, PLACE, SURVEY, REVIEW = "carer", "absent_parents", "place", "survey", "review"
FACTS = frozenset({CARER, ABSENT_PARENTS, PLACE, SURVEY, REVIEW})
EVERYTHING = frozenset(Category.values) | FACTS

Kind = PartnerAgency.Kind
# What each kind of partner agency may add to or change in a registered entry of its county.
AGENCY_RIGHTS: dict[str, frozenset[str]] = {
    Kind.WOMEN_FEDERATION: frozenset({*LEFT_BEHIND, Category.DIVORCED_SINGLE, CARER, ABSENT_PARENTS, SURVEY}),
    Kind.CIVIL_AFFAIRS: frozenset(
        {
            Category.HARDSHIP_ECONOMIC,
            Category.HARDSHIP_DISABILITY,
            Category.HARDSHIP_ILLNESS,
            Category.HARDSHIP_FAMILY,
            Category.ORPHAN,
            Category.DISABILITY,
        }
    ),
    Kind.DISABLED_FEDERATION: frozenset({Category.DISABILITY}),
}
REGISTRY_AGENCIES = frozenset(AGENCY_RIGHTS)
OPEN_STATES = (RegistryEntry.State.PROPOSED, RegistryEntry.State.CONFIRMED)


def _agency_grants(user) -> list[tuple[int, int, str]]:
    """(agency id, county id, kind) of the user's partner memberships at registry agencies (no query)."""
    found = []
    for g in scope_of(user).of(Role.PARTNER):
        agency = g.membership.partner_agency
        if agency is not None and agency.kind in REGISTRY_AGENCIES and g.county_id:
            found.append((agency.pk, g.county_id, agency.kind))
    return found


def partner_counties(user) -> set[int]:
    return {county for _agency, county, _kind in _agency_grants(user)}


def _visible_filter(user) -> Q:
    scope = scope_of(user)
    q = Q(pk__in=[])
    if classes := scope.classes(Role.HEAD_TEACHER):
        q |= Q(student__school_class__in=classes)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools)
    if counties := scope.counties(Role.COUNTY_ADMIN, Role.COUNSELLOR):
        q |= Q(county__in=counties)
    if partner := partner_counties(user):
        q |= Q(county__in=partner, state=RegistryEntry.State.CONFIRMED)
    return q


def _editable_filter(user) -> Q:
    scope = scope_of(user)
    q = Q(pk__in=[])
    if classes := scope.classes(Role.HEAD_TEACHER):
        q |= Q(student__school_class__in=classes, state__in=OPEN_STATES)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools, state__in=OPEN_STATES)
    if partner := partner_counties(user):
        q |= Q(county__in=partner, state=RegistryEntry.State.CONFIRMED)
    return q


def _with_related(qs: QuerySet[RegistryEntry]) -> QuerySet[RegistryEntry]:
    return qs.select_related("student", "student__school_class", "student__school_class__grade", "school", "community")


def open_categories() -> Prefetch:
    return Prefetch(
        "categories",
        queryset=RegistryCategory.objects.filter(ended_on__isnull=True).order_by("category"),
        to_attr="open_categories",
    )


def entries_visible_to(user) -> QuerySet[RegistryEntry]:
    """Every entry the user may read (lists: no phone numbers but masked ones)."""
    if not getattr(user, "is_authenticated", False):
        return RegistryEntry.objects.none()
    return RegistryEntry.objects.filter(_visible_filter(user))


def entries_listed_for(
    user,
    *,
    state: str = "",
    category: str = "",
    school: int | None = None,
    overdue: bool = False,
    q: str = "",
    today=None,
) -> QuerySet[RegistryEntry]:
    """The registry list with its filters: newest change first, each entry with its open categories (two
    queries whatever the size: the page and the categories of its rows)."""
    qs = entries_visible_to(user)
    if state in RegistryEntry.State.values:
        qs = qs.filter(state=state)
    if category in Category.values:
        qs = qs.filter(
            Exists(RegistryCategory.objects.filter(entry=OuterRef("pk"), category=category, ended_on__isnull=True))
        )
    if school is not None:
        qs = qs.filter(school=school)
    if overdue and today is not None:
        qs = qs.filter(state=RegistryEntry.State.CONFIRMED, next_review_on__lt=today)
    if q:
        qs = qs.filter(student__name__icontains=q)
    return _with_related(qs).prefetch_related(open_categories()).order_by("-updated_at", "-pk")


def get_entry_for(user, pk, *, write: bool = False) -> RegistryEntry:
    """One entry the user may read (or, with write, change some part of), with its student, school and open
    categories loaded; 404 alike for a missing entry and another's."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("registry entry not found")
    q = _editable_filter(user) if write else _visible_filter(user)
    entry = _with_related(RegistryEntry.objects.filter(q)).prefetch_related(open_categories()).filter(pk=pk).first()
    if entry is None:
        raise Http404("registry entry not found")
    return entry


# --- what the user may do with one entry (no query: the entry comes from get_entry_for) -------------------------


def _is_head_teacher_of(user, entry: RegistryEntry) -> bool:
    return entry.student.school_class_id in scope_of(user).classes(Role.HEAD_TEACHER)


def _is_school_admin_of(user, entry: RegistryEntry) -> bool:
    return entry.school_id in scope_of(user).whole_schools(Role.SCHOOL_ADMIN)


def editable_parts(user, entry: RegistryEntry) -> frozenset[str]:
    """Every part (category values and FACTS) the user may add to or change in this entry."""
    if entry.state not in OPEN_STATES:
        return frozenset()
    if _is_head_teacher_of(user, entry) or _is_school_admin_of(user, entry):
        return EVERYTHING
    parts: set[str] = set()
    if entry.state == RegistryEntry.State.CONFIRMED:
        for _agency, county, kind in _agency_grants(user):
            if county == entry.county_id:
                parts |= AGENCY_RIGHTS[kind]
    return frozenset(parts)


def may_edit(user, entry: RegistryEntry, what: str) -> bool:
    """May the user add or change this part of the entry (a Category value or one of FACTS)?"""
    return what in editable_parts(user, entry)


def editable_categories(user, entry: RegistryEntry) -> list[tuple[str, str]]:
    parts = editable_parts(user, entry)
    return [(value, str(label)) for value, label in Category.choices if value in parts]


def may_decide(user, entry: RegistryEntry) -> bool:
    """Confirm or decline a proposed entry: a school admin of the child's school."""
    return entry.state == RegistryEntry.State.PROPOSED and _is_school_admin_of(user, entry)


def may_remove(user, entry: RegistryEntry) -> bool:
    """Take a registered (or proposed) child off the registry, with a reason: a school admin of the school."""
    return entry.state in OPEN_STATES and _is_school_admin_of(user, entry)


def may_review(user, entry: RegistryEntry) -> bool:
    """Record the periodic review: the head teacher of the class, a school admin of the school, a counsellor of
    the county."""
    if entry.state != RegistryEntry.State.CONFIRMED:
        return False
    if _is_head_teacher_of(user, entry) or _is_school_admin_of(user, entry):
        return True
    return entry.county_id in scope_of(user).counties(Role.COUNSELLOR)


def may_see_phones(user, entry: RegistryEntry) -> bool:
    """Everyone who reads an entry is staff of its school or county, or a partner working on it: they see the
    carer's and the parents' numbers on the detail page (masked in lists)."""
    return True


def role_on_entry(user, entry: RegistryEntry) -> str:
    """The role the user acts in on this entry (what its history shows), without a query."""
    scope = scope_of(user)
    if _is_head_teacher_of(user, entry):
        return Role.HEAD_TEACHER.value
    if _is_school_admin_of(user, entry):
        return Role.SCHOOL_ADMIN.value
    if entry.county_id in scope.counties(Role.COUNSELLOR):
        return Role.COUNSELLOR.value
    if entry.county_id in scope.counties(Role.COUNTY_ADMIN):
        return Role.COUNTY_ADMIN.value
    if entry.county_id in partner_counties(user):
        return Role.PARTNER.value
    return ""


# --- proposing ---------------------------------------------------------------------------------------------------


def students_proposable_by(user) -> QuerySet[Student]:
    """Enrolled pupils the user may propose for the registry: of their classes (head teacher), of their school
    (school admin)."""
    if not getattr(user, "is_authenticated", False):
        return Student.objects.none()
    scope = scope_of(user)
    q = Q(pk__in=[])
    if classes := scope.classes(Role.HEAD_TEACHER):
        q |= Q(school_class__in=classes)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools)
    return Student.objects.filter(q, status=Student.Status.ENROLLED).select_related(
        "school", "school_class", "school_class__grade"
    )


def may_propose(user) -> bool:
    scope = scope_of(user)
    return bool(scope.classes(Role.HEAD_TEACHER) or scope.whole_schools(Role.SCHOOL_ADMIN))


def get_student_to_propose(user, pk) -> Student:
    student = students_proposable_by(user).filter(pk=pk).first()
    if student is None:
        raise Http404("student not found")
    return student


def _not_registered() -> Q:
    return ~Q(Exists(RegistryEntry.objects.filter(student=OuterRef("pk"), state__in=OPEN_STATES)))


def _parents_away(status=Guardianship.Status.CONFIRMED) -> QuerySet[Guardianship]:
    return Guardianship.objects.filter(
        student=OuterRef("pk"),
        status=status,
        lives_with_child=False,
        relationship__in=[Relationship.FATHER, Relationship.MOTHER],
    )


def suggestions_for(user, limit: int = 50) -> list[Student]:
    """Pupils of the head teacher's classes not in the registry whose roster shows one or both parents not living
    with the child, each with `parents_away` (1 or 2): one query, at most `limit` rows."""
    classes = scope_of(user).classes(Role.HEAD_TEACHER)
    if not classes:
        return []
    away = Count(
        "guardianships",
        filter=Q(
            guardianships__status=Guardianship.Status.CONFIRMED,
            guardianships__lives_with_child=False,
            guardianships__relationship__in=[Relationship.FATHER, Relationship.MOTHER],
        ),
        distinct=True,
    )
    qs = (
        Student.objects.filter(school_class__in=classes, status=Student.Status.ENROLLED)
        .filter(Exists(_parents_away()))
        .filter(_not_registered())
        .annotate(parents_away=away)
        .select_related("school_class", "school_class__grade")
        .order_by("school_class_id", "name", "pk")
    )
    return list(qs[:limit])


def roster_facts_of(student: Student) -> dict:
    """What the roster says of a pupil's carer and absent parents, to pre-fill a proposal (one query)."""
    rows = list(
        Guardianship.objects.filter(student=student, status=Guardianship.Status.CONFIRMED)
        .select_related("guardian")
        .order_by("-is_primary_carer", "pk")
    )
    carer = next((g for g in rows if g.lives_with_child and g.is_primary_carer), None)
    carer = carer or next((g for g in rows if g.lives_with_child), None)
    away = [g for g in rows if not g.lives_with_child and g.relationship in (Relationship.FATHER, Relationship.MOTHER)]
    return {"carer": carer, "away": away}


# --- the parts of one entry (from get_entry_for) -------------------------------------------------------------------


def entry_history(entry: RegistryEntry, limit: int = 50) -> list[RegistryChange]:
    return list(RegistryChange.objects.filter(entry=entry).select_related("actor").order_by("-at", "-pk")[:limit])


def entry_reviews(entry: RegistryEntry, limit: int = 20) -> list[RegistryReview]:
    return list(RegistryReview.objects.filter(entry=entry).select_related("done_by").order_by("-due_on", "-pk")[:limit])


def open_review_of(entry: RegistryEntry) -> RegistryReview | None:
    return RegistryReview.objects.filter(entry=entry, done_at__isnull=True).first()


def entry_surveys(entry: RegistryEntry, limit: int = 10) -> list[CarerSurvey]:
    return list(CarerSurvey.objects.filter(entry=entry).select_related("recorded_by").order_by("-answered_at")[:limit])


def entry_absent_parents(entry: RegistryEntry) -> list[AbsentParent]:
    return list(AbsentParent.objects.filter(entry=entry).order_by("who"))


def entry_categories(entry: RegistryEntry) -> list[RegistryCategory]:
    """Every category of the entry, ended ones too (the detail page shows when each was noted and ended)."""
    return list(
        RegistryCategory.objects.filter(entry=entry).select_related("noted_by").order_by("ended_on", "category", "pk")
    )


def get_category_for(user, entry: RegistryEntry, pk) -> RegistryCategory:
    """An open category of an entry the user may change (get_entry_for(write=True)); 404 otherwise."""
    row = RegistryCategory.objects.filter(entry=entry, pk=pk, ended_on__isnull=True).first()
    if row is None or not may_edit(user, entry, row.category):
        raise Http404("category not found")
    return row


# --- who uses the registry pages at all -------------------------------------------------------------------------


def uses_registry(user) -> bool:
    """Whether the user has any registry to read (no query once the scope is loaded)."""
    if not getattr(user, "is_authenticated", False):
        return False
    scope = scope_of(user)
    return bool(
        scope.classes(Role.HEAD_TEACHER)
        or scope.whole_schools(Role.SCHOOL_ADMIN)
        or scope.counties(Role.COUNTY_ADMIN, Role.COUNSELLOR)
        or partner_counties(user)
    )


def sees_proposals(user) -> bool:
    """Whether the user sees entries that are not (or no longer) registered: every registry user but partners."""
    scope = scope_of(user)
    return bool(
        scope.classes(Role.HEAD_TEACHER)
        or scope.whole_schools(Role.SCHOOL_ADMIN)
        or scope.counties(Role.COUNTY_ADMIN, Role.COUNSELLOR)
    )


def registry_schools_for(user) -> QuerySet[School]:
    """The schools whose entries the user may read (the list's school filter): one query."""
    scope = scope_of(user)
    q = Q(pk__in=[])
    if schools := scope.schools(Role.HEAD_TEACHER) | scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(pk__in=schools)
    if counties := scope.counties(Role.COUNTY_ADMIN, Role.COUNSELLOR) | partner_counties(user):
        q |= Q(county__in=counties)
    return School.objects.filter(q).order_by("name")


def communities_for(entry_or_county_id) -> QuerySet[Community]:
    county_id = getattr(entry_or_county_id, "county_id", entry_or_county_id)
    return Community.objects.filter(county=county_id).order_by("name")
