"""Who may see a child's care record as its guardian, and who answers the guardian's requests. Missing and forbidden
both answer 404.

- A child's confirmed guardians see everything the platform holds about the child in care (registry facts with
  their source and date, the carer survey, reviews' dates, consents, that cases exist — never a case's text: the
  case file stays with the counsellors) and the record's access log of staff reads, by role only: who read it is
  said as "心理辅导员", never as the person's name. Another family's guardian, and any staff role, get 404.
- A guardian's correction or deletion request is answered by the admins of the child's school.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.audit.models import AccessEvent
from xieyu.care.cases.models import Case
from xieyu.care.referrals.models import Consent
from xieyu.care.registry.models import AbsentParent, CarerSurvey, RegistryCategory, RegistryEntry, RegistryReview
from xieyu.directory.access import children_of
from xieyu.directory.models import Student

from .models import RightsRequest

OWN_READS = ("care.rights.view", "care.rights.export")  # the guardian's own reads: not in the log they see


def rights_children_of(user) -> QuerySet[Student]:
    """The user's own confirmed children, as a guardian."""
    return children_of(user).select_related("school", "school_class", "school_class__grade")


def get_rights_child_for(user, pk) -> Student:
    child = rights_children_of(user).filter(pk=pk).first()
    if child is None:
        raise Http404("student not found")
    return child


def children_with_care_records(user, children) -> set[int]:
    """Which of these children of the user the care app holds something about (an entry or a consent): one query."""
    ids = [c.pk for c in children]
    if not ids:
        return set()
    own = rights_children_of(user).filter(pk__in=ids)
    return set(
        own.filter(Q(care_entry__isnull=False) | Q(care_consents__isnull=False) | Q(care_cases__isnull=False))
        .values_list("pk", flat=True)
        .distinct()
    )


@dataclass
class ChildRecord:
    """What the care app holds about one child, as its guardian may see it (from get_rights_child_for)."""

    student: Student
    entry: RegistryEntry | None
    categories: list[RegistryCategory] = field(default_factory=list)
    absent_parents: list[AbsentParent] = field(default_factory=list)
    surveys: list[CarerSurvey] = field(default_factory=list)
    reviews: list[RegistryReview] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)  # opened, state: never the title or any section
    requests: list[RightsRequest] = field(default_factory=list)

    @property
    def case_ids(self) -> list[int]:
        return [c["pk"] for c in self.cases]


RECORD_ROWS = 50  # each list on the page (a child's categories, consents … stay far below)


def child_record(student: Student) -> ChildRecord:
    """The child's care record: a fixed number of queries (the entry, then one per list)."""
    entry = RegistryEntry.objects.filter(student=student).select_related("community").first()
    record = ChildRecord(student=student, entry=entry)
    if entry is not None:
        record.categories = list(entry.categories.order_by("ended_on", "-noted_on", "pk")[:RECORD_ROWS])
        record.absent_parents = list(entry.absent_parents.order_by("who")[:RECORD_ROWS])
        record.surveys = list(entry.surveys.order_by("-answered_at")[:RECORD_ROWS])
        record.reviews = list(entry.reviews.only("due_on", "done_at", "entry_id").order_by("-due_on")[:RECORD_ROWS])
    record.consents = list(
        Consent.objects.filter(student=student)
        .select_related("agency", "guardian")
        .defer("scan")
        .order_by("-requested_at")[:RECORD_ROWS]
    )
    record.cases = [
        dict(row)
        for row in Case.objects.filter(student=student)
        .order_by("-opened_at")
        .values("pk", "opened_at", "state", "closed_at")[:RECORD_ROWS]
    ]
    labels = dict(Case.State.choices)
    for c in record.cases:
        c["state_label"] = labels.get(c["state"], c["state"])
    record.requests = list(RightsRequest.objects.filter(student=student).order_by("-requested_at")[:RECORD_ROWS])
    return record


def consent_state(consent: Consent, now=None) -> str:
    now = now or timezone.now()
    if consent.revoked_at is not None:
        return "revoked"
    if consent.declined_at is not None:
        return "declined"
    if consent.given_at is None:
        return "asked"
    return "live" if consent.live_at(now) else "expired"


def access_log_of(record: ChildRecord) -> QuerySet[AccessEvent]:
    """Staff reads of the child's record, its registry entry and its cases, newest first (the guardian's own reads
    and the system's are left out). Callers show the time, the role and what was read: never the name."""
    q = Q(target_type="directory.student", target_id=str(record.student.pk))
    if record.entry is not None:
        q |= Q(target_type="care.registryentry", target_id=str(record.entry.pk))
    if record.case_ids:
        q |= Q(target_type="care.case", target_id__in=[str(pk) for pk in record.case_ids])
    return (
        AccessEvent.objects.filter(q)
        .exclude(actor_roles="")
        .exclude(purpose__in=OWN_READS)
        .only("at", "actor_roles", "target_type", "purpose")
        .order_by("-at", "-pk")
    )


ROLE_LABELS = dict(Role.choices)


def roles_read_as(actor_roles: str) -> list[str]:
    """The roles an access row records ("counsellor:3,teacher:5") as their names, without units or people."""
    seen: dict[str, None] = {}
    for part in actor_roles.split(","):
        role = part.split(":", 1)[0].strip()
        if role in ROLE_LABELS:
            seen[str(ROLE_LABELS[role])] = None
    return list(seen)


# --- the school admin's side ------------------------------------------------------------------------------------


def rights_requests_for(user) -> QuerySet[RightsRequest]:
    """Requests of the children of the schools the user administers, open first, oldest open first."""
    schools = scope_of(user).whole_schools(Role.SCHOOL_ADMIN)
    if not schools:
        return RightsRequest.objects.none()
    return (
        RightsRequest.objects.filter(school__in=schools)
        .select_related("student", "student__school_class", "student__school_class__grade", "requested_by")
        .annotate(answered=models.Case(models.When(state=RightsRequest.State.OPEN, then=0), default=1))
        .order_by("answered", "requested_at", "pk")
    )


def answers_requests(user) -> bool:
    return bool(scope_of(user).whole_schools(Role.SCHOOL_ADMIN))


def get_rights_request_for(user, pk) -> RightsRequest:
    request = rights_requests_for(user).filter(pk=pk).first()
    if request is None:
        raise Http404("request not found")
    return request
