"""The care figures of one county, computed from the rows into CareRollup tables (name → rows, cols, counts).

Each table is counted with a few grouped queries, whatever the county's size, and suppressed at once through the
one helper (xieyu/core/suppression.py); the page, the export and the API read the suppressed table only.

- registered children (confirmed entries, categories still open): by school, by grade (the class's Grade.level),
  by town, each × category. A child may hold several categories, so the totals of these tables count categories
  held (人次), not children;
- registered children by carer type (one per child);
- cases by state × risk level; services by kind × state;
- referral timeliness per agency: decided (accepted or rejected) within the deadline to accept, late, waiting
  within it, waiting past it (the deadline engine's first-response due; 3 working days from sending otherwise);
- review compliance: reviews done by their due date, done late, open and not yet due, open and overdue;
- the carer survey (each child's latest answer): guidance needed, by need; how often the child talks with the
  parents.

The town: the directory has no town level (regions stop at the county) and schools have an address; a school's town
is read from its address (the county's name, then the town: "全南县城厢镇…" → 城厢镇), or "未注明" without one.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieyu.care.cases.models import Case, CaseService, ServiceKind
from xieyu.care.referrals.models import Referral
from xieyu.care.registry.models import CarerSurvey, CarerType, Category, RegistryCategory, RegistryEntry, RegistryReview
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.workcalendar import calendar_for
from xieyu.directory.models import PartnerAgency, Region, School

ACCEPT_DAYS = 3  # the care.referral policy's first response, when a referral has no deadline row


@dataclass(frozen=True)
class Spec:
    name: str
    title: object  # a lazy translation
    section: str
    row_header: object
    note: object = ""


REGISTRY, CASES, REFERRALS, REVIEWS, SURVEY = "registry", "cases", "referrals", "reviews", "survey"
SECTIONS = {
    REGISTRY: gettext_lazy("Registered children"),
    CASES: gettext_lazy("Cases and services"),
    REFERRALS: gettext_lazy("Referral timeliness"),
    REVIEWS: gettext_lazy("Review compliance"),
    SURVEY: gettext_lazy("Carer survey"),
}
CATEGORY_NOTE = gettext_lazy("A child may be in several categories: totals count categories held, not children.")
SPECS = [
    Spec("registry_by_school", gettext_lazy("Registered children by school and category"), REGISTRY,
         gettext_lazy("School"), CATEGORY_NOTE),
    Spec("registry_by_grade", gettext_lazy("Registered children by grade and category"), REGISTRY,
         gettext_lazy("Grade"), CATEGORY_NOTE),
    Spec("registry_by_town", gettext_lazy("Registered children by town and category"), REGISTRY,
         gettext_lazy("Town"), CATEGORY_NOTE),
    Spec("registry_by_carer", gettext_lazy("Registered children by carer type"), REGISTRY,
         gettext_lazy("Carer type")),
    Spec("cases_by_state_risk", gettext_lazy("Cases by state and risk level"), CASES, gettext_lazy("State")),
    Spec("services_by_kind_state", gettext_lazy("Services by kind and state"), CASES, gettext_lazy("Service")),
    Spec("referrals_timeliness", gettext_lazy("Referrals by agency and timeliness of acceptance"), REFERRALS,
         gettext_lazy("Agency")),
    Spec("reviews_compliance", gettext_lazy("Registry reviews"), REVIEWS, gettext_lazy("Reviews")),
    Spec("survey_needs", gettext_lazy("Guidance the carers need"), SURVEY, gettext_lazy("Guidance needed"),
         gettext_lazy("A carer may name several needs: the total counts needs named.")),
    Spec("survey_parent_contact", gettext_lazy("How often the child talks with the parents"), SURVEY,
         gettext_lazy("Contact with the parents")),
]  # fmt: skip
SPEC_BY_NAME = {s.name: s for s in SPECS}

UNKNOWN_TOWN = "未注明"
TOWN = re.compile(r"^(.*?(?:街道|镇|乡))")


def town_of(address: str, county_name: str) -> str:
    """The town in a school's address ("全南县城厢镇" → "城厢镇"), or UNKNOWN_TOWN."""
    rest = address.strip()
    if county_name and rest.startswith(county_name):
        rest = rest[len(county_name) :]
    match = TOWN.match(rest)
    return match.group(1) if match else UNKNOWN_TOWN


@dataclass
class Table:
    rows: list[str]
    cols: list[str]
    counts: list[list[int]]

    def as_dict(self) -> dict:
        return {"rows": self.rows, "cols": self.cols, "counts": self.counts}


def _grid(row_keys: list, col_keys: list, found: dict[tuple, int]) -> list[list[int]]:
    return [[found.get((r, c), 0) for c in col_keys] for r in row_keys]


def _labels(choices: Iterable) -> tuple[list[str], list[str]]:
    keys, labels = [], []
    for value, label in choices:
        keys.append(value)
        labels.append(str(label))
    return keys, labels


def registry_tables(county: Region) -> dict[str, Table]:
    """The category tables (school, grade, town) from one grouped query, plus the carer table (one query) and the
    county's schools (one query)."""
    schools = list(School.objects.filter(county=county).order_by("name", "pk").values("pk", "name", "address"))
    cat_keys, cat_labels = _labels(Category.choices)
    rows = (
        RegistryCategory.objects.filter(
            entry__county=county, entry__state=RegistryEntry.State.CONFIRMED, ended_on__isnull=True
        )
        .values(
            "category",
            "entry__school_id",
            "entry__student__school_class__grade__level",
            "entry__student__school_class__grade__name",
        )  # fmt: skip
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_school: dict[tuple, int] = defaultdict(int)
    by_grade: dict[tuple, int] = defaultdict(int)
    by_town: dict[tuple, int] = defaultdict(int)
    grade_names: dict[int | None, str] = {}
    town_by_school = {s["pk"]: town_of(s["address"], county.name) for s in schools}
    for r in rows:
        level = r["entry__student__school_class__grade__level"]
        grade_names.setdefault(level, r["entry__student__school_class__grade__name"] or _("Not in a class"))
        by_school[(r["entry__school_id"], r["category"])] += r["n"]
        by_grade[(level, r["category"])] += r["n"]
        by_town[(town_by_school.get(r["entry__school_id"], UNKNOWN_TOWN), r["category"])] += r["n"]
    school_keys = [s["pk"] for s in schools]
    levels = sorted(grade_names, key=lambda lv: (lv is None, lv if lv is not None else 0))
    towns = sorted(set(town_by_school.values()) | {t for t, _c in by_town}, key=lambda t: (t == UNKNOWN_TOWN, t))
    carer_keys, carer_labels = _labels([*CarerType.choices, ("", _("not recorded"))])
    carers = dict(
        RegistryEntry.objects.filter(county=county, state=RegistryEntry.State.CONFIRMED)
        .values("carer_type")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("carer_type", "n")
    )
    return {
        "registry_by_school": Table([s["name"] for s in schools], cat_labels, _grid(school_keys, cat_keys, by_school)),
        "registry_by_grade": Table([grade_names[lv] for lv in levels], cat_labels, _grid(levels, cat_keys, by_grade)),
        "registry_by_town": Table(towns, cat_labels, _grid(towns, cat_keys, by_town)),
        "registry_by_carer": Table([_("Registered children")], carer_labels, [[carers.get(k, 0) for k in carer_keys]]),
    }


def case_tables(county: Region) -> dict[str, Table]:
    state_keys, state_labels = _labels(Case.State.choices)
    risk_keys, risk_labels = _labels(Case.Risk.choices)
    cases = {
        (r["state"], r["risk"]): r["n"]
        for r in Case.objects.filter(county=county).values("state", "risk").annotate(n=Count("pk")).order_by()
    }
    kind_keys, kind_labels = _labels(ServiceKind.choices)
    svc_keys, svc_labels = _labels(CaseService.State.choices)
    services = {
        (r["kind"], r["state"]): r["n"]
        for r in CaseService.objects.filter(case__county=county).values("kind", "state").annotate(n=Count("pk"))
        .order_by()
    }  # fmt: skip
    return {
        "cases_by_state_risk": Table(state_labels, risk_labels, _grid(state_keys, risk_keys, cases)),
        "services_by_kind_state": Table(kind_labels, svc_labels, _grid(kind_keys, svc_keys, services)),
    }


ON_TIME, LATE, WAITING, OVERDUE = "on_time", "late", "waiting", "overdue"
TIMELINESS = [
    (ON_TIME, gettext_lazy("decided in time")),
    (LATE, gettext_lazy("decided late")),
    (WAITING, gettext_lazy("awaiting, within the deadline")),
    (OVERDUE, gettext_lazy("awaiting, overdue")),
]


def timeliness_of(sent_at, decided_at, due, now) -> str:
    if decided_at is not None:
        return ON_TIME if decided_at <= due else LATE
    return WAITING if now < due else OVERDUE


def referral_table(county: Region, now: datetime.datetime) -> Table:
    """Per agency of the county: referrals decided within the deadline to accept, late, waiting, overdue. A referral
    the sender revoked before anyone decided is left out (nobody had to act on it any more)."""
    agencies = list(PartnerAgency.objects.filter(county=county).order_by("name", "pk").values_list("pk", "name"))
    referrals = list(
        Referral.objects.filter(county=county)
        .exclude(state=Referral.State.REVOKED, decided_at__isnull=True)
        .values_list("pk", "agency_id", "sent_at", "decided_at")
    )
    dues = dict(
        Deadline.objects.filter(county=county, target_type="care.referral")
        .exclude(first_response_due__isnull=True)
        .values_list("target_id", "first_response_due")
    )
    cal = None
    found: Counter = Counter()
    for pk, agency_id, sent_at, decided_at in referrals:
        due = dues.get(str(pk))
        if due is None:
            cal = cal or calendar_for(county.pk)
            due = cal.add(sent_at, ACCEPT_DAYS, "days")
        found[(agency_id, timeliness_of(sent_at, decided_at, due, now))] += 1
    keys, labels = _labels(TIMELINESS)
    return Table([name for _pk, name in agencies], labels, _grid([pk for pk, _n in agencies], keys, found))


DONE_ON_TIME, DONE_LATE, NOT_DUE, REVIEW_OVERDUE = "done_on_time", "done_late", "not_due", "overdue"
REVIEW_STATES = [
    (DONE_ON_TIME, gettext_lazy("done on time")),
    (DONE_LATE, gettext_lazy("done late")),
    (NOT_DUE, gettext_lazy("open, not yet due")),
    (REVIEW_OVERDUE, gettext_lazy("open, overdue")),
]


def review_table(county: Region, today: datetime.date) -> Table:
    reviews = RegistryReview.objects.filter(entry__county=county, entry__state=RegistryEntry.State.CONFIRMED)
    found: Counter = Counter()
    for due_on, done_at in reviews.values_list("due_on", "done_at"):
        if done_at is None:
            found[NOT_DUE if today <= due_on else REVIEW_OVERDUE] += 1
        else:
            found[DONE_ON_TIME if timezone.localdate(done_at) <= due_on else DONE_LATE] += 1
    keys, labels = _labels(REVIEW_STATES)
    return Table([_("Registry reviews")], labels, [[found[k] for k in keys]])


def survey_tables(county: Region) -> dict[str, Table]:
    """Each registered child's latest survey: the needs named (a carer may name several) and the contact with the
    parents. One query."""
    latest: dict[int, tuple[list, str]] = {}
    surveys = (
        CarerSurvey.objects.filter(entry__county=county, entry__state=RegistryEntry.State.CONFIRMED)
        .order_by("entry_id", "-answered_at", "-pk")
        .values_list("entry_id", "needs", "parent_contact")
    )
    for entry_id, named, contact in surveys:
        latest.setdefault(entry_id, (named or [], contact))
    needs: Counter = Counter()
    contacts: Counter = Counter()
    for answer, contact in latest.values():
        needs.update(set(answer) & set(CarerSurvey.Need.values))
        contacts[contact] += 1
    need_keys, need_labels = _labels(CarerSurvey.Need.choices)
    contact_keys, contact_labels = _labels(CarerSurvey.Contact.choices)
    return {
        "survey_needs": Table([_("Carers")], need_labels, [[needs[k] for k in need_keys]]),
        "survey_parent_contact": Table([_("Children")], contact_labels, [[contacts[k] for k in contact_keys]]),
    }


def county_tables(county: Region, now: datetime.datetime | None = None) -> dict[str, Table]:
    """Every figure of the county, as counted (before suppression)."""
    now = now or timezone.now()
    tables = registry_tables(county)
    tables |= case_tables(county)
    tables["referrals_timeliness"] = referral_table(county, now)
    tables["reviews_compliance"] = review_table(county, timezone.localdate(now))
    tables |= survey_tables(county)
    return tables
