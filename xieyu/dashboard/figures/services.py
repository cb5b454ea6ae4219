"""Every write of the dashboard's figures: recomputing a county's rollups, and the ranking's one-click notice."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import holders, scope_of
from xieyu.audit.services import audit_record
from xieyu.directory.models import Region
from xieyu.notices.messages import message_send
from xieyu.parentschool.semester import Semester, semester_of

from .display import format_value
from .metrics import METRICS
from .models import Figure, HotTopic
from .rollups import county_figures
from .topics import hot_topics


@transaction.atomic
def figures_refresh(*, actor, county: Region, sem: Semester | None = None, now: datetime.datetime | None = None,
                    areas: list[str] | None = None) -> int:  # fmt: skip
    """Recompute every metric of the county for the semester (this one by default) and its hot topics, and replace
    its stored figures and lists; with `areas`, only the metrics of those areas (an on-write refresh: the hot topics
    with the questions area). Returns how many figures were written."""
    now = now or timezone.now()
    sem = sem or semester_of(now)
    keys = None if areas is None else {m.key for m in METRICS.values() if m.area in areas}
    with translation.override(settings.LANGUAGE_CODE):
        figures = county_figures(county, sem, now, keys)
    month = month_code(now)
    current = sem.code == semester_of(now).code  # the monthly snapshot is of the current semester only
    snapshot = [
        Figure(**{f.attname: getattr(fig, f.attname) for f in Figure._meta.concrete_fields if f.name != "id"})
        for fig in figures
        if current and fig.level == Figure.Level.COUNTY
    ]
    for fig in snapshot:
        fig.period = month
    stale = Figure.objects.filter(county=county, period__in=[sem.code, month] if current else [sem.code])
    (stale if keys is None else stale.filter(metric__in=keys)).delete()
    Figure.objects.bulk_create([*figures, *snapshot], batch_size=2000)
    if areas is None or "questions" in areas:
        topics = hot_topics(county, sem, now)
        HotTopic.objects.filter(county=county, period=sem.code).delete()
        HotTopic.objects.bulk_create(topics, batch_size=2000)
    return len(figures)


def month_code(now: datetime.datetime) -> str:
    """The period of a county's monthly snapshot ("2026-12"), kept for the monthly report's changes."""
    return timezone.localtime(now).strftime("%Y-%m")


def figures_refresh_all(*, actor, now: datetime.datetime | None = None) -> int:
    """Every county's figures for the current semester, one county per transaction; returns how many counties."""
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("pk"))
    for county in counties:
        figures_refresh(actor=actor, county=county, now=now)
    return len(counties)


@transaction.atomic
def ranking_notify(*, actor, county: Region, metric_key: str, school_figures: list[Figure]) -> int:
    """Tell the admins of each listed school how far it is behind the target, with its own figure (one message
    per admin, through the notices path, so SMS fallback and receipts work). Returns how many messages."""
    if county.pk not in scope_of(actor).counties(Role.COUNTY_ADMIN):
        raise PermissionDenied(_("Only the county's admins may send the ranking's notice."))
    metric = METRICS.get(metric_key)
    if metric is None or not metric.ranked:
        raise ValidationError(_("This figure has no target to send a notice about."), code="metric")
    if not school_figures:
        raise ValidationError(_("No school is behind this target."), code="schools")
    sent = 0
    for fig in school_figures:
        if fig.county_id != county.pk or fig.level != Figure.Level.SCHOOL or fig.metric != metric.key:
            raise ValidationError(_("A school in the list is not in this county."), code="schools")
        school = fig.school
        if school is None:
            raise ValidationError(_("A school in the list is not in this county."), code="schools")
        body = _(
            "%(school)s: %(title)s is %(value)s this semester; the target is %(target)s. "
            "Please plan how to reach it and report back to the county."
        ) % {
            "school": school.name,
            "title": metric.title,
            "value": format_value(metric, fig),
            "target": metric.target_text,
        }
        link = reverse("dashboard:school", args=[school.pk])
        for admin in holders(Role.SCHOOL_ADMIN, school_id=school.pk):
            message_send(
                actor=actor, county_id=county.pk, to_user=admin, title=_("Behind the target: %(title)s")
                % {"title": metric.title}, body=body, link=link, topic="dashboard.ranking",
                sender_unit=county.name,
            )  # fmt: skip
            sent += 1
    audit_record(actor=actor, action="dashboard.ranking_notice", target=county,
                 changes={"metric": [None, metric.key], "schools": [None, [f.school_id for f in school_figures]]})  # fmt: skip
    return sent
