"""Notices, their audience, one delivery per recipient, and the fan-out cursor.

A notice goes to guardians (through the confirmed guardianships of enrolled students in its audience) and,
when it targets a role, to staff. The worker writes one Delivery row per recipient; every channel
(in-app, SMS, print list and hand delivery) is recorded on that row, so "not reached by any channel" is a query.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xieyu.accounts.models import Role
from xieyu.directory.models import School

DEFAULT_SMS_AFTER_HOURS = 24


class NoticePolicy(models.Model):
    """County defaults for notices (one row per county, created on first use)."""

    county = models.OneToOneField("directory.Region", on_delete=models.CASCADE, related_name="notice_policy")
    sms_after_hours = models.PositiveSmallIntegerField(
        _("SMS to unread guardians after (hours)"), default=DEFAULT_SMS_AFTER_HOURS
    )


class Notice(models.Model):
    class Kind(models.TextChoices):
        BROADCAST = "broadcast", _("notice")
        MESSAGE = "message", _("message")  # one person, about one item (an answer, an alert, an invitation)

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        RETRACTED = "retracted", _("retracted")

    class ReceiptMode(models.TextChoices):
        READ = "read", _("read only")
        CONFIRM = "confirm", _("confirm receipt")
        REPLY = "reply", _("short reply")
        CHOICE = "choice", _("one choice")

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notices_sent")
    # The unit the sender acted for: decides who above them may read the receipts.
    sender_role = models.CharField(max_length=20, choices=Role.choices, blank=True)  # blank on a message
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sender_unit = models.CharField(max_length=100, blank=True)  # "城厢小学 三年级1班", shown to guardians

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BROADCAST)
    # A message's item: the path it opens ("/questions/12/") and what it is about ("question.answer").
    link = models.CharField(max_length=200, blank=True)
    topic = models.CharField(max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=60)
    body = models.TextField(_("content"), max_length=5000)
    receipt_mode = models.CharField(_("receipt"), max_length=10, choices=ReceiptMode.choices, default="read")
    choices = models.JSONField(default=list, blank=True)
    audience_label = models.CharField(max_length=300, blank=True)
    sms_after_hours = models.PositiveSmallIntegerField(null=True, blank=True)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    created_at = models.DateTimeField(default=timezone.now)
    send_at = models.DateTimeField(_("send at"), default=timezone.now)
    fanned_out_at = models.DateTimeField(null=True, blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    sms_done_at = models.DateTimeField(null=True, blank=True)  # the SMS fallback has run for this notice
    retracted_at = models.DateTimeField(null=True, blank=True)
    retracted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retract_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-send_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "send_at"]),
            models.Index(fields=["county", "sender_role"]),
            models.Index(fields=["school", "sender_role"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def needs_response(self) -> bool:
        return self.receipt_mode != self.ReceiptMode.READ

    @property
    def is_message(self) -> bool:
        return self.kind == self.Kind.MESSAGE

    @property
    def is_retracted(self) -> bool:
        return self.status == self.Status.RETRACTED


class NoticeTarget(models.Model):
    """One part of a notice's audience; the audience is the union of its targets."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("whole county")
        SCHOOL_KIND = "school_kind", _("school type")
        SCHOOL = "school", _("school")
        GRADE = "grade", _("grade")
        CLASS = "class", _("class")
        STUDENT = "student", _("student")
        ROLE = "role", _("role")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    county = models.ForeignKey("directory.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    grade = models.ForeignKey("directory.Grade", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    student = models.ForeignKey("directory.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    school_kind = models.CharField(max_length=20, blank=True, choices=School.Kind.choices)
    role = models.CharField(max_length=20, blank=True, choices=Role.choices)


def attachment_path(instance: NoticeAttachment, filename: str) -> str:
    now = timezone.now()
    return f"notices/{now:%Y/%m}/{instance.token}"


class NoticeAttachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        FILE = "file", _("file")

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=5, choices=Kind.choices)
    token = models.CharField(max_length=40, unique=True)  # file name on disk: never the user's name
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]


class FanoutCursor(models.Model):
    """Fan-out progress of one notice: the last guardian (then staff user) id written, and who holds the lease.

    A worker claims the lease with a conditional update; a worker killed mid-fan-out leaves the lease to expire,
    and the next worker resumes after the cursor. Deliveries are unique per notice × recipient, so a batch
    written twice is written once.
    """

    class Phase(models.TextChoices):
        GUARDIANS = "guardians", pgettext_lazy("fan-out phase", "guardians")
        STAFF = "staff", pgettext_lazy("fan-out phase", "staff")
        DONE = "done", pgettext_lazy("fan-out phase", "done")

    notice = models.OneToOneField(Notice, on_delete=models.CASCADE, related_name="cursor")
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.GUARDIANS)
    last_id = models.BigIntegerField(default=0)
    batches = models.PositiveIntegerField(default=0)
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phase", "lease_until"])]


class Delivery(models.Model):
    """A notice as it reached one guardian (or one staff member): every channel on one row."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    guardian = models.ForeignKey(
        "directory.Guardian", null=True, blank=True, on_delete=models.CASCADE, related_name="notice_deliveries"
    )
    user = models.ForeignKey(  # staff recipients (role targets); guardians are found through their Guardian row
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notice_deliveries"
    )
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    school_class = models.ForeignKey(
        "directory.SchoolClass", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    reply = models.CharField(max_length=200, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    sms_claim = models.CharField(max_length=32, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)
    sms_error = models.CharField(max_length=200, blank=True)
    handed_at = models.DateTimeField(null=True, blank=True)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "guardian"], condition=Q(guardian__isnull=False), name="delivery_unique_guardian"
            ),
            models.UniqueConstraint(
                fields=["notice", "user"],
                condition=Q(guardian__isnull=True, user__isnull=False),
                name="delivery_unique_staff",
            ),
        ]
        indexes = [
            models.Index(fields=["notice", "school_class"]),
            models.Index(fields=["notice", "read_at"]),
        ]

    @property
    def reached(self) -> bool:
        return bool(self.read_at or self.handed_at or (self.sms_sent_at and not self.sms_error))


def reached_q(prefix: str = "") -> Q:
    """Deliveries that reached their recipient by some channel: read in the app, SMS sent, or handed over."""
    return (
        Q(**{f"{prefix}read_at__isnull": False})
        | Q(**{f"{prefix}handed_at__isnull": False})
        | (Q(**{f"{prefix}sms_sent_at__isnull": False}) & Q(**{f"{prefix}sms_error": ""}))
    )
