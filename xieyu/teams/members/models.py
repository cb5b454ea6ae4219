"""The guidance center's teams and their members: skills from the county's list, certificates, languages, the towns a
member can reach, weekly availability, and the background check (入职查询) that work with children needs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Team(models.Model):
    """One of the county guidance center's four teams, or a school's own teacher team (`school` set)."""

    class Kind(models.TextChoices):
        EXPERT = "expert", _("expert guidance team")
        TEACHER = "teacher", _("teacher support team")
        ELDERS = "elders", _("“five elders” care team")
        PARENT = "parent", _("parent mutual-aid team")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("team type"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("team name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["county", "school", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "kind"], condition=models.Q(school__isnull=True), name="team_one_kind_per_county"
            ),
            models.UniqueConstraint(
                fields=["school", "kind"], condition=models.Q(school__isnull=False), name="team_one_kind_per_school"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """One entry of the county's skill list (心理, 特殊教育, 康复, 生涯规划, 法律, 家庭教育指导师, 书法, 体育, 非遗 …)."""

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("skill"), max_length=30)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["county", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="skill_unique_name_in_county")]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    """A person's place in one team for a term: applied → vetting → approved (or declined); leaving keeps the row.

    At most one live (applied, vetting or approved) membership per person and team."""

    class Status(models.TextChoices):
        APPLIED = "applied", pgettext_lazy("team member", "applied")
        VETTING = "vetting", _("being vetted")
        APPROVED = "approved", pgettext_lazy("team member", "approved")
        DECLINED = "declined", pgettext_lazy("team member", "declined")
        LEFT = "left", pgettext_lazy("team member", "left")

    LIVE = (Status.APPLIED, Status.VETTING, Status.APPROVED)

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_members")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    is_leader = models.BooleanField(_("team leader"), default=False)
    skills = models.ManyToManyField(Skill, blank=True, related_name="members", verbose_name=_("skills"))
    towns = models.ManyToManyField(
        "directory.Town", blank=True, related_name="+", verbose_name=_("towns they can reach")
    )
    languages = models.CharField(_("languages and dialects"), max_length=100, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    motivation = models.TextField(_("why they want to join"), blank=True)
    references = models.TextField(_("references"), blank=True)
    identity_checked_at = models.DateTimeField(null=True, blank=True)
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    references_checked_at = models.DateTimeField(null=True, blank=True)
    references_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    references_note = models.CharField(_("what the references said"), max_length=300, blank=True)
    term_start = models.DateField(_("appointment starts"), null=True, blank=True)
    term_end = models.DateField(_("appointment ends"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    left_reason = models.CharField(_("why they left"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(status__in=["applied", "vetting", "approved"]),
                name="team_member_one_live_per_person",
            )
        ]
        indexes = [models.Index(fields=["user", "status"]), models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return f"{self.team} · {self.user}"


class Availability(models.Model):
    """One weekly slot a member is usually free: a weekday and a part of the day."""

    class Part(models.TextChoices):
        MORNING = "morning", _("morning")
        AFTERNOON = "afternoon", _("afternoon")
        EVENING = "evening", _("evening")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 Monday … 6 Sunday
    part = models.CharField(_("part of the day"), max_length=10, choices=Part.choices)

    class Meta:
        ordering = ["weekday", "part"]
        constraints = [
            models.UniqueConstraint(fields=["member", "weekday", "part"], name="availability_once_per_slot"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="availability_weekday_0_6"),
        ]


class Certificate(models.Model):
    """A qualification a member holds (家庭教育指导师, 心理咨询师 …): the scanned file, the issuer, the expiry."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="certificates")
    name = models.CharField(_("certificate"), max_length=60)
    issuer = models.CharField(_("issuer"), max_length=80)
    number = models.CharField(_("certificate number"), max_length=60, blank=True)
    file = models.FileField(upload_to="teams/certificates/", blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["member", "pk"]


class BackgroundCheck(models.Model):
    """A 入职查询 (未成年人保护法 §62): the person was checked for records of sexual abuse or violence against children,
    on a date, by a checking unit, attested by the coordinator who saw the result. It belongs to the person (a
    volunteer in two teams, or a parent of the talent pool, is checked once) and is valid until `valid_until`;
    past it, the person cannot be dispatched to any work with children until a new check is recorded."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="background_checks")
    checked_on = models.DateField(_("checked on"))
    checking_unit = models.CharField(_("checking unit"), max_length=80)
    reference = models.CharField(pgettext_lazy("background check", "reference number"), max_length=60, blank=True)
    valid_until = models.DateField(_("valid until"))
    attested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    attested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user", "-valid_until", "pk"]
        indexes = [models.Index(fields=["user", "valid_until"]), models.Index(fields=["valid_until"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gt=models.F("checked_on")), name="check_valid_after")
        ]
