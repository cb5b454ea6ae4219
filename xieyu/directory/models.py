"""The organisation tree, students, guardians and partners."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("city")
        COUNTY = "county", _("county")

    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.CharField(_("administrative code"), max_length=12, unique=True)

    def __str__(self) -> str:
        return self.name


class Town(models.Model):
    """A town or township (镇/乡) of a county: where schools, communities and venues lie, and which towns a volunteer
    can reach (the distance the dispatch counts)."""

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="towns")
    name = models.CharField(_("town"), max_length=30)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["county", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="town_unique_name_in_county")]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Kind(models.TextChoices):
        KINDERGARTEN = "kindergarten", _("kindergarten")
        PRIMARY = "primary", _("primary school")
        JUNIOR = "junior", _("junior middle school")
        NINE_YEAR = "nine_year", _("nine-year school")
        COMPLETE_MIDDLE = "complete_middle", _("complete middle school")
        SENIOR = "senior", _("senior middle school")

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(_("school name"), max_length=80)
    kind = models.CharField(_("school type"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("school code"), max_length=20, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    town = models.ForeignKey(Town, null=True, blank=True, on_delete=models.SET_NULL, related_name="schools")

    class Meta:
        ordering = ["county_id", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    """Curriculum stages of the parent school."""

    KINDERGARTEN = "kindergarten", _("kindergarten stage")
    PRIMARY_LOWER = "primary_lower", _("primary lower grades")
    PRIMARY_UPPER = "primary_upper", _("primary upper grades")
    JUNIOR = "junior", _("junior middle stage")
    SENIOR = "senior", _("senior middle stage")


def stage_for_level(level: int) -> Stage:
    """Levels: kindergarten -2..0 (小班, 中班, 大班), primary 1..6, junior 7..9, senior 10..12."""
    if level <= 0:
        return Stage.KINDERGARTEN
    if level <= 3:
        return Stage.PRIMARY_LOWER
    if level <= 6:
        return Stage.PRIMARY_UPPER
    if level <= 9:
        return Stage.JUNIOR
    return Stage.SENIOR


class Grade(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="grades")
    name = models.CharField(_("grade"), max_length=20)
    level = models.SmallIntegerField()
    stage = models.CharField(max_length=20, choices=Stage.choices)

    class Meta:
        ordering = ["school_id", "level"]
        constraints = [models.UniqueConstraint(fields=["school", "level"], name="grade_unique_level")]

    def __str__(self) -> str:
        return self.name


def new_join_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class SchoolClass(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(_("class"), max_length=20)
    join_code = models.CharField(_("join code"), max_length=8, unique=True, default=new_join_code)

    class Meta:
        ordering = ["school_id", "grade__level", "name"]
        constraints = [models.UniqueConstraint(fields=["grade", "name"], name="class_unique_name")]

    def __str__(self) -> str:
        return f"{self.grade.name}{self.name}"


class Student(models.Model):
    class Gender(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        TRANSFERRED = "transferred", _("transferred out")
        GRADUATED = "graduated", _("graduated")

    name = models.CharField(_("student name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    # The national 学籍号 ("G" and the identity number, roster/format.py), or empty for a student without one yet.
    student_number = models.CharField(_("student number"), max_length=30, blank=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students")
    school_class = models.ForeignKey(
        SchoolClass, null=True, blank=True, on_delete=models.PROTECT, related_name="students"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ENROLLED)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school_class_id", "student_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "student_number"],
                condition=~models.Q(student_number=""),
                name="student_unique_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ClassHistory(models.Model):
    """Where a student was, and when they moved (transfers, promotions)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="class_history")
    from_class = models.ForeignKey(SchoolClass, null=True, on_delete=models.PROTECT, related_name="+")
    to_class = models.ForeignKey(SchoolClass, null=True, on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-moved_at"]


class Guardian(models.Model):
    """A child's carer. One guardian (one mobile number) may care for several children in several schools.

    A guardian without a phone (often a grandparent) is reached by print and by the head teacher's visit.
    """

    name = models.CharField(_("guardian name"), max_length=50)
    phone = models.CharField(_("mobile number"), max_length=11, null=True, blank=True, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="guardian"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Relationship(models.TextChoices):
    FATHER = "father", _("father")
    MOTHER = "mother", _("mother")
    GRANDFATHER = "grandfather", _("paternal grandfather")
    GRANDMOTHER = "grandmother", _("paternal grandmother")
    MATERNAL_GRANDFATHER = "maternal_grandfather", _("maternal grandfather")
    MATERNAL_GRANDMOTHER = "maternal_grandmother", _("maternal grandmother")
    OTHER = "other", _("other guardian")


class Guardianship(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardianships")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="guardianships")
    relationship = models.CharField(_("relationship"), max_length=24, choices=Relationship.choices)
    is_primary_carer = models.BooleanField(_("primary carer"), default=False)
    lives_with_child = models.BooleanField(_("lives with the child"), default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "guardian"], name="guardianship_unique")]
        indexes = [models.Index(fields=["guardian", "status"])]


class Community(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY = "community", _("urban community")
        VILLAGE = "village", _("village")

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="communities")
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    town = models.ForeignKey(Town, null=True, blank=True, on_delete=models.SET_NULL, related_name="communities")
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name


class PartnerAgency(models.Model):
    class Kind(models.TextChoices):
        WOMEN_FEDERATION = "women_federation", _("women's federation")
        CIVIL_AFFAIRS = "civil_affairs", _("civil affairs bureau")
        YOUTH_COMMITTEE = "youth_committee", _("youth wellbeing committee")
        DISABLED_FEDERATION = "disabled_federation", _("disabled persons' federation")
        OTHER = "other", _("other agency")

    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="partner_agencies")
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(max_length=24, choices=Kind.choices)

    def __str__(self) -> str:
        return self.name


class RosterImport(models.Model):
    """One uploaded roster file of a school: checked in the worker, then committed all or nothing.

    The file itself is kept in the row (it is small, ≤ settings.ROSTER_MAX_BYTES), so a worker on another
    machine reads the same bytes and a crash re-runs the job from the row.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("waiting to be checked")
        VALIDATING = "validating", _("checking")
        INVALID = "invalid", _("has problems")
        VALID = "valid", _("ready to import")
        COMMITTING = "committing", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="roster_imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=200)
    file_size = models.PositiveIntegerField(default=0)
    file_data = models.BinaryField()
    # The checked rows (zlib-compressed JSON), so the commit writes exactly what was previewed without reading
    # the file again.
    parsed_rows = models.BinaryField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": 5, "column": "监护人1手机", "message": "…"}]
    message = models.CharField(max_length=300, blank=True)  # why a whole file failed
    summary = models.JSONField(default=dict, blank=True)  # planned (valid) or done (done) counts
    created_at = models.DateTimeField(default=timezone.now)
    validated_at = models.DateTimeField(null=True, blank=True)
    validate_seconds = models.FloatField(null=True, blank=True)
    commit_started_at = models.DateTimeField(null=True, blank=True)
    # When the running check or commit was claimed (a check renews it as it reports progress). A claim older
    # than settings.ROSTER_STALE_SECONDS belongs to a worker that died: roster.roster_import_recover frees it.
    claimed_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    commit_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "-created_at"])]

    def __str__(self) -> str:
        return self.file_name

    @staticmethod
    def stale_before(now: datetime.datetime | None = None) -> datetime.datetime:
        """A check or commit claimed (or last moved on) before this moment has stalled: its worker died."""
        seconds = settings.ROSTER_STALE_SECONDS
        return (now or timezone.now()) - datetime.timedelta(seconds=seconds)

    @property
    def claim_is_stale(self) -> bool:
        running = self.status in (self.Status.VALIDATING, self.Status.COMMITTING)
        return running and self.claimed_at is not None and self.claimed_at < self.stale_before()

    @property
    def commit_interrupted(self) -> bool:
        """A commit whose worker died: its transaction rolled back, so nothing was written."""
        return self.status == self.Status.COMMITTING and self.claim_is_stale


class SchoolTally(models.Model):
    """A school's enrolled students, families joined and families no phone reaches, kept by tallies.py after every
    write that changes them (and reconciled nightly), so the county's pages read one row per school instead of
    counting its students."""

    school = models.OneToOneField(School, primary_key=True, on_delete=models.CASCADE, related_name="tally")
    students = models.PositiveIntegerField(default=0)
    joined = models.PositiveIntegerField(default=0)
    no_phone = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.school_id}: {self.joined}/{self.students}"
