"""Who may see and manage questionnaires and waves, who is asked by a wave, and whose answers a user may read.

- Questionnaires: the county's are seen by the county's staff (county admins, school admins, head teachers) and
  managed by its county admins; a school's are seen by that school's staff and the county admins, managed by the
  school's admins.
- Waves: a county admin sees and manages every wave of the county; a school admin the waves of the school and its
  classes (and county-wide waves, for the school's part of them); a head teacher the waves of the class (and those
  of the school and county, for the class's part). Answers are read only within that part (`responses_in_scope`).
- Families: a guardian answers a wave when one of their confirmed children is in its audience (a guardian-kind
  questionnaire: when they are). Anyone else, and every wave that is not theirs, is "not found".
- Names: analysts see pseudonyms. Names appear only in an export asked for by the school admin of the families'
  school or the head teacher of their class, and only for those families (`names_allowed_for`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import Guardian, Guardianship, School, SchoolClass, Student

from . import audiences
from .models import Questionnaire, Respondent, Response, Version, Wave

STAFF = (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN, Role.HEAD_TEACHER)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- questionnaires ---------------------------------------------------------------------------------------------


def questionnaires_visible_to(user) -> QuerySet[Questionnaire]:
    if not _authenticated(user):
        return Questionnaire.objects.none()
    scope = scope_of(user)
    q = Q(pk__in=[])
    if counties := scope.counties(Role.COUNTY_ADMIN):
        q |= Q(county__in=counties)
    if counties := scope.reach_counties(Role.SCHOOL_ADMIN, Role.HEAD_TEACHER):
        q |= Q(county__in=counties, school__isnull=True)
    if schools := scope.schools(Role.SCHOOL_ADMIN, Role.HEAD_TEACHER):
        q |= Q(school__in=schools)
    return Questionnaire.objects.filter(q)


def questionnaires_managed_by(user) -> QuerySet[Questionnaire]:
    if not _authenticated(user):
        return Questionnaire.objects.none()
    scope = scope_of(user)
    q = Q(pk__in=[])
    if counties := scope.counties(Role.COUNTY_ADMIN):
        q |= Q(county__in=counties, school__isnull=True)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools)
    return Questionnaire.objects.filter(q)


def get_questionnaire_for(user, pk, *, write: bool = False) -> Questionnaire:
    qs = questionnaires_managed_by(user) if write else questionnaires_visible_to(user)
    found = qs.select_related("county", "school").filter(pk=pk).first()
    if found is None:
        raise Http404("questionnaire not found")
    return found


def may_manage_questionnaire(user, questionnaire: Questionnaire) -> bool:
    scope = scope_of(user)
    if questionnaire.school_id is None:
        return questionnaire.county_id in scope.counties(Role.COUNTY_ADMIN)
    return questionnaire.school_id in scope.whole_schools(Role.SCHOOL_ADMIN)


def owners_for(user) -> list[tuple[str, int, str]]:
    """Where the user may create a questionnaire: ("county", id, name) and ("school", id, name) choices."""
    out: list[tuple[str, int, str]] = []
    for g in scope_of(user).of(Role.COUNTY_ADMIN):
        if g.county_id and g.membership.county is not None and not g.school_id:
            out.append(("county", g.county_id, g.membership.county.name))
    for g in scope_of(user).of(Role.SCHOOL_ADMIN):
        if g.school_id and not g.class_id and g.membership.school is not None:
            out.append(("school", g.school_id, g.membership.school.name))
    return out


def get_version_for(user, pk, *, write: bool = False) -> Version:
    found = (
        Version.objects.filter(
            questionnaire__in=(questionnaires_managed_by(user) if write else questionnaires_visible_to(user)).values(
                "pk"
            )
        )  # fmt: skip
        .select_related("questionnaire")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("version not found")
    return found


# --- waves ------------------------------------------------------------------------------------------------------


def _wave_filter(user) -> Q:
    scope = scope_of(user)
    q = Q(pk__in=[])
    if counties := scope.counties(Role.COUNTY_ADMIN):
        q |= Q(county__in=counties)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools)
    if classes := scope.classes(Role.HEAD_TEACHER):
        q |= Q(school_class__in=classes)
        q |= Q(school__in=scope.schools(Role.HEAD_TEACHER), school_class__isnull=True)
    if counties := scope.reach_counties(Role.SCHOOL_ADMIN, Role.HEAD_TEACHER):
        q |= Q(county__in=counties, school__isnull=True)
    return q


def _wave_manage_filter(user) -> Q:
    scope = scope_of(user)
    q = Q(pk__in=[])
    if counties := scope.counties(Role.COUNTY_ADMIN):
        q |= Q(county__in=counties)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools)
    if classes := scope.classes(Role.HEAD_TEACHER):
        q |= Q(school_class__in=classes)
    return q


def waves_visible_to(user) -> QuerySet[Wave]:
    if not _authenticated(user) or not scope_of(user).has(*STAFF):
        return Wave.objects.none()
    return Wave.objects.filter(_wave_filter(user))


def waves_managed_by(user) -> QuerySet[Wave]:
    if not _authenticated(user) or not scope_of(user).has(*STAFF):
        return Wave.objects.none()
    return Wave.objects.filter(_wave_manage_filter(user))


def get_wave_for(user, pk, *, write: bool = False) -> Wave:
    qs = waves_managed_by(user) if write else waves_visible_to(user)
    found = qs.select_related("questionnaire", "version", "school", "school_class", "county").filter(pk=pk).first()
    if found is None:
        raise Http404("wave not found")
    return found


def may_manage_wave(user, wave: Wave) -> bool:
    return waves_managed_by(user).filter(pk=wave.pk).exists()


# What a user may aim a wave at (the single scope): county admins their county and its schools and classes, school
# admins their school and its classes, head teachers their classes.


def targetable_schools(user) -> QuerySet[School]:
    scope = scope_of(user)
    return School.objects.filter(
        Q(county__in=scope.counties(Role.COUNTY_ADMIN)) | Q(pk__in=scope.whole_schools(Role.SCHOOL_ADMIN))
    )


def targetable_classes(user) -> QuerySet[SchoolClass]:
    scope = scope_of(user)
    return SchoolClass.objects.filter(
        Q(school__county__in=scope.counties(Role.COUNTY_ADMIN))
        | Q(school__in=scope.whole_schools(Role.SCHOOL_ADMIN))
        | Q(pk__in=scope.classes(Role.HEAD_TEACHER))
    ).select_related("school", "grade")


def targetable_counties(user) -> set[int]:
    return scope_of(user).counties(Role.COUNTY_ADMIN)


def carers_targetable(user) -> list[tuple[str, str]]:
    """(hook, label) of the registry audiences the user may ask, when the care app registered its hook."""
    hook = audiences.HOOKS.get(audiences.CARERS)
    if hook is None:
        return []
    scope = scope_of(user)
    idents = [f"county:{c}" for c in sorted(scope.counties(Role.COUNTY_ADMIN))]
    idents += [f"school:{s}" for s in sorted(scope.whole_schools(Role.SCHOOL_ADMIN))]
    return [(f"{hook.prefix}:{i}", hook.label(i)) for i in idents if hook.may_target(user, i)]


# --- results ------------------------------------------------------------------------------------------------------


def responses_in_scope(user, wave: Wave) -> QuerySet[Response]:
    """The responses of the wave the user may count: their county, school or class part of it."""
    scope = scope_of(user)
    q = Q(pk__in=[])
    if wave.county_id in scope.counties(Role.COUNTY_ADMIN):
        q = Q()
    else:
        if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
            q |= Q(school__in=schools)
        if classes := scope.classes(Role.HEAD_TEACHER):
            q |= Q(school_class__in=classes)
    return Response.objects.filter(q, wave=wave)


@dataclass(frozen=True)
class NamesRight:
    """Whose names a user may see in an export of a wave: these schools' (as school admin) and classes' families."""

    schools: frozenset[int]
    classes: frozenset[int]

    @property
    def any(self) -> bool:
        return bool(self.schools or self.classes)

    def allows(self, response: Response) -> bool:
        return response.school_id in self.schools or response.school_class_id in self.classes


def names_allowed_for(user) -> NamesRight:
    scope = scope_of(user)
    return NamesRight(
        schools=frozenset(scope.whole_schools(Role.SCHOOL_ADMIN)), classes=frozenset(scope.classes(Role.HEAD_TEACHER))
    )


# --- families -----------------------------------------------------------------------------------------------------


def guardian_of(user) -> Guardian | None:
    if not _authenticated(user):
        return None
    return Guardian.objects.filter(user=user).first()


def _children(guardian: Guardian) -> list[Student]:
    return list(
        Student.objects.filter(guardianships__guardian=guardian, guardianships__status=Guardianship.Status.CONFIRMED)
        .select_related("school", "school_class", "school_class__grade")
        .order_by("pk")
    )


@dataclass
class Invitation:
    """One wave a guardian is asked to answer, for one child (family questionnaires) or for themselves."""

    wave: Wave
    student: Student | None
    response: Response | None

    @property
    def state(self) -> str:
        return self.response.status if self.response is not None else "open"


def _in_audience(wave: Wave, guardian: Guardian, children: list[Student]) -> list[Student | None]:
    """The children (or [None] for the guardian themselves) the wave asks this guardian to answer for."""
    ids = {c.pk for c in children}
    if wave.audience == Wave.Audience.SCHOOL_CLASS:
        hits = {c.pk for c in children if c.school_class_id == wave.school_class_id}
    elif wave.audience == Wave.Audience.SCHOOL:
        hits = {c.pk for c in children if c.school_id == wave.school_id}
    elif wave.audience == Wave.Audience.COUNTY:
        hits = {c.pk for c in children if c.school.county_id == wave.county_id}
    else:
        hits = set(audiences.audience_students(wave).filter(pk__in=ids).values_list("pk", flat=True))
    if wave.questionnaire.respondent_kind == wave.questionnaire.RespondentKind.GUARDIAN:
        if wave.audience in (Wave.Audience.CARERS, Wave.Audience.HOOK):
            hook, _ident = audiences.split(wave.hook)
            if hook is not None and hook.guardians is not None:
                return [None] if audiences.audience_guardians(wave).filter(pk=guardian.pk).exists() else []
        return [None] if hits else []
    return [c for c in children if c.pk in hits]


def invitations_for(user, *, open_only: bool = True) -> list[Invitation]:
    """The waves asking this guardian, one row per child asked (family questionnaires) or per guardian.

    A fixed number of queries for the class, school and county waves; one more per open hook wave (few)."""
    guardian = guardian_of(user)
    if guardian is None:
        return []
    children = _children(guardian)
    if not children:
        return []
    from django.utils import timezone

    now = timezone.now()
    counties = {c.school.county_id for c in children}
    q = (
        Q(audience=Wave.Audience.SCHOOL_CLASS, school_class__in={c.school_class_id for c in children})
        | Q(audience=Wave.Audience.SCHOOL, school__in={c.school_id for c in children})
        | Q(audience=Wave.Audience.COUNTY, county__in=counties)
        | Q(audience__in=(Wave.Audience.CARERS, Wave.Audience.HOOK), county__in=counties)
    )
    waves = Wave.objects.filter(q, opens_at__lte=now).select_related("questionnaire", "version")
    if open_only:
        waves = waves.filter(closes_at__gt=now)
    waves = waves.order_by("closes_at", "pk")[:50]
    found: list[tuple[Wave, Student | None]] = []
    for wave in waves:
        found += [(wave, who) for who in _in_audience(wave, guardian, children)]
    if not found:
        return []
    respondents = Respondent.objects.filter(
        Q(student__in=[c.pk for c in children]) | Q(guardian=guardian),
        questionnaire__in={w.questionnaire_id for w, _s in found},
    )
    responses = {
        (r.wave_id, r.respondent.student_id, r.respondent.guardian_id): r
        for r in Response.objects.filter(
            wave__in={w.pk for w, _s in found}, respondent__in=respondents.values("pk")
        ).select_related("respondent")
    }
    out = []
    for wave, student in found:
        key = (wave.pk, student.pk if student else None, None if student else guardian.pk)
        out.append(Invitation(wave=wave, student=student, response=responses.get(key)))
    return out


def get_invitation_for(user, wave_pk, student_pk=None) -> Invitation:
    """The wave the guardian is asked to answer (for this child): 404 for any other wave or child."""
    guardian = guardian_of(user)
    if guardian is None:
        raise Http404("not a guardian")
    wave = (
        Wave.objects.select_related("questionnaire", "version", "county", "school", "school_class")
        .filter(pk=wave_pk)
        .first()
    )
    if wave is None:
        raise Http404("wave not found")
    asked = _in_audience(wave, guardian, _children(guardian))
    if not asked:
        raise Http404("not in the audience")
    student = None
    if asked != [None]:
        student = next((s for s in asked if s is not None and s.pk == student_pk), None)
        if student is None:
            if student_pk is not None or len(asked) != 1:
                raise Http404("not your child in this wave")
            student = asked[0]
    lookup: dict[str, Student | Guardian] = {"student": student} if student else {"guardian": guardian}
    respondent = Respondent.objects.filter(questionnaire=wave.questionnaire_id, **lookup).first()
    response = Response.objects.filter(wave=wave, respondent=respondent).first() if respondent else None
    return Invitation(wave=wave, student=student, response=response)


def children_asked(user, wave: Wave) -> list[Student]:
    guardian = guardian_of(user)
    if guardian is None:
        return []
    return [s for s in _in_audience(wave, guardian, _children(guardian)) if s is not None]


def get_section_for(user, pk):
    from .models import Section

    found = (
        Section.objects.filter(version__questionnaire__in=questionnaires_managed_by(user).values("pk"))
        .select_related("version", "version__questionnaire")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("section not found")
    return found


def get_question_for(user, pk):
    from .models import Question

    found = (
        Question.objects.filter(version__questionnaire__in=questionnaires_managed_by(user).values("pk"))
        .select_related("version", "version__questionnaire", "section")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("question not found")
    return found
