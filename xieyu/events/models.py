"""Any scheduled activity: who organises it, which families it is for, registration, check-in, feedback."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return secrets.token_hex(16)


class Event(models.Model):
    class Kind(models.TextChoices):
        LECTURE = "lecture", _("lecture")
        OBSERVATION = "observation", _("observation lesson")
        FAMILY = "family", _("parent-child activity")
        OPEN_DAY = "open_day", _("parents' open day")
        PARENT_MEETING = "parent_meeting", _("parent meeting")
        HOME_VISIT_DAY = "home_visit_day", _("home visit day")
        CLINIC = "clinic", _("education clinic")
        LAW_STUDY = "law_study", _("law study")
        FAMILY_TRADITION = "family_tradition", _("family tradition lecture tour")
        AFTER_SCHOOL_OPEN_DAY = "after_school_open_day", _("after-school service open day")
        HOMEWORK_MEETING = "homework_meeting", _("homework discussion meeting")
        VENUE_VISIT = "venue_visit", _("venue visit")
        COMMITTEE_MEETING = "committee_meeting", _("parent committee meeting")
        DOUBLE_REDUCTION_MEETING = "double_reduction_meeting", _("double reduction parent meeting")
        AFTER_SCHOOL_SESSION = "after_school_session", _("after-school service session")
        COMMUNITY_ACTIVITY = "community_activity", _("community activity for children")
        INTO_COMMUNITY = "into_community", _("teachers into the community")
        INTO_SCHOOL = "into_school", _("community volunteers into the school")
        TOUR_STOP = "tour_stop", _("lecture tour stop")

    class Organiser(models.TextChoices):
        SCHOOL = "school", _("school")
        COUNTY = "county", _("county")
        COMMUNITY = "community", _("community")

    class Audience(models.TextChoices):
        CLASS = "class", _("one class")
        GRADE = "grade", _("one grade")
        SCHOOL = "school", _("whole school")
        COUNTY = "county", _("whole county")
        TOWN = "town", _("families of one town's schools")
        REGISTERED = "registered", _("any registered family")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("type"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    organiser = models.CharField(_("organiser"), max_length=10, choices=Organiser.choices)
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(
        "directory.Community", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    audience_grade = models.ForeignKey(
        "directory.Grade", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    audience_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    audience_town = models.ForeignKey(
        "directory.Town", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), default=0, help_text=_("0 means no limit"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    qr_secret = models.CharField(max_length=32, default=new_secret)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["county", "starts_at"]),
            models.Index(fields=["school", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)


class Staff(models.Model):
    """Who works at an event besides its organiser: the instructor of a parent-school session, the expert of a clinic,
    a helper of an after-school session, a guide of a venue visit. Staff see the event; the app that placed them
    (`source`, e.g. "teams.assignment:42") keeps why and for how long they worked."""

    class Role(models.TextChoices):
        INSTRUCTOR = "instructor", _("instructor")
        EXPERT = "expert", _("expert")
        HELPER = "helper", _("helper")
        GUIDE = "guide", _("guide")
        HOST = "host", _("host")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_staff")
    role = models.CharField(_("staff role"), max_length=12, choices=Role.choices)
    source = models.CharField(max_length=60, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="event_staff_once_per_person")]
        indexes = [models.Index(fields=["user", "event"])]


class Registration(models.Model):
    """One family (a student) registered by one of its guardians. At most one live registration per family."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        WAITLISTED = "waitlisted", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey("directory.Guardian", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REGISTERED)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "student"],
                condition=~models.Q(status="cancelled"),
                name="registration_one_live_per_family",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"]), models.Index(fields=["guardian", "status"])]


class Attendance(models.Model):
    """A family came: who came, when, and how the attendance was recorded. Once per family per event.

    `guardian` is the guardian on the roster who came; empty when a family member not on the roster came (then
    `companion` may hold the name they gave). `method` is the source: the scanned code, the organiser's list, a
    walk-in checked in at the door, or the paper sign-in sheet entered afterwards."""

    class Method(models.TextChoices):
        QR = "qr", _("scanned the code")
        ORGANISER = "organiser", _("checked in by the organiser")
        WALK_IN = "walk_in", _("walk-in, checked in by the organiser")
        PAPER = "paper", _("from the paper sign-in sheet")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="+")
    guardian = models.ForeignKey(
        "directory.Guardian", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    companion = models.CharField(_("who came, if not a guardian on the roster"), max_length=20, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices)
    checked_in_at = models.DateTimeField(default=timezone.now)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["checked_in_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "student"], name="attendance_once_per_family")]
        indexes = [models.Index(fields=["student", "checked_in_at"])]

    @property
    def who_came(self) -> str:
        """The guardian's name, or the name a family member not on the roster gave, or that they were one."""
        if self.guardian_id is not None:
            return self.guardian.name  # type: ignore[union-attr]  # set when guardian_id is
        return self.companion or str(_("a family member not on the roster"))


class Feedback(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    guardian = models.ForeignKey("directory.Guardian", on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "guardian"], name="feedback_once_per_guardian"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_5"),
        ]


class Material(models.Model):
    """Slides or a link shared after the event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=100)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(upload_to="events/materials/", blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
