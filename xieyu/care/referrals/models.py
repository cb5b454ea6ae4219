"""Consent and referrals: what a guardian agreed to share with whom, and the referrals that carry exactly that.

A Consent is a full record (个人信息保护法 §29/§31): the guardian, the child, the purpose, the recipient (an agency
or a kind of agency), the case sections it covers, how it was given (a scanned signed paper, or in the app with an
SMS code), when, until when, and when the guardian revoked it (one tap on their own page).

A Referral sends a case's service need to a partner agency (or a named person at an agency without an account,
through a ReferralLink). It carries the sections of its consent and nothing else; without a live consent there is
no referral (the mandatory report of cases/models.py is the one path without consent). Its two clocks run on the
deadline engine: accept within 3 working days, act within the policy's resolution time; overdue, it escalates to
the agency's staff and then the county.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieyu.care.cases.models import ServiceKind


class Consent(models.Model):
    class Method(models.TextChoices):
        PAPER = "paper", _("signed on paper (scanned)")
        APP_SMS = "app_sms", _("in the app with an SMS code")

    student = models.ForeignKey("directory.Student", on_delete=models.PROTECT, related_name="care_consents")
    guardian = models.ForeignKey("directory.Guardian", on_delete=models.PROTECT, related_name="care_consents")
    case = models.ForeignKey("care.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=200)
    agency = models.ForeignKey(
        "directory.PartnerAgency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency_kind = models.CharField(_("kind of agency"), max_length=24, blank=True)  # PartnerAgency.Kind when no agency
    sections = models.JSONField(_("sections shared"), default=list)  # cases.models.Section values
    method = models.CharField(_("given how"), max_length=10, choices=Method.choices)
    scan = models.BinaryField(null=True, blank=True)  # the signed paper (PDF or image, checked by content)
    scan_type = models.CharField(max_length=40, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    given_at = models.DateTimeField(_("given at"), null=True, blank=True)  # null: asked of the guardian, not yet given
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["student", "given_at"]), models.Index(fields=["guardian"])]

    def __str__(self) -> str:
        return f"consent {self.pk}"

    def live_at(self, when) -> bool:
        return (
            self.given_at is not None
            and self.revoked_at is None
            and self.declined_at is None
            and self.given_at <= when < self.expires_at
        )


class Referral(models.Model):
    class State(models.TextChoices):
        SENT = "sent", _("sent, awaiting acceptance")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        DONE = "done", _("done")
        REVOKED = "revoked", _("revoked by the sender")

    case = models.ForeignKey("care.Case", on_delete=models.PROTECT, related_name="referrals")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="referrals")
    service = models.OneToOneField(
        "care.CaseService", null=True, blank=True, on_delete=models.SET_NULL, related_name="referral"
    )
    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("directory.PartnerAgency", on_delete=models.PROTECT, related_name="care_referrals")
    service_kind = models.CharField(_("service"), max_length=16, choices=ServiceKind.choices)
    request = models.TextField(_("what is asked"))
    sections = models.JSONField(default=list)  # the consent's sections when sent: all the referral carries
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_link = models.ForeignKey(
        "care.ReferralLink", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(_("reason"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("referral")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["agency", "state"]), models.Index(fields=["county", "state"])]

    def __str__(self) -> str:
        return f"referral {self.pk}"


class ReferralLink(models.Model):
    """A time-limited link for a named person at an agency without an account: bound to their mobile number (an
    SMS code opens it), showing only the referral packet. Only the token's SHA-256 digest is stored."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="links")
    name = models.CharField(_("name"), max_length=50)
    organisation = models.CharField(_("organisation"), max_length=100)
    phone = models.CharField(_("mobile number"), max_length=11)
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class CareCode(models.Model):
    """A one-time SMS code bound to one purpose and one record: a guardian confirming one consent, a person at an
    agency opening one link. Kept apart from login codes so a code texted for consent can never log anyone in, and
    a login code can never confirm a consent; only its hash is stored. Counted per number like login codes."""

    class Purpose(models.TextChoices):
        CONSENT = "consent", _("consent")
        LINK = "link", _("referral link")

    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    subject_id = models.BigIntegerField()  # the consent's or the link's id
    phone = models.CharField(max_length=11)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "created_at"]), models.Index(fields=["purpose", "subject_id"])]
