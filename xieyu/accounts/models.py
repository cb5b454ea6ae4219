"""Users, roles as memberships, API tokens and one-time login codes."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra) -> User:
        user = self.model(phone=phone, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, phone: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in, identified by a mainland mobile number."""

    phone = models.CharField(_("mobile number"), max_length=11, unique=True)
    name = models.CharField(_("name"), max_length=50)
    care_mode = models.BooleanField(_("care mode"), default=False)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return f"{self.name} ({self.masked_phone})"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else phone


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("county admin")
    SCHOOL_ADMIN = "school_admin", _("school admin")
    HEAD_TEACHER = "head_teacher", _("head teacher")
    TEACHER = "teacher", _("teacher")
    EXPERT = "expert", _("expert")
    VOLUNTEER = "volunteer", _("volunteer")
    COUNSELLOR = "counsellor", _("counsellor")
    PARTNER = "partner", _("partner")
    COMMUNITY_STAFF = "community_staff", _("community staff")
    VENUE_CONTACT = "venue_contact", _("venue contact")


# Which organisation unit each role is held in.
ROLE_SCOPE = {
    Role.COUNTY_ADMIN: "county",
    Role.SCHOOL_ADMIN: "school",
    Role.HEAD_TEACHER: "school_class",
    Role.TEACHER: "school",
    Role.EXPERT: "county",
    Role.VOLUNTEER: "county",
    Role.COUNSELLOR: "county",
    Role.PARTNER: "partner_agency",
    Role.COMMUNITY_STAFF: "community",
    Role.VENUE_CONTACT: "county",  # the venues they answer for name them (venues/access.py)
}


class Membership(models.Model):
    """A user holds a role in one organisation unit (county, school, class, partner agency or community)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    county = models.ForeignKey("directory.Region", null=True, blank=True, on_delete=models.PROTECT)
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT)
    school_class = models.ForeignKey("directory.SchoolClass", null=True, blank=True, on_delete=models.PROTECT)
    partner_agency = models.ForeignKey("directory.PartnerAgency", null=True, blank=True, on_delete=models.PROTECT)
    community = models.ForeignKey("directory.Community", null=True, blank=True, on_delete=models.PROTECT)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", unit],
                condition=models.Q(**{f"{unit}__isnull": False}),
                name=f"membership_unique_{unit}",
            )
            for unit in ("county", "school", "school_class", "partner_agency", "community")
        ]
        indexes = [models.Index(fields=["role", "school_class"]), models.Index(fields=["role", "school"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.unit_name}"

    @property
    def unit(self):
        return getattr(self, ROLE_SCOPE[Role(self.role)])

    @property
    def unit_name(self) -> str:
        return str(self.unit) if self.unit else ""


class ApiToken(models.Model):
    """A bearer token for apps; only its SHA-256 digest is stored.

    It works for XIEYU_API_TOKEN_DAYS after its creation, and only while the user's password is the one they had
    when it was created (`password_stamp`, a digest of the stored password hash, compared on every use).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=50)
    digest = models.CharField(max_length=64, unique=True)
    password_stamp = models.CharField(max_length=64, default="")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    @property
    def expires_at(self):
        return self.created_at + datetime.timedelta(days=settings.API_TOKEN_DAYS)


class LoginCode(models.Model):
    """A one-time SMS login code; only its hash is stored."""

    phone = models.CharField(max_length=11, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)


class RateEvent(models.Model):
    """One counted event for a rate limit (a failed join attempt, an unknown join code).

    Kept in the database so every app server counts the same events; rows older than a day are pruned.
    """

    scope = models.CharField(max_length=30)
    key = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "created_at"])]
