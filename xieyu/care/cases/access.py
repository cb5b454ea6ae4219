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
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.audit.models import AccessEvent
from xieyu.audit.services import access_record
from xieyu.directory.access import students_visible_to
from xieyu.directory.models import Student
from xieyu.questions.asking.access import questions_visible_to

from .models import (
    SENSITIVE_SECTIONS,
    Approval,
    BreakGlass,
    Case,
    CaseAction,
    CaseRequest,
    CaseSection,
    CaseService,
    CaseShare,
    Flag,
    FollowUp,
    MandatoryReport,
    Section,
)

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
    """Owner, supervisor, shared with, or the glass broken — and still on the county's staff: someone whose roles
    there ended (a counsellor who left) reads none of their old cases (least privilege, 条例 §36)."""
    on_case = Q(owner=user) | Q(supervisor=user) | Q(_shared(user)) | Q(_glass_open(user))
    return on_case & Q(county__in=scope_of(user).reach_counties(*Role))


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


# --- lists and the pages' parts (each one query) --------------------------------------------------------------------


def may_open_cases(user) -> bool:
    """A counsellor of some county opens cases (no query beyond the scope)."""
    return bool(scope_of(user).counties(Role.COUNSELLOR))


def case_list_for(user, *, state: str = "") -> QuerySet[Case]:
    """The cases the user may open, for a list (never section text), each with `in_full` annotated: open cases by
    next due date, then the newest."""
    qs = cases_visible_to(user)
    if state in Case.State.values:
        qs = qs.filter(state=state)
    elif state != "all":
        qs = qs.exclude(state=Case.State.CLOSED)
    full = _full_filter(user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return (
        _with_related(qs)
        .annotate(in_full=ExpressionWrapper(full, output_field=BooleanField()))
        .order_by(F("next_due_on").asc(nulls_last=True), "-opened_at", "-pk")
    )


def caseload_of(user) -> QuerySet[Case]:
    """The user's own open cases (as owner), by next due date, then the oldest opened first."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return (
        _with_related(Case.objects.filter(owner=user).exclude(state=Case.State.CLOSED))
        .annotate(open_flags=Count("flags", filter=Q(flags__lifted_at__isnull=True)))
        .order_by(F("next_due_on").asc(nulls_last=True), "opened_at", "pk")
    )


def approvals_waiting_for(user) -> QuerySet[Approval]:
    """Plans and closures waiting for the user's decision as the cases' supervisor, oldest first."""
    if not getattr(user, "is_authenticated", False):
        return Approval.objects.none()
    return (
        Approval.objects.filter(case__supervisor=user, state=Approval.State.REQUESTED)
        .select_related("case", "case__student", "case__school", "case__owner")
        .order_by("requested_at", "pk")
    )


def break_glass_to_review(user) -> QuerySet[BreakGlass]:
    """Opens of the user's supervised cases by people not on them, not yet reviewed, oldest first."""
    if not getattr(user, "is_authenticated", False):
        return BreakGlass.objects.none()
    return (
        BreakGlass.objects.filter(case__supervisor=user, reviewed_at__isnull=True)
        .select_related("case", "case__student", "case__school", "user")
        .order_by("at", "pk")
    )


def open_flags_for(user) -> QuerySet[Flag]:
    """Flags still raised on the cases the user owns or supervises, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Flag.objects.none()
    return (
        Flag.objects.filter(Q(case__owner=user) | Q(case__supervisor=user), lifted_at__isnull=True)
        .exclude(case__state=Case.State.CLOSED)
        .select_related("case", "case__student")
        .order_by("-at", "-pk")
    )


def get_approval_to_decide(user, pk) -> Approval:
    """A pending or decided approval of a case the user supervises (only the supervisor decides)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("approval not found")
    approval = Approval.objects.filter(case__supervisor=user, pk=pk).select_related("case", "case__student").first()
    if approval is None:
        raise Http404("approval not found")
    return approval


def get_glass_to_review(user, pk) -> BreakGlass:
    if not getattr(user, "is_authenticated", False):
        raise Http404("break-glass open not found")
    glass = BreakGlass.objects.filter(case__supervisor=user, pk=pk).select_related("case", "user").first()
    if glass is None:
        raise Http404("break-glass open not found")
    return glass


def get_action_for(user, pk) -> CaseAction:
    """An action asked of the user (the head teacher marks it done)."""
    action = actions_of(user).filter(pk=pk).first()
    if action is None:
        raise Http404("action not found")
    return action


def part_of_case(view: CaseView, model, pk) -> Any:
    """A row of a case the user works on in full (a service, a flag, a report, a share); 404 otherwise."""
    if not view.full:
        raise Http404("not found")
    row = model.objects.filter(case=view.case, pk=pk).first()
    if row is None:
        raise Http404("not found")
    return row


def sections_of(view: CaseView) -> list[CaseSection]:
    """The case file's sections the view may show, in the order of Section (sensitive ones only in full)."""
    shown = view.sections_shown()
    if not shown:
        return []
    order = {s: i for i, s in enumerate(Section.values)}
    rows = [s for s in CaseSection.objects.filter(case=view.case, section__in=shown).select_related("updated_by")]
    return sorted(rows, key=lambda s: order[s.section])


def case_parts(view: CaseView) -> dict[str, list]:
    """The rest of the case page at the view's level: a fixed number of queries whatever the case's history."""
    case = view.case
    parts: dict[str, list] = {"approvals": [], "services": [], "follow_ups": [], "flags": [], "reports": [],
                              "shares": [], "actions": []}  # fmt: skip
    if view.level == EXISTS:
        return parts
    parts["services"] = list(CaseService.objects.filter(case=case).select_related("agency"))
    parts["flags"] = list(Flag.objects.filter(case=case).select_related("by", "lifted_by"))
    parts["actions"] = list(CaseAction.objects.filter(case=case).select_related("assignee"))
    if view.full:
        parts["approvals"] = list(Approval.objects.filter(case=case).select_related("requested_by", "decided_by"))
        parts["follow_ups"] = list(FollowUp.objects.filter(case=case).select_related("by")[:50])
        parts["reports"] = list(MandatoryReport.objects.filter(case=case))
        parts["shares"] = list(CaseShare.objects.filter(case=case, ended_at__isnull=True).select_related("user"))
    return parts


def actions_on_case_for(user, case: Case) -> list[CaseAction]:
    return list(actions_of(user).filter(case=case))


def may_see_who_viewed(user, case: Case) -> bool:
    return getattr(user, "pk", None) in (case.owner_id, case.supervisor_id)


def who_viewed(user, case: Case, limit: int = 50) -> list[AccessEvent]:
    """Who read the case, newest first, with the sections and the reason: for its owner and supervisor only."""
    if not may_see_who_viewed(user, case):
        return []
    rows = list(
        AccessEvent.objects.filter(target_type=Case._meta.label_lower, target_id=str(case.pk)).order_by("-at", "-pk")[
            :limit
        ]
    )
    labels = dict(Role.choices)
    for row in rows:
        roles = [r.split(":", 1)[0] for r in (row.actor_roles or "").split(",") if r]
        row.role_names = [str(labels.get(r, r)) for r in dict.fromkeys(roles)]
        detail = row.detail or {}
        row.sections_read = [str(Section(s).label) for s in detail.get("sections", []) if s in Section.values]
        row.reason = detail.get("reason", "")
    return rows


def linked_question_for(user, case: Case):
    """The question the case came from, only if the user may see it themselves (a linked record is shown at the
    viewer's own level, never through the case)."""
    if case.question_id is None:
        return None
    return questions_visible_to(user).filter(pk=case.question_id).first()


def cases_of_entry_for(user, entry) -> list[CaseView]:
    """The cases linked from a registry entry, each at the user's own level (none they may not see)."""
    found = list(
        _with_related(cases_visible_to(user).filter(entry=entry)).annotate(
            in_full=ExpressionWrapper(_full_filter(user), output_field=BooleanField())
        )
    )
    views = [case_view_of(user, c, full=c.in_full) for c in found]
    return [v for v in views if v is not None]


def team_candidates(county_id: int, *, roles=(Role.COUNSELLOR,)) -> QuerySet:
    """Active users holding one of the roles in the county (owner and supervisor choices)."""
    return (
        get_user_model()
        .objects.filter(
            membership__role__in=list(roles),
            membership__county_id=county_id,
            membership__is_active=True,
            is_active=True,
        )  # fmt: skip
        .distinct()
        .order_by("name", "pk")
    )


def counties_counselled(user) -> set[int]:
    return scope_of(user).counties(Role.COUNSELLOR)


# --- a head teacher's request for a case ----------------------------------------------------------------------------


def pupils_for_request(user) -> QuerySet[Student]:
    """The pupils of the head teacher's classes (a request for a case is about one of them)."""
    classes = scope_of(user).classes(Role.HEAD_TEACHER)
    if not classes:
        return Student.objects.none()
    return (
        students_visible_to(user)
        .filter(school_class__in=classes, status=Student.Status.ENROLLED)
        .select_related("school", "school_class", "school_class__grade")
        .order_by("name", "pk")
    )


def requests_open_to(user) -> QuerySet[CaseRequest]:
    """Head teachers' requests waiting for a counsellor of the user's counties, oldest first."""
    counties = scope_of(user).counties(Role.COUNSELLOR)
    if not counties:
        return CaseRequest.objects.none()
    return (
        CaseRequest.objects.filter(county__in=counties, claimed_at__isnull=True)
        .select_related("student", "school", "student__school_class", "student__school_class__grade", "requested_by")
        .order_by("requested_at", "pk")
    )


def requests_made_by(user) -> QuerySet[CaseRequest]:
    if not getattr(user, "is_authenticated", False):
        return CaseRequest.objects.none()
    return (
        CaseRequest.objects.filter(requested_by=user)
        .select_related("student", "claimed_by")
        .order_by("-requested_at", "-pk")
    )


def get_request_to_claim(user, pk) -> CaseRequest:
    found = requests_open_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404("request not found")
    return found


def open_case_of_student(user, student_id: int) -> Case | None:
    """The child's open case among those the user could open by breaking the glass (the open form links it)."""
    return cases_open_to_break_glass(user).filter(student_id=student_id).exclude(state=Case.State.CLOSED).first()


def team_candidates_for_class(case: Case) -> QuerySet:
    """The head teachers of the child's class (actions are asked of them)."""
    if case.student.school_class_id is None:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            membership__role=Role.HEAD_TEACHER,
            membership__school_class_id=case.student.school_class_id,
            membership__is_active=True,
            is_active=True,
        )  # fmt: skip
        .distinct()
        .order_by("pk")
    )


def mark_levels(user, cases) -> list[Any]:
    """Set `level` on each case of a list (annotated with `in_full`): what its row may show (no query). A head
    teacher's row shows that the case exists and its owner, not its state or risk."""
    scope = scope_of(user)
    schools = scope.whole_schools(Role.SCHOOL_ADMIN)
    rows = list(cases)
    for c in rows:
        c.level = FULL if getattr(c, "in_full", False) else SCHOOL if c.school_id in schools else EXISTS
    return rows
