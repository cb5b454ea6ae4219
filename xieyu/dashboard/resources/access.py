"""Who may see and change resource reports (built on the one scope).

- A school admin reads and writes the school's own report (while it is a draft or returned) and submits it.
- A county admin reads every school's report in the county (submitted or not: a draft shows as not yet
  submitted, without its figures in the totals) and may return a submitted report with a note.
- Nobody else sees them; missing and forbidden answer 404 alike.

`resources_by_school(county, year)` and `task_progress_by_school(county, year)` are what the dashboard shows
beside each school's results.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.directory.models import School, Student

from ..leadership.access import task_progress_by_school  # noqa: F401  (offered to the dashboard from here too)
from .models import BudgetLine, ResourceReport

NOTHING = Q(pk__in=[])


def _county_ids(user) -> set[int]:
    return scope_of(user).counties(Role.COUNTY_ADMIN)


def _school_ids(user) -> set[int]:
    return scope_of(user).whole_schools(Role.SCHOOL_ADMIN)


def reports_visible_to(user) -> QuerySet[ResourceReport]:
    q = NOTHING
    if counties := _county_ids(user):
        q |= Q(county__in=counties)
    if schools := _school_ids(user):
        q |= Q(school__in=schools)
    return ResourceReport.objects.filter(q)


def reports_written_by(user) -> QuerySet[ResourceReport]:
    schools = _school_ids(user)
    return ResourceReport.objects.filter(school__in=schools) if schools else ResourceReport.objects.none()


def reports_reviewed_by(user) -> QuerySet[ResourceReport]:
    counties = _county_ids(user)
    return ResourceReport.objects.filter(county__in=counties) if counties else ResourceReport.objects.none()


def _with_budget(qs: QuerySet[ResourceReport]) -> QuerySet[ResourceReport]:
    return qs.select_related("school", "submitted_by").prefetch_related(
        Prefetch("budget", queryset=BudgetLine.objects.order_by("pk"))
    )


def get_report_for(user, pk, *, write: bool = False, review: bool = False) -> ResourceReport:
    if write:
        qs = reports_written_by(user)
    elif review:
        qs = reports_reviewed_by(user)
    else:
        qs = reports_visible_to(user)
    report = _with_budget(qs.filter(pk=pk)).first()
    if report is None:
        raise Http404("report not found")
    return report


def own_school(user) -> School | None:
    """The one school whose report the user writes (a school admin of one school)."""
    schools = _school_ids(user)
    if len(schools) != 1:
        return None
    return School.objects.filter(pk__in=schools).select_related("county").first()


def own_report(user, year: int) -> ResourceReport | None:
    school = own_school(user)
    if school is None:
        return None
    return _with_budget(ResourceReport.objects.filter(school=school, year=year)).first()


def reviewed_county(user):
    counties = _county_ids(user)
    return min(counties) if counties else None


def _totals(report: ResourceReport) -> tuple[Decimal, Decimal]:
    lines = list(report.budget.all())
    return sum((b.planned for b in lines), Decimal("0")), sum((b.spent for b in lines), Decimal("0"))


def resources_by_school(county, year: int) -> list[dict]:
    """For each school of the county: its report's status and, once submitted, its staff, hours and budget (planned,
    spent, per enrolled student). Three queries whatever the number of schools (schools and their students, the
    reports, their budget lines)."""
    county_id = getattr(county, "pk", county)
    schools = list(
        School.objects.filter(county=county_id)
        .annotate(n_students=Count("students", filter=Q(students__status=Student.Status.ENROLLED)))
        .order_by("name", "pk")
        .values("pk", "name", "n_students")
    )
    reports = {r.school_id: r for r in _with_budget(ResourceReport.objects.filter(county=county_id, year=year))}
    out = []
    for s in schools:
        r = reports.get(s["pk"])
        row = {"school_id": s["pk"], "school": s["name"], "students": s["n_students"], "report_id": r.pk if r else None,
               "status": r.status if r else "", "submitted": bool(r and r.status == ResourceReport.Status.SUBMITTED)}  # fmt: skip
        if row["submitted"] and r is not None:
            planned, spent = _totals(r)
            row.update(dedicated_staff=r.dedicated_staff, part_time_staff=r.part_time_staff, hours=r.hours,
                       rooms=len(r.rooms) + (1 if r.rooms_other else 0), planned=planned, spent=spent,
                       by_category={b.category: (b.planned, b.spent) for b in r.budget.all()},
                       per_student=(planned / s["n_students"]).quantize(Decimal("0.01")) if s["n_students"] else None,
                       overspent=any(b.spent > b.planned for b in r.budget.all()))  # fmt: skip
        out.append(row)
    return out


def county_totals(rows: list[dict]) -> dict:
    done = [r for r in rows if r["submitted"]]
    planned = sum((r["planned"] for r in done), Decimal("0"))
    students = sum(r["students"] for r in done)
    return {"schools": len(rows), "submitted": len(done),
            "dedicated_staff": sum(r["dedicated_staff"] for r in done),
            "part_time_staff": sum(r["part_time_staff"] for r in done),
            "hours": sum((r["hours"] for r in done), Decimal("0")), "planned": planned,
            "spent": sum((r["spent"] for r in done), Decimal("0")),
            "per_student": (planned / students).quantize(Decimal("0.01")) if students else None}  # fmt: skip


def school_resources(school_id: int, year: int) -> dict | None:
    """One school's report of the year as the dashboard shows it beside the school's results: its status and, once
    submitted, staff, hours, rooms and the budget planned and spent. Two queries (the report, its budget lines)."""
    report = _with_budget(ResourceReport.objects.filter(school=school_id, year=year)).first()
    if report is None:
        return None
    row: dict = {"report": report, "submitted": report.status == ResourceReport.Status.SUBMITTED}
    if row["submitted"]:
        planned, spent = _totals(report)
        row.update(planned=planned, spent=spent, overspent=any(b.spent > b.planned for b in report.budget.all()))
    return row
