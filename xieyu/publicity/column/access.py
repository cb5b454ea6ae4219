"""What the column shows whom (built on articles.access) and where a reader may push an article."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xieyu.notices import access as notices_access

from ..articles.access import articles_readable_by, reader_units
from ..articles.models import Article, Category


def column_list(user, *, category: str = "", where: str = "", q: str = "") -> QuerySet[Article]:
    """The published articles the reader may read, newest first; `where` narrows to the county's column or the
    reader's schools' columns."""
    qs = articles_readable_by(user)
    if category in Category.values:
        qs = qs.filter(category=category)
    if where == "county":
        qs = qs.filter(Q(school__isnull=True) | Q(county_wide=True))
    elif where == "school" and getattr(user, "is_authenticated", False):
        _counties, schools = reader_units(user)
        qs = qs.filter(school__in=schools)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return qs.select_related("school", "county").order_by("-published_at", "-pk")


def push_targets(user) -> list[tuple[str, str]]:
    """The audiences the user may push to, most senior first: ("county:3", "全南县全体家长"), ("school:5", …)."""
    if not notices_access.can_send(user):
        return []
    targets = [(f"county:{c.pk}", c.name) for c in notices_access.targetable_counties(user).order_by("pk")]
    targets += [(f"school:{s.pk}", s.name) for s in notices_access.targetable_schools(user).order_by("pk")]
    targets += [
        (f"class:{c.pk}", f"{c.school.name} {c}")
        for c in notices_access.targetable_classes(user).select_related("school", "grade").order_by("pk")
    ]
    return targets
