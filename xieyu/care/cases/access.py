"""Who may see which case, and how much of it (need to know). Missing and forbidden both answer 404.

- **full** (every section, the who-viewed log): the case's owner, its supervisor, the people it is shared with,
  and a counsellor of the county who opened it with a stated reason (break the glass) while that lasts;
- **school** (the case without its sensitive sections): the school admins of the child's school;
- **exists** (that a case is open, its owner, the actions asked of them): the head teacher of the child's class;
- the county (admins) sees counts only, on the figures page; no case page.

A counsellor of the county who is not on the case may see that it exists and ask to open it (`may_break_glass`);
anyone else gets 404. The edge fetches with `get_case_for`, records the read with `case_read_record` (which
sections were shown, and why when the glass was broken), and passes the view to the template.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.audit.services import access_record

from .models import SENSITIVE_SECTIONS, BreakGlass, Case, CaseAction, CaseShare, Section

FULL, SCHOOL, EXISTS = "full", "school", "exists"


@dataclass(frozen=True)
class CaseView:
    """How much of one case the user may see, and why."""

    case: Case
    level: str  # FULL, SCHOOL or EXISTS
    broke_glass: bool = False

    @property
    def full(self) -> bool:
        return self.level == FULL

    def sections_shown(self) -> frozenset[str]:
        if self.level == FULL:
            return frozenset(Section.values)
        if self.level == SCHOOL:
            return frozenset(Section.values) - SENSITIVE_SECTIONS
        return frozenset()


def _glass_open(user) -> Exists:
    return Exists(BreakGlass.objects.filter(case=OuterRef("pk"), user=user, expires_at__gt=timezone.now()))


def _shared(user) -> Exists:
    return Exists(CaseShare.objects.filter(case=OuterRef("pk"), user=user, ended_at__isnull=True))


def _full_filter(user) -> Q:
    return Q(owner=user) | Q(supervisor=user) | Q(_shared(user)) | Q(_glass_open(user))


def cases_in_full_for(user) -> QuerySet[Case]:
    """The cases the user reads in full (their caseload, the ones they supervise or are shared with)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return Case.objects.filter(_full_filter(user))


def cases_visible_to(user) -> QuerySet[Case]:
    """Every case the user may open at some level (lists show only non-sensitive fields)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    scope = scope_of(user)
    q = _full_filter(user)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools)
    if classes := scope.classes(Role.HEAD_TEACHER):
        q |= Q(student__school_class__in=classes)
    return Case.objects.filter(q)


def may_break_glass(user, case: Case) -> bool:
    """A counsellor of the case's county who is not on it may open it by stating a reason (no query)."""
    return case.county_id in scope_of(user).counties(Role.COUNSELLOR)


def cases_open_to_break_glass(user) -> QuerySet[Case]:
    counties = scope_of(user).counties(Role.COUNSELLOR)
    if not counties:
        return Case.objects.none()
    return Case.objects.filter(county__in=counties)


def _with_related(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related(
        "student", "student__school_class", "student__school_class__grade", "school", "owner", "supervisor"
    )


def case_view_of(user, case: Case, *, full: bool | None = None) -> CaseView | None:
    """The level the user sees this case at, or None. `full` may be passed when already known (a list's
    annotation); otherwise it costs one query."""
    if full is None:
        full = cases_in_full_for(user).filter(pk=case.pk).exists()
    if full:
        glass = case.owner_id != user.pk and case.supervisor_id != user.pk and not _is_shared(user, case)
        return CaseView(case, FULL, broke_glass=glass)
    scope = scope_of(user)
    if case.school_id in scope.whole_schools(Role.SCHOOL_ADMIN):
        return CaseView(case, SCHOOL)
    if case.student.school_class_id in scope.classes(Role.HEAD_TEACHER):
        return CaseView(case, EXISTS)
    return None


def _is_shared(user, case: Case) -> bool:
    return CaseShare.objects.filter(case=case, user=user, ended_at__isnull=True).exists()


def get_case_for(user, pk) -> CaseView:
    """The case at the level the user may see it. 404 for anyone with no level (break-the-glass candidates get
    their own page through `get_case_for_break_glass`)."""
    case = _with_related(cases_visible_to(user)).filter(pk=pk).first()
    view = case_view_of(user, case) if case is not None else None
    if view is None:
        raise Http404("case not found")
    return view


def get_case_for_break_glass(user, pk) -> Case:
    """A case of the counsellor's county they may ask to open with a reason; 404 for everyone else."""
    case = _with_related(cases_open_to_break_glass(user)).filter(pk=pk).first()
    if case is None:
        raise Http404("case not found")
    return case


def get_case_in_full(user, pk) -> Case:
    """A case the user reads and works on in full (every write of the case file goes through this)."""
    case = _with_related(cases_in_full_for(user)).filter(pk=pk).first()
    if case is None:
        raise Http404("case not found")
    return case


def is_supervisor(user, case: Case) -> bool:
    return case.supervisor_id == getattr(user, "pk", None)


def actions_of(user) -> QuerySet[CaseAction]:
    """What cases ask of the user (a head teacher's list: no case text)."""
    if not getattr(user, "is_authenticated", False):
        return CaseAction.objects.none()
    return CaseAction.objects.filter(assignee=user).select_related("case", "case__student", "case__owner")


def case_read_record(user, view: CaseView, *, request=None, purpose: str = "care.case") -> None:
    """Log the read: who, when, which sections were shown, and the stated reason when the glass was broken."""
    detail: dict = {"sections": sorted(view.sections_shown()), "level": view.level}
    if view.broke_glass:
        glass = BreakGlass.objects.filter(case=view.case, user=user).order_by("-at").first()
        detail["reason"] = glass.reason if glass else ""
    access_record(actor=user, target=view.case, purpose=purpose, request=request, detail=detail)
