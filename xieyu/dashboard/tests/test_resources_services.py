"""Resource reports: one per school and year, figures with validation (a negative amount is refused, spending over
plan is a warning), submission, the county returning it; and the county's table beside each school."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from xieyu.dashboard.leadership.years import current_year
from xieyu.dashboard.resources import access, services
from xieyu.dashboard.resources.models import BudgetLine, ResourceReport

pytestmark = pytest.mark.django_db


def figures(**over):
    args = {"dedicated_staff": 1, "part_time_staff": 6, "coordinator": "刘芳", "hours": "240.5",
            "rooms": ["parent_school", "counselling"], "rooms_other": "", "equipment": "投影仪1台", "note": "",
            "budget": {"training": ("5000", "4200.50"), "activities": ("8000", "9000"), "materials": ("1200", "0"),
                       "equipment": ("0", "0"), "other": ("0", "0")}}  # fmt: skip
    args.update(over)
    return args


@pytest.fixture
def report(cast):
    return services.report_create(actor=cast.school_admin_liu, school=cast.school_a, year=current_year())


def test_a_report_is_filled_submitted_and_returned_with_a_note(cast, report):
    warnings = services.report_update(actor=cast.school_admin_liu, report=report, **figures())
    assert warnings == ["活动:已支出9000.00元,超过预算8000.00元。"]  # over plan: a warning, saved all the same
    assert BudgetLine.objects.get(report=report, category="training").spent == Decimal("4200.50")
    services.report_submit(actor=cast.school_admin_liu, report=report)
    with pytest.raises(ValidationError) as exc:
        services.report_update(actor=cast.school_admin_liu, report=report, **figures(dedicated_staff=9))
    assert "已报送" in " ".join(exc.value.messages)
    services.report_return(actor=cast.county_admin_chen, report=report, note="请补充心理咨询室的设备情况。")
    report.refresh_from_db()
    assert report.status == ResourceReport.Status.RETURNED and "心理咨询室" in report.return_note
    services.report_update(actor=cast.school_admin_liu, report=report, **figures(dedicated_staff=2))
    services.report_submit(actor=cast.school_admin_liu, report=report)
    assert ResourceReport.objects.get(pk=report.pk).status == ResourceReport.Status.SUBMITTED


@pytest.mark.parametrize("over, words", [
    ({"budget": {"training": ("-100", "0")}}, "不能为负数"),
    ({"budget": {"activities": ("100", "12.345")}}, "两位小数"),
    ({"budget": {"activities": ("abc", "0")}}, "金额"),
    ({"budget": {"bribes": ("1", "0")}}, "经费类别"),
    ({"hours": "-3"}, "工时"),
    ({"dedicated_staff": -1}, "专职人员"),
    ({"rooms": ["ballroom"]}, "场室"),
])  # fmt: skip
def test_bad_figures_are_refused_in_chinese_and_nothing_changes(cast, report, over, words):
    with pytest.raises(ValidationError) as exc:
        services.report_update(actor=cast.school_admin_liu, report=report, **figures(**over))
    assert words in " ".join(exc.value.messages)
    report.refresh_from_db()
    assert report.dedicated_staff == 0 and report.hours == 0
    assert not BudgetLine.objects.filter(report=report).exclude(planned=0).exists()


def test_a_report_cannot_be_submitted_empty_nor_twice_a_year(cast, report):
    with pytest.raises(ValidationError) as exc:
        services.report_submit(actor=cast.school_admin_liu, report=report)
    assert "负责人" in " ".join(exc.value.messages)
    with pytest.raises(ValidationError):
        services.report_create(actor=cast.school_admin_liu, school=cast.school_a, year=report.year)
    with pytest.raises(ValidationError):  # a draft is not returned
        services.report_return(actor=cast.county_admin_chen, report=report, note="请修改")


def test_the_county_table_counts_submitted_reports_only(cast, report):
    services.report_update(actor=cast.school_admin_liu, report=report, **figures())
    services.report_submit(actor=cast.school_admin_liu, report=report)
    other = services.report_create(actor=cast.school_admin_wang, school=cast.school_b, year=report.year)
    services.report_update(actor=cast.school_admin_wang, report=other, **figures(part_time_staff=40))  # a draft
    rows = {r["school_id"]: r for r in access.resources_by_school(cast.county, report.year)}
    a, b = rows[cast.school_a.pk], rows[cast.school_b.pk]
    assert a["submitted"] and a["planned"] == Decimal("14200.00") and a["overspent"]
    assert a["per_student"] == (Decimal("14200") / a["students"]).quantize(Decimal("0.01"))
    assert not b["submitted"] and "planned" not in b
    totals = access.county_totals(list(rows.values()))
    assert (totals["submitted"], totals["part_time_staff"], totals["planned"]) == (1, 6, Decimal("14200.00"))


def test_the_school_dashboard_shows_the_report_and_the_tasks_beside_its_results(cast, report, client_for):
    from django.urls import reverse

    url = reverse("dashboard:school", args=[cast.school_a.pk])
    before = client_for("county_admin_chen").get(url).content.decode()
    assert "资源保障与工作进度" in before and "草稿" in before and "¥" not in before  # a draft shows no figures

    services.report_update(actor=cast.school_admin_liu, report=report, **figures())
    services.report_submit(actor=cast.school_admin_liu, report=report)
    page = client_for("county_admin_chen").get(url).content.decode()
    assert "1 名专职、6 名兼职人员，240.5 小时" in page
    assert "预算 ¥14200.00，已支出 ¥13200.50" in page and "有类目超出预算" in page
    assert reverse("dashboard:resources_report", args=[report.pk]) in page
    assert "资源保障与工作进度" not in client_for("school_admin_wang").get(url).content.decode()
