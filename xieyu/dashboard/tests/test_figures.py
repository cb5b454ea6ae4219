"""The county dashboard, read as 陈建国's story and its neighbours': rollups equal a direct count, every page, export
and API path answers only those responsible, suppressed cells cannot be worked out, pages run a fixed number of
queries, and the ranking's notice reaches the admins of the schools behind and nobody else."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import holders
from xieyu.dashboard.figures import metrics
from xieyu.dashboard.figures.models import Figure
from xieyu.dashboard.figures.rollups import suppress_rates
from xieyu.dashboard.figures.services import figures_refresh
from xieyu.directory.models import Guardianship, School, Student
from xieyu.directory.services import school_create
from xieyu.notices.models import Delivery
from xieyu.parentschool.models import ParentSchool, Session
from xieyu.parentschool.semester import semester_of
from xieyu.publicity.tests.articles_fixtures import client_of, neighbour  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(cast):
    figures_refresh(actor=None, county=cast.county)
    return cast


def _paths(cast):
    return {
        "county": reverse("dashboard:county", args=[cast.county.pk]),
        "report": reverse("dashboard:report", args=[cast.county.pk]),
        "notify": reverse("dashboard:notify", args=[cast.county.pk, "ps_sessions"]),
        "county_xlsx": reverse("dashboard:export", args=["county", cast.county.pk]),
        "school": reverse("dashboard:school", args=[cast.school_a.pk]),
        "school_xlsx": reverse("dashboard:export", args=["school", cast.school_a.pk]),
        "class": reverse("dashboard:school_class", args=[cast.school_a.pk, cast.class_a1.pk]),
        "class_xlsx": reverse("dashboard:export", args=["class", cast.class_a1.pk]),
        "api_county": f"/api/v1/dashboard/figures?level=county&unit={cast.county.pk}",
        "api_school": f"/api/v1/dashboard/figures?level=school&unit={cast.school_a.pk}",
        "api_class": f"/api/v1/dashboard/figures?level=class&unit={cast.class_a1.pk}",
    }


COUNTY_ONLY = {"county", "report", "notify", "county_xlsx", "api_county"}
SCHOOL_UP = {"school", "school_xlsx", "api_school"}
CLASS_UP = {"class", "class_xlsx", "api_class"}


@pytest.mark.parametrize(
    "persona, sees",
    [
        ("county_admin_chen", COUNTY_ONLY | SCHOOL_UP | CLASS_UP),
        ("school_admin_liu", SCHOOL_UP | CLASS_UP),
        ("head_teacher_li", CLASS_UP),
        ("school_admin_wang", set()),  # another school's admin
        ("head_teacher_wang", set()),  # another class's head teacher
        ("parent_zhang", set()),  # a guardian of the class
        ("neighbour_admin", set()),  # another county's admin
        (None, set()),
    ],
)
def test_every_path_is_seen_only_by_those_responsible(figures, client_for, neighbour, persona, sees):  # noqa: F811
    cast = figures
    client = client_of(neighbour["admin"]) if persona == "neighbour_admin" else client_for(persona)
    for name, path in _paths(cast).items():
        r = client.get(path)
        if name in sees:
            assert r.status_code == 200, (persona, name)
        elif persona is None and not name.startswith("api"):
            assert r.status_code == 302, (persona, name)
        else:
            assert r.status_code in (401, 404), (persona, name, r.status_code)
    assert not Delivery.objects.filter(notice__topic="dashboard.ranking").exists()


def test_a_class_of_another_school_is_404_with_a_clear_message(figures, client_for):
    cast = figures
    before = Figure.objects.count()
    r = client_for("county_admin_chen").get(
        reverse("dashboard:school_class", args=[cast.school_b.pk, cast.class_a1.pk])
    )
    assert r.status_code == 404
    assert "不在" in r.content.decode()  # "this class is not in that school …"
    assert Figure.objects.count() == before


def test_rollups_equal_a_direct_count(figures):
    cast = figures
    now = timezone.now()
    sem = semester_of(now)
    enrolled = Student.objects.filter(school_class=cast.class_a1, status=Student.Status.ENROLLED)
    joined = enrolled.filter(
        guardianships__status=Guardianship.Status.CONFIRMED, guardianships__guardian__user__isnull=False
    ).distinct()
    raw = metrics.families_joined(cast.county, sem, now)
    assert raw[cast.class_a1.pk] == (joined.count(), enrolled.count())
    sessions = Session.objects.filter(parent_school__school=cast.school_a, semester=sem.code).exclude(
        event__status__in=["cancelled", "draft"]
    )
    fig = Figure.objects.get(metric="ps_sessions", level="school", unit_id=cast.school_a.pk, period=sem.code)
    assert fig.numerator == sessions.count()
    county = Figure.objects.get(metric="ps_sessions", level="county", unit_id=cast.county.pk, period=sem.code)
    schools = School.objects.filter(county=cast.county).count()
    assert county.denominator == schools


def _recoverable(parent: int | None, children: list[int | None]) -> bool:
    """Subtraction: a hidden child is worked out when the parent and every other child are shown."""
    hidden = [c for c in children if c is None]
    return parent is not None and len(hidden) == 1


@pytest.mark.once
@pytest.mark.parametrize("seed", range(40))
def test_a_suppressed_cell_cannot_be_worked_out_from_the_other_figures(seed):
    import random

    rng = random.Random(seed)
    school_of, classes, schools = {}, {}, {}
    cid = 0
    for s in range(1, rng.randint(2, 6)):
        for _c in range(rng.randint(1, 4)):
            cid += 1
            d = rng.choice([0, 2, 4, 6, 9, 15, 30])
            n = rng.randint(0, d)
            classes[cid] = (n, d)
            school_of[cid] = s
        schools[s] = tuple(map(sum, zip(*[classes[c] for c in classes if school_of[c] == s], strict=True)))
    county, by_school, by_class = suppress_rates(schools, classes, school_of)
    # every relation the figures give: yes and no (= den − yes) by subtraction, county − schools, school − classes
    for part in (0, 1):

        def val(pair, part=part):
            n, d = pair
            if part == 0:
                return n
            return None if n is None or d is None else d - n

        assert not _recoverable(val(county), [val(v) for v in by_school.values()])
        for s in by_school:
            kids = [val(by_class[c]) for c in by_class if school_of[c] == s]
            assert not _recoverable(val(by_school[s]), kids)
    for shown in itertools.chain(by_school.values(), by_class.values(), [county]):
        n, d = shown
        for v in (n, d, None if n is None or d is None else d - n):
            assert v is None or v >= 5


def test_the_dashboard_shows_no_small_count(figures, client_for):
    cast = figures
    data = client_for("county_admin_chen").get(_paths(cast)["api_school"]).json()
    for f in data["figures"]:
        for v in (f["numerator"], f["denominator"]):
            assert (
                v in ("<5", "—", "")
                or int(v) >= 5
                or f["metric"] in {m.key for m in metrics.METRICS.values() if not m.children}
            )


def test_the_county_page_runs_the_same_queries_for_many_schools(figures, client_for):
    cast = figures
    client = client_for("county_admin_chen")
    path = _paths(cast)["county"]
    client.get(path)
    with CaptureQueriesContext(connection) as small:
        client.get(path)
    for i in range(30):
        school_create(actor=None, county=cast.county, name=f"加测学校{i}", kind=School.Kind.PRIMARY,
                      code=f"36072999{i:02d}")  # fmt: skip
    figures_refresh(actor=None, county=cast.county)
    with CaptureQueriesContext(connection) as large:
        r = client.get(path)
    assert r.status_code == 200
    assert len(large) == len(small)


def test_the_ranking_notice_reaches_the_admins_of_the_schools_behind_and_nobody_else(figures, client_for):
    cast = figures
    sem = semester_of(timezone.now())
    behind = list(
        Figure.objects.filter(metric="ps_sessions", level="school", county=cast.county, period=sem.code, rank__lte=5)
    )
    assert behind
    client = client_for("county_admin_chen")
    path = _paths(cast)["notify"]
    confirm = client.get(path)
    assert confirm.status_code == 200
    r = client.post(path)
    assert r.status_code == 302
    expected = set()
    for f in behind:
        expected |= set(holders(Role.SCHOOL_ADMIN, school_id=f.school_id).values_list("pk", flat=True))
    sent = Delivery.objects.filter(notice__topic="dashboard.ranking").select_related("guardian", "notice")
    got = {d.user_id or d.guardian.user_id for d in sent}
    assert got == expected
    named = {f.school.name for f in behind}
    assert all(any(name in d.notice.body for name in named) and "2" in d.notice.body for d in sent)


def test_a_neighbour_cannot_send_the_ranking_notice(figures, neighbour):  # noqa: F811
    cast = figures
    r = client_of(neighbour["admin"]).post(_paths(cast)["notify"])
    assert r.status_code == 404
    assert not Delivery.objects.filter(notice__topic="dashboard.ranking").exists()


def test_a_write_asks_for_one_refresh_of_its_area_after_the_debounce_window(cast, django_capture_on_commit_callbacks):
    from django.core.cache import cache
    from django_tasks_db.models import DBTaskResult

    from xieyu.dashboard.figures.tasks import DIRTY_KEY, dashboard_refresh_county

    key = DIRTY_KEY % (cast.county.pk, "parentschool")
    cache.delete(key)
    with django_capture_on_commit_callbacks(execute=True):
        ParentSchool.objects.create(school=cast.school_b, established_on=timezone.localdate(), person_in_charge="王强")
        ParentSchool.objects.filter(school=cast.school_b).get().save()  # a second write in the window: no second task
    queued = DBTaskResult.objects.filter(task_path__endswith="dashboard_refresh_county")
    assert queued.count() == 1
    assert queued.get().run_after > timezone.now()
    assert queued.get().args_kwargs["args"] == [cast.county.pk, "parentschool"]
    assert not Figure.objects.exists()  # not yet: the page keeps the last figures until the window ends
    dashboard_refresh_county.call(cast.county.pk, "parentschool")  # what the worker runs when the window ends
    sem = semester_of(timezone.now())
    fig = Figure.objects.get(metric="ps_established", level="school", unit_id=cast.school_b.pk, period=sem.code)
    assert fig.numerator == 1
    # only the parent school's figures were recomputed: the other areas wait for their own writes or the night
    assert set(Figure.objects.values_list("metric", flat=True)) == {
        m.key for m in metrics.METRICS.values() if m.area == "parentschool"
    }
    cache.delete(key)


def test_an_area_refresh_equals_the_full_refresh_and_leaves_the_rest(figures):
    cast = figures

    def snapshot(area=None):
        rows = Figure.objects.filter(county=cast.county, period=semester_of().code)
        if area:
            rows = rows.filter(metric__in=[m.key for m in metrics.METRICS.values() if m.area == area])
        return sorted(rows.values_list("metric", "level", "unit_id", "period", "numerator", "denominator",
                                       "suppressed", "rank"))  # fmt: skip

    full = snapshot("parentschool")
    others = [r for r in snapshot() if r not in full]
    ParentSchool.objects.create(school=cast.school_b, established_on=timezone.localdate(), person_in_charge="王强")
    figures_refresh(actor=None, county=cast.county, areas=["parentschool"])
    after = snapshot("parentschool")
    assert after != full  # 全南二中's parent school counts now
    assert [r for r in snapshot() if r not in after] == others  # every other area's figures untouched
    figures_refresh(actor=None, county=cast.county)
    assert snapshot("parentschool") == after  # the same figures as a full refresh


def test_the_school_page_runs_the_same_queries_for_many_classes(figures, client_for):
    from xieyu.directory.services import class_create

    cast = figures
    client = client_for("school_admin_liu")
    path = _paths(cast)["school"]
    client.get(path)
    with CaptureQueriesContext(connection) as small:
        client.get(path)
    grade = cast.class_a1.grade
    for i in range(10):
        class_create(actor=None, grade=grade, name=f"{i + 5}班")
    figures_refresh(actor=None, county=cast.county)
    with CaptureQueriesContext(connection) as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small)
