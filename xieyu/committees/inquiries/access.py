"""Who may see or act on which inquiry and which teacher-ethics concern. Missing and forbidden both answer 404.

Inquiries: every guardian of the unit (school, grade, class) sees its inquiries, drafts gathering signatures
included; staff see filed ones only (a draft is the guardians' own business until it is filed): a county admin the
county's, a school admin the school's (and answers them), a head teacher her class's, her grade's and her school's.

Concerns: the guardian who raised one; the school's admins when it was sent to the school (never one whose name
is the teacher's); the county's admins, all of the county's. Teachers and head teachers never see a concern.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.deadlines.models import Deadline
from xieyu.directory.models import Guardianship, Student

from ..access import guardian_of, guardian_units, seats_of, unit_q
from ..models import Member, Resolution
from .models import Concern, Inquiry, Round, Signature

OFFICER_ROLES = (Member.Role.CHAIR, Member.Role.SECRETARY)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _staff_q(user) -> Q:
    scope = scope_of(user)
    q = Q(pk__in=[])
    if counties := scope.counties(Role.COUNTY_ADMIN):
        q |= Q(county__in=counties)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools)
    if classes := scope.classes(Role.HEAD_TEACHER):
        grades = {c.grade_id for g in scope.of(Role.HEAD_TEACHER) if (c := g.membership.school_class) is not None}
        q |= Q(level=Inquiry.Level.CLASS, school_class__in=classes)
        q |= Q(level=Inquiry.Level.GRADE, grade__in=grades)
        q |= Q(level=Inquiry.Level.SCHOOL, school__in=scope.schools(Role.HEAD_TEACHER))
    return q & ~Q(state=Inquiry.State.DRAFT)


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    if not _authenticated(user):
        return Inquiry.objects.none()
    q = _staff_q(user)
    if units := guardian_units(user):
        q |= unit_q(units)
    return Inquiry.objects.filter(q)


def inquiries_answered_by(user) -> QuerySet[Inquiry]:
    """Inquiries the user answers for the school: its school admins."""
    if not _authenticated(user):
        return Inquiry.objects.none()
    schools = scope_of(user).whole_schools(Role.SCHOOL_ADMIN)
    return Inquiry.objects.filter(school__in=schools).exclude(state=Inquiry.State.DRAFT)


def inquiries_directed_by(user) -> QuerySet[Inquiry]:
    """Inquiries the county may direct a second answer on: its county admins."""
    if not _authenticated(user):
        return Inquiry.objects.none()
    return Inquiry.objects.filter(county__in=scope_of(user).counties(Role.COUNTY_ADMIN)).exclude(
        state=Inquiry.State.DRAFT
    )


def with_related(qs: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    return qs.select_related("school", "grade", "school_class__grade", "committee", "resolution__meeting")


def attach_clocks(inquiries: list[Inquiry]) -> list[Inquiry]:
    """Give each inquiry its latest round (`current_round`) and that round's clock (`clock`): two queries."""
    latest: dict[int, Round] = {}
    for rnd in Round.objects.filter(inquiry__in=[i.pk for i in inquiries]).order_by("inquiry_id", "number"):
        latest[rnd.inquiry_id] = rnd
    clocks = {
        d.target_id: d
        for d in Deadline.objects.filter(
            target_type=Round._meta.label_lower, target_id__in=[str(r.pk) for r in latest.values()]
        )
    }
    for inquiry in inquiries:
        current = latest.get(inquiry.pk)
        setattr(inquiry, "current_round", current)  # noqa: B010 — an attribute for the page only
        setattr(inquiry, "clock", clocks.get(str(current.pk)) if current else None)  # noqa: B010
    return inquiries


def get_inquiry_for(user, pk, *, write: bool = False) -> Inquiry:
    """`write`: the school's admin answering it."""
    qs = inquiries_answered_by(user) if write else inquiries_visible_to(user)
    inquiry = with_related(qs).filter(pk=pk).first()
    if inquiry is None:
        raise Http404("inquiry not found")
    return inquiry


def get_inquiry_to_direct(user, pk) -> Inquiry:
    inquiry = with_related(inquiries_directed_by(user)).filter(pk=pk).first()
    if inquiry is None:
        raise Http404("inquiry not found")
    return inquiry


def inquiry_list_for(user, *, state: str = "") -> QuerySet[Inquiry]:
    """The list page's rows, with whether the user signed each (one query)."""
    qs = with_related(inquiries_visible_to(user))
    if state in Inquiry.State.values:
        qs = qs.filter(state=state)
    guardian = guardian_of(user)
    signed = Signature.objects.filter(inquiry=OuterRef("pk"), guardian=guardian) if guardian else None
    if signed is not None:
        qs = qs.annotate(signed=Exists(signed))
    return qs.order_by("-created_at", "-pk")


def drafts_to_sign(user) -> QuerySet[Inquiry]:
    """Drafts gathering signatures in the guardian's units that she has not signed yet."""
    units = guardian_units(user)
    guardian = guardian_of(user) if units else None
    if guardian is None:
        return Inquiry.objects.none()
    mine = Signature.objects.filter(inquiry=OuterRef("pk"), guardian=guardian)
    return (
        with_related(Inquiry.objects.filter(unit_q(units), state=Inquiry.State.DRAFT))
        .annotate(signed=Exists(mine))
        .filter(signed=False)
    )


def signed_answered(user) -> QuerySet[Inquiry]:
    """Inquiries the guardian signed (or filed) that have an answer."""
    guardian = guardian_of(user)
    if guardian is None:
        return Inquiry.objects.none()
    units = guardian_units(user)
    return with_related(
        Inquiry.objects.filter(unit_q(units))
        .filter(Q(signatures__guardian=guardian) | Q(proposer=guardian))
        .filter(state__in=[Inquiry.State.ANSWERED, Inquiry.State.ACCEPTED])
        .distinct()
    ).order_by("-answered_at", "-pk")


def is_inquirer(user, inquiry: Inquiry) -> bool:
    """The filer, a co-signer, or (a committee's inquiry) one of its chair and secretaries."""
    guardian = guardian_of(user)
    if guardian is None or not (guardian_units(user) and inquiries_visible_to(user).filter(pk=inquiry.pk).exists()):
        return False
    if inquiry.proposer_id == guardian.pk:
        return True
    if inquiry.origin == Inquiry.Origin.COMMITTEE:
        return seats_of(user).filter(committee_id=inquiry.committee_id or 0, role__in=OFFICER_ROLES).exists()
    return inquiry.signatures.filter(guardian=guardian).exists()


def my_signature(user, inquiry: Inquiry) -> Signature | None:
    guardian = guardian_of(user)
    if guardian is None:
        return None
    return inquiry.signatures.filter(guardian=guardian).first()


def resolutions_for_filing(user) -> QuerySet[Resolution]:
    """Passed resolutions of the committees where the user is chair or secretary, not yet cited by an inquiry."""
    committees = seats_of(user).filter(role__in=OFFICER_ROLES).values("committee_id")
    return (
        Resolution.objects.filter(meeting__committee__in=committees, passed=True, inquiries__isnull=True)
        .select_related("meeting__committee")
        .order_by("-meeting__starts_at", "number")
    )


def get_resolution_for_filing(user, pk) -> Resolution:
    resolution = resolutions_for_filing(user).filter(pk=pk).first()
    if resolution is None:
        raise Http404("resolution not found")
    return resolution


def units_for_raising(user) -> list[tuple[str, str, int, str]]:
    """The units a guardian may raise an inquiry on: (key, level, id, label) for her school, grade and class."""
    units = guardian_units(user)
    if not units:
        return []
    rows = list(
        Student.objects.filter(guardians_q(user), school_class__in=units.classes, status=Student.Status.ENROLLED)
        .select_related("school", "school_class__grade")
        .order_by("school_id", "school_class_id")
    )
    out: dict[str, tuple[str, str, int, str]] = {}
    for s in rows:
        c = s.school_class
        if c is None:
            continue
        out.setdefault(f"school-{s.school_id}", (f"school-{s.school_id}", "school", s.school_id, s.school.name))
        out.setdefault(
            f"grade-{c.grade_id}", (f"grade-{c.grade_id}", "grade", c.grade_id, f"{s.school.name} {c.grade}")
        )
        out.setdefault(f"class-{c.pk}", (f"class-{c.pk}", "class", c.pk, f"{s.school.name} {c}"))
    return list(out.values())


def guardians_q(user) -> Q:
    return Q(guardianships__guardian__user=user, guardianships__status=Guardianship.Status.CONFIRMED)


# --- concerns ----------------------------------------------------------------------------------------------


def concerns_visible_to(user) -> QuerySet[Concern]:
    if not _authenticated(user):
        return Concern.objects.none()
    q = Q(raised_by=user)
    q |= _concern_staff_q(user)
    return Concern.objects.filter(q)


def _concern_staff_q(user) -> Q:
    scope = scope_of(user)
    q = Q(pk__in=[])
    if counties := scope.counties(Role.COUNTY_ADMIN):
        q |= Q(county__in=counties)
    if schools := scope.whole_schools(Role.SCHOOL_ADMIN):
        q |= Q(school__in=schools, route=Concern.Route.SCHOOL, about_leadership=False) & ~Q(teacher_name=user.name)
    return q


def concerns_handled_by(user) -> QuerySet[Concern]:
    """The concerns the user answers: school admins those sent to the school, county admins the county's."""
    if not _authenticated(user):
        return Concern.objects.none()
    return Concern.objects.filter(_concern_staff_q(user))


def get_concern_for(user, pk, *, write: bool = False) -> Concern:
    qs = concerns_handled_by(user) if write else concerns_visible_to(user)
    concern = qs.select_related("school", "student", "guardian").filter(pk=pk).first()
    if concern is None:
        raise Http404("concern not found")
    return concern


def concerns_raised_by(user) -> QuerySet[Concern]:
    if not _authenticated(user):
        return Concern.objects.none()
    return Concern.objects.filter(raised_by=user).select_related("school", "student")


def children_for_concern(user) -> QuerySet[Student]:
    """The guardian's own confirmed, enrolled children (a concern is about one child's school)."""
    if not _authenticated(user):
        return Student.objects.none()
    return (
        Student.objects.filter(guardians_q(user), status=Student.Status.ENROLLED, school_class__isnull=False)
        .select_related("school")
        .distinct()
        .order_by("pk")
    )


# --- the county's overview -----------------------------------------------------------------------------------


def overview_counties(user) -> set[int]:
    return scope_of(user).counties(Role.COUNTY_ADMIN) if _authenticated(user) else set()


def overview_rows(user, now) -> list[dict]:
    """Per school of the user's counties: the kept tallies and the open, overdue rounds (two queries)."""
    from django.db.models import Count

    from .models import InquiryTally

    counties = overview_counties(user)
    if not counties:
        return []
    rows = {
        t.school_id: {"school": t.school, "tally": t, "open": 0, "overdue": 0}
        for t in InquiryTally.objects.filter(county__in=counties).select_related("school").order_by("school__name")
    }
    open_rounds = (
        Deadline.objects.filter(
            county__in=counties, target_type=Round._meta.label_lower, state__in=Deadline.OPEN_STATES
        )
        .values("school_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(state=Deadline.State.RUNNING, current_due__lte=now)))
    )
    for r in open_rounds:
        if r["school_id"] in rows:
            rows[r["school_id"]]["open"], rows[r["school_id"]]["overdue"] = r["open"], r["overdue"]
    return list(rows.values())


def overdue_inquiries(user, now) -> QuerySet[Deadline]:
    """The overdue clocks of inquiries in the user's counties (county admins), oldest due first."""
    counties = overview_counties(user)
    return (
        Deadline.objects.filter(
            county__in=counties,
            target_type=Round._meta.label_lower,
            state=Deadline.State.RUNNING,
            current_due__lte=now,
        )
        .select_related("school")
        .order_by("current_due", "pk")
    )


def inquiry_of_rounds(deadlines) -> dict[str, Inquiry]:
    """target_id → inquiry for these round clocks (one query)."""
    ids = [int(d.target_id) for d in deadlines]
    return {str(r.pk): r.inquiry for r in Round.objects.filter(pk__in=ids).select_related("inquiry")}


def detail_parts(inquiry: Inquiry) -> dict:
    """What the detail page shows of one inquiry: rounds, answers (latest first), pauses, the names shown."""
    rounds = list(inquiry.rounds.order_by("number"))
    answers = list(inquiry.answers.select_related("round").order_by("-version"))
    pauses = list(inquiry.pauses.order_by("paused_at", "pk"))
    shown = list(inquiry.signatures.filter(show_name=True).select_related("guardian").order_by("signed_at", "pk"))
    clock = None
    if rounds:
        clock = Deadline.objects.filter(target_type=Round._meta.label_lower, target_id=str(rounds[-1].pk)).first()
    return {
        "rounds": rounds,
        "answers": answers,
        "latest": answers[0] if answers else None,
        "earlier": answers[1:],
        "pauses": pauses,
        "shown_names": [s.guardian.name for s in shown],
        "hidden_count": max(0, inquiry.signature_count - len(shown)),
        "clock": clock,
        "current_round": rounds[-1] if rounds else None,
    }


def concern_school_admin(user) -> bool:
    return _authenticated(user) and bool(scope_of(user).whole_schools(Role.SCHOOL_ADMIN))
