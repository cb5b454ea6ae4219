"""The resource report pages, export and API, walked by the neighbours; the county's table runs a fixed number of
queries whatever the number of schools and reports."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from xieyu.dashboard.leadership.years import current_year
from xieyu.dashboard.resources import services
from xieyu.dashboard.resources.models import BudgetLine, ResourceReport
from xieyu.directory.services import school_create

from .leadership_fixtures import *  # noqa: F403
from .leadership_fixtures import client_of
from .test_resources_services import figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cast):
    report = services.report_create(actor=cast.school_admin_liu, school=cast.school_a, year=current_year())
    services.report_update(actor=cast.school_admin_liu, report=report, **figures())
    return services.report_submit(actor=cast.school_admin_liu, report=report)


def _client(cast, neighbour, who):
    if who == "anonymous":
        return Client()
    if who.startswith("neighbour_"):
        return client_of(neighbour[who.removeprefix("neighbour_")])
    return client_of(getattr(cast, who))


@pytest.mark.parametrize("who, report_page, table", [
    ("county_admin_chen", 200, 200), ("school_admin_liu", 200, 302), ("school_admin_wang", 404, 200),
    ("head_teacher_li", 404, 404), ("parent_zhang", 404, 404), ("neighbour_admin", 404, 200),
    ("neighbour_school_admin", 404, 200), ("anonymous", 302, 302),
])  # fmt: skip
def test_a_report_is_seen_by_its_school_and_its_county_only(cast, neighbour, submitted, who, report_page, table):
    client = _client(cast, neighbour, who)
    assert client.get(reverse("dashboard:resources_report", args=[submitted.pk])).status_code == report_page
    # the school admin is sent to her own report; another school's admin sees the page to start her own
    assert client.get(reverse("dashboard:resources")).status_code == table
    export = client.get(reverse("dashboard:resources_export")).status_code
    assert export == (200 if who in ("county_admin_chen", "neighbour_admin") else 302 if who == "anonymous" else 404)


def test_the_neighbour_countys_table_and_export_show_nothing_of_ours(cast, neighbour, submitted):
    client = client_of(neighbour["admin"])
    assert "城厢小学" not in client.get(reverse("dashboard:resources")).content.decode()
    book = load_workbook(io.BytesIO(client.get(reverse("dashboard:resources_export")).content), read_only=True)
    assert "城厢小学" not in str([list(r) for r in book.worksheets[0].iter_rows(values_only=True)])


@pytest.mark.parametrize("who, url_name, data", [
    ("school_admin_wang", "dashboard:resources_update", {"dedicated_staff": "9", "part_time_staff": "9"}),
    ("county_admin_chen", "dashboard:resources_update", {"dedicated_staff": "9", "part_time_staff": "9"}),
    ("school_admin_liu", "dashboard:resources_return", {"note": "自己退回"}),
    ("neighbour_admin", "dashboard:resources_return", {"note": "请修改"}),
    ("head_teacher_li", "dashboard:resources_submit", {}),
])  # fmt: skip
def test_writes_by_those_who_may_not_answer_404_and_change_nothing(cast, neighbour, submitted, who, url_name, data):
    response = _client(cast, neighbour, who).post(reverse(url_name, args=[submitted.pk]), data)
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == ResourceReport.Status.SUBMITTED and submitted.dedicated_staff == 1


def test_a_negative_budget_on_the_page_is_refused_in_chinese(cast):
    report = services.report_create(actor=cast.school_admin_liu, school=cast.school_a, year=current_year())
    data = {"dedicated_staff": "1", "part_time_staff": "2", "planned_training": "-5", "spent_training": "0"}
    response = client_of(cast.school_admin_liu).post(reverse("dashboard:resources_update", args=[report.pk]), data,
                                                     follow=True)  # fmt: skip
    assert "不能为负数" in response.content.decode()
    assert not BudgetLine.objects.filter(report=report).exclude(planned=0).exists()
    assert ResourceReport.objects.get(pk=report.pk).dedicated_staff == 0


def test_the_county_returns_a_report_and_the_school_sees_why(cast, submitted):
    client_of(cast.county_admin_chen).post(reverse("dashboard:resources_return", args=[submitted.pk]),
                                           {"note": "请补充设备清单。"})  # fmt: skip
    page = client_of(cast.school_admin_liu).get(reverse("dashboard:resources_report", args=[submitted.pk]))
    assert "请补充设备清单。" in page.content.decode() and 'id="report-edit"' in page.content.decode()


def test_the_export_has_a_row_per_school_and_the_totals(cast, submitted):
    response = client_of(cast.county_admin_chen).get(reverse("dashboard:resources_export"))
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0].iter_rows(values_only=True))
    schools = [r[0] for r in rows[2:] if r and r[0]]
    assert schools[:2] == ["全南县城厢小学", "全南县第二中学"] and schools[-1] == "合计"
    assert rows[2][-3] == 14200.0  # planned, yuan


def test_the_county_table_runs_a_fixed_number_of_queries(cast, submitted, django_assert_max_num_queries):
    client = client_of(cast.county_admin_chen)
    with django_assert_max_num_queries(40) as captured:
        client.get(reverse("dashboard:resources"))
    for n in range(4):
        school = school_create(actor=None, county=cast.county, name=f"全南县第{n + 3}小学", kind="primary",
                               code=f"36072901{n + 10}")  # fmt: skip
        r = services.report_create(actor=None, school=school, year=current_year())
        services.report_update(actor=None, report=r, **figures(coordinator="某老师"))
        services.report_submit(actor=None, report=r)
    with django_assert_max_num_queries(len(captured)):
        page = client.get(reverse("dashboard:resources"))
    assert "全南县第6小学" in page.content.decode()


API = "/api/v1/dashboard/resources"


@pytest.mark.parametrize("who, report, table", [
    ("county_admin_chen", 200, 200), ("school_admin_liu", 200, 404), ("school_admin_wang", 404, 404),
    ("head_teacher_li", 404, 404), ("parent_zhang", 404, 404), ("neighbour_admin", 404, 200), ("anonymous", 401, 401),
])  # fmt: skip
def test_the_api_follows_the_same_rules(cast, neighbour, submitted, who, report, table):
    client = _client(cast, neighbour, who)
    assert client.get(f"{API}/{submitted.pk}").status_code == report
    response = client.get(API)
    assert response.status_code == table
    if who == "neighbour_admin":
        assert all(row["school"] != "全南县城厢小学" for row in response.json()["schools"])
    back = client.post(f"{API}/{submitted.pk}/return", {"note": "请修改"}, content_type="application/json")
    assert back.status_code == (200 if who == "county_admin_chen" else 401 if who == "anonymous" else 404)


def test_the_api_refuses_a_negative_amount_in_chinese(cast):
    report = services.report_create(actor=cast.school_admin_liu, school=cast.school_a, year=current_year())
    body = {"dedicated_staff": 1, "part_time_staff": 2, "budget": {"training": {"planned": "-1", "spent": "0"}}}
    response = client_of(cast.school_admin_liu).post(f"{API}/{report.pk}", body, content_type="application/json")
    assert response.status_code == 422 and "不能为负数" in response.json()["error"]["message"]
    ok = client_of(cast.school_admin_liu).post(f"{API}/{report.pk}", {**body, "budget": {"training": {
        "planned": "100", "spent": "150"}}}, content_type="application/json")  # fmt: skip
    assert ok.status_code == 200 and ok.json()["warnings"] and ok.json()["report"]["budget"][0]["overspent"]
