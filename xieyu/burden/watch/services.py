"""Every write of the watch: the week rollups (a class's from its diaries, larger units' from the class rollups'
histograms) and the flags raised on a class over a line two weeks running.

A diary saved recomputes its class-week and its school's grade and school rows in the same transaction (a few
dozen rows); the county's rows and a full reconciliation run in the scheduled task (`rollups_rebuild`). Flags are
judged on weeks that have ended only, so a week half answered never raises or clears one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Membership, Role
from xieyu.audit.services import audit_record
from xieyu.directory.models import Region, SchoolClass
from xieyu.notices.messages import message_send

from ..diary.models import Diary
from ..limits import Metric
from . import figures as fig
from .models import BurdenFlag, WeekRollup

WEEK = datetime.timedelta(days=7)
DIARY_VALUES = ("school_class_id", "week", "homework_minutes", "sleep_minutes", "bedtime", "screen_minutes",
                "phone_to_school", "outdoor_minutes", "reading_minutes")  # fmt: skip
CLASS_INFO = ("pk", "school_id", "school__county_id", "grade_id", "grade__level")


def today() -> datetime.date:
    return timezone.localdate()


def week_ended(week: datetime.date, on: datetime.date | None = None) -> bool:
    return week + WEEK <= (on or today())


# --- computing rows in memory ------------------------------------------------------------------------------------


def _class_rows(diaries: Iterable, info: dict[int, tuple], now: datetime.datetime) -> list[dict]:
    """Class rollups (as dicts of WeekRollup's fields) from diary rows (objects with DIARY_VALUES attributes);
    info: class id → CLASS_INFO."""
    groups: dict[tuple[int, datetime.date], list] = defaultdict(list)
    for d in diaries:
        groups[(d.school_class_id, d.week)].append(d)
    rows = []
    for (class_id, week), items in groups.items():
        _pk, school_id, county_id, grade_id, level = info[class_id]
        for metric in fig.METRICS:
            line = fig.line_for_level(metric, level)
            known = [v for d in items if (v := fig.value_of(d, metric)) is not None]
            f = fig.exact(metric, known, len(items), line)
            rows.append(dict(
                level=WeekRollup.Level.CLASS, unit=f"class:{class_id}", county_id=county_id, school_id=school_id,
                grade_id=grade_id, school_class_id=class_id, week=week, metric=metric,
                limit=line.value if line else None, computed_at=now, **f.__dict__,
            ))  # fmt: skip
    return rows


def _merged(level: str, unit: str, rows: Sequence[dict], now, **keys) -> dict:
    first = rows[0]
    bins: list[int] = []
    n_over: int | None = None
    limits = {r["limit"] for r in rows}
    for r in rows:
        bins = fig.add_bins(bins, r["bins"])
        if r["n_over"] is not None:
            n_over = (n_over or 0) + r["n_over"]
    f = fig.from_bins(first["metric"], bins, sum(r["n_answered"] for r in rows), n_over)
    base = {"county_id": None, "school_id": None, "grade_id": None, "school_class_id": None}
    return dict(base, level=level, unit=unit, week=first["week"], metric=first["metric"], computed_at=now,
                limit=limits.pop() if len(limits) == 1 else None, **keys, **f.__dict__)  # fmt: skip


def _larger_rows(class_rows: Iterable[dict], now, *, county: bool) -> list[dict]:
    """Grade and school rows (and the county's, with county=True) from class rows."""
    by_grade: dict[tuple, list] = defaultdict(list)
    by_school: dict[tuple, list] = defaultdict(list)
    by_county: dict[tuple, list] = defaultdict(list)
    for r in class_rows:
        c, s, w, m = r["county_id"], r["school_id"], r["week"], r["metric"]
        by_grade[(r["grade_id"], s, c, w, m)].append(r)
        by_school[(s, c, w, m)].append(r)
        by_county[(c, w, m)].append(r)
    out = [_merged(WeekRollup.Level.GRADE, f"grade:{g}", rows, now, grade_id=g, school_id=s, county_id=c)
           for (g, s, c, _w, _m), rows in by_grade.items()]  # fmt: skip
    out += [_merged(WeekRollup.Level.SCHOOL, f"school:{s}", rows, now, school_id=s, county_id=c)
            for (s, c, _w, _m), rows in by_school.items()]  # fmt: skip
    if county:
        out += [_merged(WeekRollup.Level.COUNTY, f"county:{c}", rows, now, county_id=c)
                for (c, _w, _m), rows in by_county.items()]  # fmt: skip
    return out


ROW_FIELDS = ("level", "unit", "county_id", "school_id", "grade_id", "school_class_id", "week", "metric",
              "n_answered", "n_known", "n_over", "limit", "median", "p25", "p75", "bins", "computed_at")  # fmt: skip


def _insert(rows: Sequence[dict]) -> None:
    """Many rollup rows at once: one prepared INSERT run with executemany (the ORM's bulk_create builds a model
    and a parameter list per row, several times slower for a county's eight weeks)."""
    if not rows:
        return
    opts = WeekRollup._meta
    columns = [getattr(opts.get_field(f.removesuffix("_id")), "column", f) for f in ROW_FIELDS]
    bins_field = opts.get_field("bins")
    computed = opts.get_field("computed_at")
    week = opts.get_field("week")
    # Only the model's own table and column names, quoted; every value is a parameter.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        connection.ops.quote_name(opts.db_table), ", ".join(connection.ops.quote_name(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )  # fmt: skip
    params = []
    for r in rows:
        values = [r[f] for f in ROW_FIELDS]
        values[ROW_FIELDS.index("bins")] = bins_field.get_db_prep_save(r["bins"], connection)
        values[ROW_FIELDS.index("computed_at")] = computed.get_db_prep_save(r["computed_at"], connection)
        values[ROW_FIELDS.index("week")] = week.get_db_prep_save(r["week"], connection)
        params.append(values)
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])


def _diary_rows(diaries) -> list:
    return [SimpleNamespace(**dict(zip(DIARY_VALUES, v, strict=True))) for v in diaries.values_list(*DIARY_VALUES)]


# --- services ------------------------------------------------------------------------------------------------------


@transaction.atomic
def rollup_class_week(*, school_class: SchoolClass, week: datetime.date) -> list[dict]:
    """Recompute one class-week from its diaries, then its school's grade and school rows from the class rows;
    judge the class's flags if the week has ended. Called when a diary is saved."""
    now = timezone.now()
    info = {v[0]: v for v in SchoolClass.objects.filter(pk=school_class.pk).values_list(*CLASS_INFO)}
    rows = _class_rows(_diary_rows(Diary.objects.filter(school_class=school_class, week=week)), info, now)
    WeekRollup.objects.filter(unit=f"class:{school_class.pk}", week=week).delete()
    WeekRollup.objects.bulk_create([WeekRollup(**r) for r in rows])
    school_rows = list(WeekRollup.objects.filter(level=WeekRollup.Level.CLASS, school=school_class.school_id,
                                                 week=week).values(*ROW_FIELDS))  # fmt: skip
    larger = _larger_rows(school_rows, now, county=False)
    WeekRollup.objects.filter(
        level__in=[WeekRollup.Level.GRADE, WeekRollup.Level.SCHOOL], school=school_class.school_id, week=week
    ).delete()
    WeekRollup.objects.bulk_create([WeekRollup(**r) for r in larger])
    for judged in (week, week + WEEK):  # late answers of a week also change how the next one is judged
        if week_ended(judged):
            flags_evaluate(county_id=info[school_class.pk][2], week=judged, class_ids=[school_class.pk])
    return rows


@transaction.atomic
def rollups_rebuild(*, county: Region, weeks: Sequence[datetime.date], judge: bool = True) -> int:
    """Recompute every rollup of the county for these weeks from the diaries, in bulk (the scheduled
    reconciliation, and the demo's eight weeks), then judge the flags of the weeks that have ended, oldest first."""
    now = timezone.now()
    weeks = sorted(set(weeks))
    diaries = _diary_rows(Diary.objects.filter(county=county, week__in=weeks))
    class_ids = {d.school_class_id for d in diaries}
    info = {v[0]: v for v in SchoolClass.objects.filter(pk__in=class_ids).values_list(*CLASS_INFO)}
    rows = _class_rows(diaries, info, now)
    rows += _larger_rows(rows, now, county=True)
    WeekRollup.objects.filter(county=county, week__in=weeks).delete()
    _insert(rows)
    if judge:
        for week in weeks:
            if week_ended(week):
                flags_evaluate(county_id=county.pk, week=week)
    return len(rows)


def _over(row: WeekRollup | None) -> bool | None:
    if row is None:
        return None
    return fig.beyond(row.metric, row, fig.line_from(row.metric, row.limit))


def _snapshot(row: WeekRollup) -> dict:
    return {"median": row.median, "over_share": row.over_share, "limit": row.limit, "n": row.n_known,
            "week": row.week.isoformat()}  # fmt: skip


@transaction.atomic
def flags_evaluate(*, county_id: int, week: datetime.date, class_ids: Sequence[int] | None = None) -> list:
    """Judge an ended week: a class over a line this week and the week before gets an open flag (its head teacher
    and school admins are told); an open flag whose class is back under the line in a later week is cleared."""
    rows = WeekRollup.objects.filter(level=WeekRollup.Level.CLASS, county=county_id, week__in=[week - WEEK, week],
                                     metric__in=fig.FLAGGED)  # fmt: skip
    flags = BurdenFlag.objects.filter(county=county_id).filter(Q(state=BurdenFlag.State.OPEN) |
                                                               Q(last_week__gte=week - WEEK))  # fmt: skip
    if class_ids is not None:
        rows, flags = rows.filter(school_class__in=class_ids), flags.filter(school_class__in=class_ids)
    by_key: dict[tuple, dict] = defaultdict(dict)
    for r in rows:
        by_key[(r.school_class_id, r.metric)][r.week] = r
    open_flags = {(f.school_class_id, f.metric): f for f in flags if f.state == BurdenFlag.State.OPEN}
    covered = {(f.school_class_id, f.metric) for f in flags if f.last_week >= week - WEEK}
    raised = []
    now = timezone.now()
    for key, weeks in by_key.items():
        cur, prev = weeks.get(week), weeks.get(week - WEEK)
        over_now = _over(cur)
        flag = open_flags.get(key)
        if cur is None:
            continue
        if flag is not None:
            if week >= flag.last_week and over_now is True:  # a later week, or late answers of the latest
                flag.last_week, flag.figures = week, _snapshot(cur)
                flag.save(update_fields=["last_week", "figures"])
            elif week > flag.last_week and over_now is False:
                flag.state, flag.cleared_at = BurdenFlag.State.CLEARED, now
                flag.save(update_fields=["state", "cleared_at"])
                audit_record(actor=None, action="burden.flag.clear", target=flag)
        elif over_now and _over(prev) and key not in covered:
            flag = BurdenFlag.objects.create(
                county_id=cur.county_id, school_id=cur.school_id, school_class_id=cur.school_class_id,
                metric=cur.metric, first_week=week - WEEK, last_week=week, figures=_snapshot(cur), raised_at=now,
            )  # fmt: skip
            audit_record(actor=None, action="burden.flag.raise", target=flag)
            raised.append(flag)
    if raised:
        _tell_flags(raised)
    return raised


def _tell_flags(flags: list[BurdenFlag]) -> None:
    """The head teachers of the flagged classes and their schools' admins get a message (no child named)."""
    classes = {f.school_class_id for f in flags}
    schools = {f.school_id for f in flags}
    staff = (
        Membership.objects.filter(is_active=True, user__is_active=True)
        .filter(Q(role=Role.HEAD_TEACHER, school_class__in=classes) | Q(role=Role.SCHOOL_ADMIN, school__in=schools))
        .select_related("user")
    )
    names = dict(SchoolClass.objects.filter(pk__in=classes).values_list("pk", "grade__name"))
    class_names = dict(SchoolClass.objects.filter(pk__in=classes).values_list("pk", "name"))
    for flag in flags:
        label = f"{names.get(flag.school_class_id, '')}{class_names.get(flag.school_class_id, '')}"
        title = _("%(class)s: %(metric)s over the line two weeks running") % {
            "class": label,
            "metric": Metric(flag.metric).label,
        }
        body = _("Families' diaries show %(class)s over the national line for %(metric)s in the weeks of "
                 "%(first)s and %(last)s. The class page shows the distribution; no child or family is named.") % {
            "class": label, "metric": Metric(flag.metric).label, "first": flag.first_week.isoformat(),
            "last": flag.last_week.isoformat()}  # fmt: skip
        link = reverse("burden:class", args=[flag.school_class_id])
        told: set[int] = set()
        for m in staff:
            relevant = (m.role == Role.HEAD_TEACHER and m.school_class_id == flag.school_class_id) or (
                m.role == Role.SCHOOL_ADMIN and m.school_id == flag.school_id
            )
            if relevant and m.user_id not in told:
                told.add(m.user_id)
                message_send(actor=m.user, county_id=flag.county_id, to_user=m.user, title=title, body=body,
                             link=link, topic="burden.flag", sender_unit=_("Burden watch"))  # fmt: skip


def reconcile_recent(*, county: Region, on: datetime.date | None = None) -> int:
    """The scheduled reconciliation: this week and the last two, recomputed from the diaries."""
    this = fig.monday(on or today())
    return rollups_rebuild(county=county, weeks=[this - 2 * WEEK, this - WEEK, this])
