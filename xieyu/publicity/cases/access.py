"""Who may see, write and review which typical case.

- The library (published cases) is read by everyone logged in in the county: its staff (any role held in the
  county or one of its units) and guardians through their children's schools. Anonymous visitors see nothing.
- A school admin writes her school's cases, passes on (or returns) her teachers' cases and submits them to the
  county; a teacher writes her own cases (her school admin reviews them first). The author edits while the case
  is a draft or returned.
- The county admin reviews her county's submitted cases: publish, or return with a note.
Missing and forbidden both answer 404.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.core.viewhelpers import parse_id
from xieyu.directory import access as directory_access
from xieyu.directory.models import School

from .models import Case, CasePhoto

# 小学 / 初中 / 高中 / 幼儿园: the school kinds each filter takes in (a nine-year school is both primary and junior,
# a complete middle school both junior and senior).
SCHOOL_TYPES: dict[str, tuple[str, ...]] = {
    "primary": (School.Kind.PRIMARY, School.Kind.NINE_YEAR),
    "junior": (School.Kind.JUNIOR, School.Kind.NINE_YEAR, School.Kind.COMPLETE_MIDDLE),
    "senior": (School.Kind.SENIOR, School.Kind.COMPLETE_MIDDLE),
    "kindergarten": (School.Kind.KINDERGARTEN,),
}
EDITABLE = (Case.Status.DRAFT, Case.Status.RETURNED)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def admin_counties(user) -> set[int]:
    return scope_of(user).counties(Role.COUNTY_ADMIN)


def admin_schools(user) -> set[int]:
    return scope_of(user).whole_schools(Role.SCHOOL_ADMIN)


def teacher_schools(user) -> set[int]:
    return scope_of(user).whole_schools(Role.TEACHER, Role.HEAD_TEACHER) | scope_of(user).schools(Role.HEAD_TEACHER)


def reader_counties(user) -> set[int]:
    if not _authenticated(user):
        return set()
    counties = set(scope_of(user).reach_counties(*Role))
    counties |= set(directory_access.children_of(user).values_list("school__county", flat=True))
    return counties


def cases_managed_by(user) -> QuerySet[Case]:
    """Cases the user works on: her own, her school's (school admin, not drafts of others), her county's submitted
    and published ones (county admin)."""
    if not _authenticated(user):
        return Case.objects.none()
    q = Q(author=user)
    if schools := admin_schools(user):
        q |= Q(school__in=schools) & ~(Q(status=Case.Status.DRAFT) & ~Q(author=user))
    if counties := admin_counties(user):
        q |= Q(county__in=counties, status__in=[Case.Status.SUBMITTED, Case.Status.PUBLISHED])
    return Case.objects.filter(q)


def cases_visible_to(user) -> QuerySet[Case]:
    if not _authenticated(user):
        return Case.objects.none()
    published = Q(status=Case.Status.PUBLISHED, county__in=reader_counties(user))
    return Case.objects.filter(published | Q(pk__in=cases_managed_by(user).values("pk")))


def cases_editable_by(user) -> QuerySet[Case]:
    """The author while a draft or returned; the school admin for her school's cases before they reach the county;
    the county admin for her county's submitted cases (to tidy a promoted case before publishing)."""
    if not _authenticated(user):
        return Case.objects.none()
    q = Q(author=user, status__in=EDITABLE)
    if schools := admin_schools(user):
        q |= Q(school__in=schools, status__in=[*EDITABLE, Case.Status.SCHOOL_REVIEW]) & ~(
            Q(status=Case.Status.DRAFT) & ~Q(author=user)
        )
    if counties := admin_counties(user):
        q |= Q(county__in=counties, status=Case.Status.SUBMITTED)
    return Case.objects.filter(q)


def get_case_for(user, pk, *, write: bool = False) -> Case:
    qs = cases_editable_by(user) if write else cases_visible_to(user)
    case = qs.select_related("school", "county", "author", "reviewed_by").filter(pk=parse_id(pk) or 0).first()
    if case is None:
        raise Http404("case not found")
    return case


def can_edit(user, case: Case) -> bool:
    return cases_editable_by(user).filter(pk=case.pk).exists()


def can_school_review(user, case: Case) -> bool:
    return case.status == Case.Status.SCHOOL_REVIEW and case.school_id in admin_schools(user)


def can_county_review(user, case: Case) -> bool:
    return case.status == Case.Status.SUBMITTED and case.county_id in admin_counties(user)


def can_submit(user, case: Case) -> bool:
    return case.status in EDITABLE and (case.author_id == user.pk or case.school_id in admin_schools(user))


def library(user, *, theme: str = "", school_type: str = "", q: str = "") -> QuerySet[Case]:
    """The published cases the user reads, newest first, searchable (a fixed number of queries per page)."""
    qs = Case.objects.filter(status=Case.Status.PUBLISHED, county__in=reader_counties(user))
    if theme:
        qs = qs.filter(theme=theme)
    if school_type in SCHOOL_TYPES:
        qs = qs.filter(school__kind__in=SCHOOL_TYPES[school_type])
    for word in q.split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(background__icontains=word) | Q(actions__icontains=word)
                       | Q(results__icontains=word) | Q(replicable__icontains=word) | Q(school__name__icontains=word))  # fmt: skip
    return (
        qs.select_related("school")
        .prefetch_related(Prefetch("photos", queryset=CasePhoto.objects.order_by("pk")))
        .order_by("-published_at", "-pk")
    )


def worklist(user) -> QuerySet[Case]:
    """The cases the user works on that are not published: drafts, returned, awaiting review."""
    return (
        cases_managed_by(user)
        .exclude(status=Case.Status.PUBLISHED)
        .select_related("school", "author")
        .order_by("-submitted_at", "-created_at", "-pk")
    )


def school_to_write_for(user) -> School | None:
    """The school a case is written for: the school admin's, else the teacher's."""
    ids = admin_schools(user) or teacher_schools(user)
    if not ids:
        return None
    return School.objects.filter(pk__in=ids).order_by("pk").first()


def may_write(user) -> bool:
    return _authenticated(user) and school_to_write_for(user) is not None


def photos_of(case: Case) -> list[CasePhoto]:
    return list(CasePhoto.objects.filter(case=case).order_by("pk"))


def get_photo_for(user, pk) -> CasePhoto:
    photo = (
        CasePhoto.objects.filter(pk=parse_id(pk) or 0, case__in=cases_visible_to(user).values("pk"))
        .select_related("case")
        .first()
    )
    if photo is None:
        raise Http404("photo not found")
    return photo
