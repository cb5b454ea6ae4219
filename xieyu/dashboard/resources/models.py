"""Resource reports: once per academic year each school reports the staff, hours, rooms, equipment and budget it
gives to home-school-community work. Draft → submitted; the county may return a submitted report with a note,
and the school submits it again."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ResourceReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report", "draft")
        SUBMITTED = "submitted", pgettext_lazy("report", "submitted")
        RETURNED = "returned", pgettext_lazy("report", "returned")

    class Room(models.TextChoices):
        PARENT_SCHOOL = "parent_school", _("parent school classroom (家长学校教室)")
        COUNSELLING = "counselling", _("counselling room (心理咨询室)")
        READING = "reading", _("family reading room (亲子阅读室)")
        ACTIVITY = "activity", _("home-school activity room (家校活动室)")
        RECEPTION = "reception", _("parent reception room (家长接待室)")

    county = models.ForeignKey("directory.Region", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("directory.School", on_delete=models.PROTECT, related_name="resource_reports")
    year = models.PositiveSmallIntegerField(_("academic year"))
    status = models.CharField(_("report status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    dedicated_staff = models.PositiveSmallIntegerField(_("dedicated staff"), default=0)
    part_time_staff = models.PositiveSmallIntegerField(_("part-time staff"), default=0)
    coordinator = models.CharField(_("coordinator"), max_length=50, blank=True)
    hours = models.DecimalField(_("hours given"), max_digits=8, decimal_places=1, default=Decimal("0"))
    rooms = models.JSONField(_("rooms"), default=list, blank=True)  # Room values
    rooms_other = models.CharField(_("other rooms"), max_length=200, blank=True)
    equipment = models.TextField(_("equipment"), blank=True)
    note = models.TextField(_("remarks"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_note = models.CharField(_("why it was returned"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("resource report")
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="one_resource_report_per_year")]
        indexes = [models.Index(fields=["county", "year"])]

    def __str__(self) -> str:
        return f"{self.school_id} {self.year}"

    def room_labels(self) -> list[str]:
        labels = dict(self.Room.choices)
        return [str(labels[r]) for r in self.rooms if r in labels]


class BudgetLine(models.Model):
    """The budget planned and spent on one category, in 元 with two decimals."""

    class Category(models.TextChoices):
        TRAINING = "training", _("training (培训)")
        ACTIVITIES = "activities", _("activities (活动)")
        MATERIALS = "materials", _("materials (资料)")
        EQUIPMENT = "equipment", _("equipment (设备)")
        OTHER = "other", _("other (其他)")

    report = models.ForeignKey(ResourceReport, on_delete=models.CASCADE, related_name="budget")
    category = models.CharField(_("budget category"), max_length=12, choices=Category.choices)
    planned = models.DecimalField(_("planned (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    spent = models.DecimalField(_("spent (yuan)"), max_digits=12, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("budget line")
        constraints = [
            models.UniqueConstraint(fields=["report", "category"], name="one_budget_line_per_category"),
            models.CheckConstraint(name="budget_not_negative", condition=Q(planned__gte=0, spent__gte=0)),
        ]

    @property
    def overspent(self) -> bool:
        return self.spent > self.planned
