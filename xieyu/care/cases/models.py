"""Casework: a case about one child, its sections, services, follow-ups, flags, approvals and mandatory reports.

Need to know (cases/access.py): a case is read in full by its owner (a counsellor), its supervisor and the people
it is shared with; a head teacher sees that a case exists for their pupil and the actions asked of them; a school
admin sees the school's cases without the sensitive sections; the county sees counts. Anyone else of the county's
counsellors may open a case only by stating a reason (BreakGlass), which is logged and put before the supervisor.
Every read of a case is an audit AccessEvent with the sections read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """The parts of a case file. Consent and referrals name sections; the sensitive ones never appear in lists,
    exports, notices or search results."""

    SUMMARY = "summary", _("situation summary")
    ASSESSMENT = "assessment", _("assessment")
    PLAN = "plan", _("plan")
    FAMILY_SUPPORT = "family_support", _("family support")
    SCHOOL_SUPPORT = "school_support", _("support at school")
    HEALTH = "health", _("health and development")
    DIAGNOSIS = "diagnosis", _("diagnosis")
    ABUSE = "abuse", _("abuse details")
    FAMILY_CONFLICT = "family_conflict", _("family conflict")


SENSITIVE_SECTIONS = frozenset({Section.DIAGNOSIS, Section.ABUSE, Section.FAMILY_CONFLICT})


class Case(models.Model):
    class State(models.TextChoices):
        INTAKE = "intake", _("intake")
        ASSESSMENT = "assessment", _("assessment")
        PLAN = "plan", _("plan")
        SERVICES = "services", _("services")
        REVIEW = "review", _("review")
        CLOSED = "closed", _("closed")

    class Risk(models.TextChoices):
        LOW = "low", _("low risk")
        MEDIUM = "medium", _("medium risk")
        HIGH = "high", _("high risk")
        CRITICAL = "critical", _("immediate danger")

    class Origin(models.TextChoices):
        URGENT_QUESTION = "urgent_question", _("an urgent question")
        CLINIC = "clinic", _("a clinic outcome")
        HEAD_TEACHER = "head_teacher", _("a head teacher's concern")
        HOME_VISIT = "home_visit", _("a home visit")
        PARTNER = "partner", _("a partner's report")
        REGISTRY = "registry", _("a registry review")

    student = models.ForeignKey("directory.Student", on_delete=models.PROTECT, related_name="care_cases")
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(
        "care.RegistryEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    title = models.CharField(_("title"), max_length=80)  # not sensitive: shown in lists
    origin = models.CharField(_("opened from"), max_length=20, choices=Origin.choices)
    question = models.ForeignKey(
        "questions.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="care_cases"
    )
    clinic_booking = models.ForeignKey(
        "questions.ClinicBooking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_cases_owned")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_cases_supervised"
    )
    risk = models.CharField(_("risk level"), max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.INTAKE)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    next_due_on = models.DateField(_("next due"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(_("reason for closing"), max_length=300, blank=True)
    # When the case was last reopened: a closure approval requested before it no longer closes the case.
    reopened_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        indexes = [
            models.Index(fields=["owner", "state"]),
            models.Index(fields=["supervisor", "state"]),
            models.Index(fields=["county", "state"]),
            models.Index(fields=["school", "state"]),
        ]

    def __str__(self) -> str:
        return f"case {self.pk}"


class CaseSection(models.Model):
    """The text of one section of a case file (one row per section)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sections")
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    body = models.TextField(_("text"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "section"], name="case_section_once")]

    @property
    def sensitive(self) -> bool:
        return self.section in SENSITIVE_SECTIONS


class CaseShare(models.Model):
    """A case explicitly shared with one more person (a colleague, a head teacher for a plan), with why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_case_shares")
    reason = models.CharField(_("reason"), max_length=200)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=models.Q(ended_at__isnull=True), name="case_share_open"
            )
        ]


class BreakGlass(models.Model):
    """A counsellor not assigned to a case opened it with a stated reason; it stays open to them for a while
    (settings.CARE_BREAK_GLASS_HOURS) and sits on the supervisor's review list until reviewed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "user", "expires_at"])]


class Approval(models.Model):
    """A plan or a closure asked of the case's supervisor: requested, then approved or rejected with a comment."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("plan")
        CLOSURE = "closure", _("closure")

    class State(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.REQUESTED)
    text = models.TextField(_("text"))  # the plan as submitted, or the reason for closing
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"], condition=models.Q(state="requested"), name="one_pending_approval"
            )
        ]


class ServiceKind(models.TextChoices):
    COUNSELLING = "counselling", _("psychological counselling")
    REHABILITATION = "rehabilitation", _("rehabilitation guidance")
    STUDY = "study", _("study support")
    CAREER = "career", _("career guidance")
    FAMILY_CONTACT = "family_contact", _("family contact")
    MATERIAL = "material", _("material support")
    OTHER = "other", _("other service")


class CaseService(models.Model):
    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("under way")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("service"), max_length=16, choices=ServiceKind.choices)
    provider = models.CharField(_("provider"), max_length=80)
    agency = models.ForeignKey(
        "directory.PartnerAgency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "pk"]


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("home visit")
        CALL = "call", _("phone call")
        MEETING = "meeting", _("meeting at school")
        MESSAGE = "message", _("message")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"), default=timezone.localdate)
    note = models.TextField(_("note"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]


class Flag(models.Model):
    """A warning on a case (self-harm risk, a carer who cannot be reached …) with a reason, and why it was lifted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(_("reason"), max_length=200)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    lifted_reason = models.CharField(_("reason for lifting"), max_length=200, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]


class CaseAction(models.Model):
    """Something the case asks of a person who does not read the case file (a head teacher): the text is written
    for them and holds nothing sensitive."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="care_actions")
    text = models.CharField(_("what is asked"), max_length=300)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["done_at", "due_on", "pk"]


class MandatoryReport(models.Model):
    """A report of suspected abuse, neglect or violence to the police or civil affairs (未成年人保护法 §11).

    No consent is needed for it. It is recorded with the time and the recipient; the case cannot be closed while a
    report lacks the recipient's reference number."""

    class Concern(models.TextChoices):
        ABUSE = "abuse", _("suspected abuse")
        NEGLECT = "neglect", _("suspected neglect")
        VIOLENCE = "violence", _("suspected violence")

    class Recipient(models.TextChoices):
        POLICE = "police", _("public security (police)")
        CIVIL_AFFAIRS = "civil_affairs", _("civil affairs")
        OTHER = "other", _("other authority")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reports")
    concern = models.CharField(_("concern"), max_length=10, choices=Concern.choices)
    recipient = models.CharField(_("reported to"), max_length=16, choices=Recipient.choices)
    recipient_name = models.CharField(_("office and person reported to"), max_length=100)
    body = models.TextField(_("report"))
    reported_at = models.DateTimeField(_("reported at"))
    reference_number = models.CharField(_("reference number"), max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_at"]


class CaseRequest(models.Model):
    """A head teacher's concern about a pupil (or an expert's, after a clinic), asking the county's counsellors for a case. It waits on the
    counsellors' list until one of them claims it: the claim opens the case (origin: a head teacher's concern) with
    the claimer as its owner. The concern is written for the counsellors; the head teacher then sees the case at
    their own level (that it exists, its owner, the actions asked of them)."""

    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="care_case_requests")
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="+")
    concern = models.TextField(_("concern"))
    # A head teacher's concern, or an expert's after a clinic appointment (the booking whose outcome raised it).
    origin = models.CharField(max_length=20, choices=Case.Origin.choices, default=Case.Origin.HEAD_TEACHER)
    clinic_booking = models.ForeignKey(
        "questions.ClinicBooking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    case = models.OneToOneField(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="request")

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["county", "claimed_at"])]
