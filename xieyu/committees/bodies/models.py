"""Parent committees (家委会): a school's, a grade's or a class's committee, its members by term, its meetings and the
resolutions they pass. Charters and action items are kept here too."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Committee(models.Model):
    """One committee of one unit: the whole school, one grade or one class (the unit's guardians elect it)."""

    class Level(models.TextChoices):
        SCHOOL = "school", _("school committee")
        GRADE = "grade", _("grade committee")
        CLASS = "class", _("class committee")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="committees")
    level = models.CharField(_("committee level"), max_length=10, choices=Level.choices)
    grade = models.ForeignKey("directory.Grade", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="committees"
    )
    name = models.CharField(_("committee name"), max_length=80)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("parent committee")
        constraints = [
            models.CheckConstraint(
                name="committee_unit_matches_level",
                condition=(
                    Q(level="school", grade__isnull=True, school_class__isnull=True)
                    | Q(level="grade", grade__isnull=False, school_class__isnull=True)
                    | Q(level="class", school_class__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["school"], condition=Q(level="school"), name="one_school_committee_per_school"
            ),
            models.UniqueConstraint(fields=["grade"], condition=Q(level="grade"), name="one_committee_per_grade"),
            models.UniqueConstraint(
                fields=["school_class"], condition=Q(level="class"), name="one_committee_per_class"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A guardian's seat on a committee for one term. A seat that ended keeps its row (history): ended_at and why."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair (主任)")
        VICE_CHAIR = "vice_chair", _("vice chair (副主任)")
        MEMBER = "member", _("member (委员)")
        SECRETARY = "secretary", _("secretary (秘书)")

    class Chosen(models.TextChoices):
        ELECTION = "election", _("elected")
        APPOINTMENT = "appointment", _("appointed")

    class EndReason(models.TextChoices):
        TERM_ENDED = "term_ended", _("term ended")
        RESIGNED = "resigned", _("resigned")
        LEFT_SCHOOL = "left_school", _("left the school")
        REMOVED = "removed", _("removed by the committee")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    guardian = models.ForeignKey("directory.Guardian", on_delete=models.PROTECT, related_name="committee_seats")
    role = models.CharField(_("committee role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    chosen = models.CharField(_("how chosen"), max_length=12, choices=Chosen.choices)
    # An election: the votes as counted ({"for": 31, "against": 2, "abstain": 1, "voters": 34}).
    vote_record = models.JSONField(_("vote record"), default=dict, blank=True)
    # An appointment: the meeting that approved it.
    approving_meeting = models.ForeignKey(
        "committees.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=12, choices=EndReason.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("committee member")
        indexes = [models.Index(fields=["guardian", "ended_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "guardian"], condition=Q(ended_at__isnull=True), name="one_open_seat_per_guardian"
            ),
            models.CheckConstraint(name="member_term_in_order", condition=Q(term_end__gte=models.F("term_start"))),
        ]


class Meeting(models.Model):
    """A committee meeting: agenda, the invitation (an event, so RSVP and attendance are the events engine's), and
    minutes published to the unit's guardians."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", pgettext_lazy("meeting", "held")
        PUBLISHED = "published", _("minutes published")
        CANCELLED = "cancelled", _("cancelled")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("meeting title"), max_length=80)
    agenda = models.TextField(_("agenda"))
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    event = models.OneToOneField(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="committee_meeting"
    )
    status = models.CharField(_("meeting status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("committee meeting")
        ordering = ["-starts_at"]


class Resolution(models.Model):
    """A resolution passed (or not) at a meeting: the basis of a charter's adoption or a committee's inquiry."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField(_("resolution number"))
    text = models.TextField(pgettext_lazy("committee", "resolution"))
    votes_for = models.PositiveSmallIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), default=0)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), default=0)
    passed = models.BooleanField(_("passed"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("committee", "resolution")
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="one_resolution_number_per_meeting")]


class Charter(models.Model):
    """A committee's charter (章程): one per committee, in numbered versions."""

    committee = models.OneToOneField(Committee, on_delete=models.CASCADE, related_name="charter")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("charter")


class CharterVersion(models.Model):
    """One version of a charter: a draft, adopted at a meeting (by one of its resolutions), then superseded by the
    next adopted version. At most one version of a charter is adopted (the current one)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ADOPTED = "adopted", _("in force")
        SUPERSEDED = "superseded", _("superseded")

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("charter text"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    status = models.CharField(_("charter status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    resolution = models.ForeignKey(
        Resolution, null=True, blank=True, on_delete=models.PROTECT, related_name="adopted_charters"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("charter version")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "number"], name="one_charter_version_number"),
            models.UniqueConstraint(
                fields=["charter"], condition=Q(status="adopted"), name="one_adopted_charter_version"
            ),
        ]


class ActionItem(models.Model):
    """An action the minutes assign: to a member or to the school's staff, due on a date (on the deadline engine,
    policy committee.action)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(_("action"), max_length=300)
    owner_member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="action_items"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_name = models.CharField(max_length=50)
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.CharField(_("what was done"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("action item")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner_user", "done_at"])]
