"""Who may see which appraisal. County admins: every school of their county (and they moderate its comments);
school admins: their school's (results, approved comments only). Guardians: the open appraisals of their children's
schools, to answer them. Nobody reads who answered: the answered marker is only checked for the guardian's own
children. Missing and forbidden both answer 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.access import children_of
from xieyu.directory.models import School, Student

from .models import Appraisal, AppraisalAnswered, AppraisalComment

MANAGER_ROLES = (Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN)


def _staff_q(user, prefix: str = "") -> Q:
    scope = scope_of(user)
    return Q(**{f"{prefix}county__in": scope.counties(Role.COUNTY_ADMIN)}) | Q(
        **{f"{prefix}school__in": scope.whole_schools(Role.SCHOOL_ADMIN)}
    )


def appraisals_visible_to(user) -> QuerySet[Appraisal]:
    if not getattr(user, "is_authenticated", False):
        return Appraisal.objects.none()
    return Appraisal.objects.filter(_staff_q(user)).select_related("school")


def may_manage(user) -> bool:
    return scope_of(user).has(*MANAGER_ROLES)


def is_moderator(user) -> bool:
    return bool(scope_of(user).counties(Role.COUNTY_ADMIN))


def schools_for_opening(user) -> QuerySet[School]:
    scope = scope_of(user)
    return School.objects.filter(
        Q(county__in=scope.counties(Role.COUNTY_ADMIN)) | Q(pk__in=scope.whole_schools(Role.SCHOOL_ADMIN))
    ).order_by("name")


def get_appraisal_for(user, pk, *, write: bool = False) -> Appraisal:
    appraisal = appraisals_visible_to(user).filter(pk=pk).first()
    if appraisal is None:
        raise Http404("appraisal not found")
    return appraisal


def approved_comments(appraisal: Appraisal) -> QuerySet[AppraisalComment]:
    return appraisal.comments.filter(state=AppraisalComment.State.APPROVED).order_by("section", "pk")


def comments_to_moderate(user) -> QuerySet[AppraisalComment]:
    counties = scope_of(user).counties(Role.COUNTY_ADMIN)
    return (
        AppraisalComment.objects.filter(state=AppraisalComment.State.PENDING, appraisal__county__in=counties)
        .select_related("appraisal__school")
        .order_by("pk")
    )


def get_comment_for_moderation(user, pk) -> AppraisalComment:
    comment = comments_to_moderate(user).filter(pk=pk).first()
    if comment is None:
        raise Http404("comment not found")
    return comment


# --- the guardian's side ----------------------------------------------------------------------------------------


@dataclass
class ToAnswer:
    appraisal: Appraisal
    student: Student
    answered: bool


def _children_in_class(user) -> QuerySet[Student]:
    return children_of(user).filter(status=Student.Status.ENROLLED, school_class__isnull=False)


def open_for_guardian(user) -> list[ToAnswer]:
    """The open appraisals of the guardian's children's schools, one line per child (three queries)."""
    if not getattr(user, "is_authenticated", False):
        return []
    children = list(_children_in_class(user).select_related("school").order_by("name", "pk"))
    if not children:
        return []
    open_ = {
        a.school_id: a
        for a in Appraisal.objects.filter(
            status=Appraisal.Status.OPEN, school__in={c.school_id for c in children}
        ).select_related("school")
    }
    answered = set(
        AppraisalAnswered.objects.filter(appraisal__in=list(open_.values()), student__in=children).values_list(
            "appraisal_id", "student_id"
        )
    )
    return [
        ToAnswer(open_[c.school_id], c, (open_[c.school_id].pk, c.pk) in answered)
        for c in children
        if c.school_id in open_
    ]


def get_open_appraisal_for_guardian(user, pk) -> Appraisal:
    """An open appraisal at a school of one of the guardian's children (404 otherwise)."""
    schools = _children_in_class(user).values("school")
    appraisal = (
        Appraisal.objects.filter(pk=pk, status=Appraisal.Status.OPEN, school__in=schools)
        .select_related("school")
        .first()
    )
    if appraisal is None:
        raise Http404("appraisal not found")
    return appraisal


def children_for_answer(user, appraisal: Appraisal) -> QuerySet[Student]:
    """The guardian's children at the appraised school (a second answer for one of them is refused by the service)."""
    return (
        _children_in_class(user)
        .filter(school_id=appraisal.school_id)
        .select_related("school_class__grade")
        .order_by("name", "pk")
    )


def answered_among(appraisal: Appraisal, students) -> set[int]:
    """Which of the guardian's own children's families have answered (only ever asked about her own children)."""
    return set(
        AppraisalAnswered.objects.filter(appraisal=appraisal, student__in=students).values_list("student_id", flat=True)
    )


def latest_results_of_school(school_id: int) -> Appraisal | None:
    """The latest closed appraisal of a school (its suppressed results): the committee page's panel."""
    return Appraisal.objects.filter(school_id=school_id, status=Appraisal.Status.CLOSED).order_by("-closed_at").first()
