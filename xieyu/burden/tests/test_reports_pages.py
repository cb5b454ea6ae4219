"""双减 reports: a family reports, anonymously to the school; the county acknowledges and handles it on the clock, the
family hears the outcome; the school sees only a summary that names nobody."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xieyu.burden.reports import services
from xieyu.burden.reports.models import BurdenReport
from xieyu.deadlines.services import deadline_for
from xieyu.notices.models import Notice


def post_data(cast, **over):
    data = {
        "student": cast.students["zhang_xiaoming"].pk, "kind": "grading", "school_class": str(cast.class_a1.pk),
        "what_happened": "老师在群里要求家长每天批改数学作业并拍照上传。",
        "happened_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
    }  # fmt: skip
    data.update(over)
    return data


@pytest.fixture
def report(cast):
    return services.report_file(
        actor=cast.users["parent_zhang"], student=cast.students["zhang_xiaoming"], kind="tutoring",
        what_happened="班主任推荐收费补习班。", happened_on=timezone.localdate(), school_class=cast.class_a1,
    )  # fmt: skip


def test_a_parent_files_a_report_that_goes_to_the_county_on_the_clock(cast, client_for):
    client = client_for("parent_zhang")
    page = client.get(reverse("burden:report_new"))
    assert page.status_code == 200 and "学校不会知道" in page.content.decode()
    response = client.post(reverse("burden:report_new"), post_data(cast))
    assert response.status_code == 302
    report = BurdenReport.objects.get()
    assert report.school == cast.school_a and report.school_class == cast.class_a1
    d = deadline_for(report)
    assert d is not None and d.policy.name == "burden.report" and d.county_id == cast.county.pk
    assert "批改数学作业" in client.get(response.url).content.decode()


def test_an_overdue_report_stays_off_the_school_s_overdue_list(cast, report):
    from xieyu.deadlines.access import deadlines_visible_to

    assert deadline_for(report).school_id is None
    assert not deadlines_visible_to(cast.school_admin_liu).exists()
    assert deadlines_visible_to(cast.county_admin_chen).filter(pk=deadline_for(report).pk).exists()


@pytest.mark.parametrize("field, value, word", [
    ("kind", "x", "问题类型"), ("what_happened", " ", "发生了什么"), ("happened_on", "2099-01-01", "今天"),
    ("happened_on", "昨天", "发生时间"), ("school_class", "99999", "班级"), ("student", "99999", "孩子"),
    ("what_happened", "长" * 2001, "2000"),
])  # fmt: skip
def test_bad_reports_name_the_field_and_change_nothing(cast, client_for, field, value, word):
    response = client_for("parent_zhang").post(reverse("burden:report_new"), post_data(cast, **{field: value}))
    assert response.status_code == 422 and word in response.content.decode()
    assert not BurdenReport.objects.exists()


def test_a_class_of_another_school_is_refused(cast, client_for):
    response = client_for("parent_zhang").post(reverse("burden:report_new"),
                                               post_data(cast, school_class=str(cast.class_b1.pk)))  # fmt: skip
    assert response.status_code == 422 and not BurdenReport.objects.exists()


@pytest.mark.parametrize("persona, status", [
    ("parent_zhang", 200), ("county_admin_chen", 200), ("grandma_zhao", 404), ("parent_sun", 404),
    ("school_admin_liu", 404), ("head_teacher_li", 404), ("teacher_he", 404), (None, 302),
])  # fmt: skip
def test_only_the_family_and_the_county_open_a_report(cast, client_for, report, persona, status):
    assert client_for(persona).get(reverse("burden:report_detail", args=[report.pk])).status_code == status


@pytest.mark.parametrize("persona, status", [
    ("county_admin_chen", 200), ("school_admin_liu", 404), ("head_teacher_li", 404), ("parent_zhang", 404),
    (None, 302),
])  # fmt: skip
def test_the_inbox_is_the_countys(cast, client_for, report, persona, status):
    response = client_for(persona).get(reverse("burden:report_inbox"))
    assert response.status_code == status
    if status == 200:
        assert "推销有偿补课" in response.content.decode()


def test_the_report_page_asks_a_guardian_with_no_child_for_nothing(cast, client_for):
    assert client_for("school_admin_liu").get(reverse("burden:report_new")).status_code == 404


def test_the_county_acknowledges_and_handles_and_the_family_hears(cast, client_for, report):
    county = client_for("county_admin_chen")
    url = reverse("burden:report_act", args=[report.pk])
    assert client_for("school_admin_liu").post(url, {"action": "acknowledge"}).status_code == 404
    assert client_for("parent_zhang").post(url, {"action": "acknowledge"}).status_code == 404
    county.post(url, {"action": "acknowledge"})
    report.refresh_from_db()
    assert report.state == BurdenReport.State.ACKNOWLEDGED and deadline_for(report).first_responded_at is not None
    empty = county.post(url, {"action": "handle", "outcome": " "}, follow=True)
    assert "处理结果" in empty.content.decode()
    report.refresh_from_db()
    assert report.state == BurdenReport.State.ACKNOWLEDGED
    county.post(url, {"action": "handle", "outcome": "已约谈该教师，停止推荐补习班。"})
    report.refresh_from_db()
    assert report.state == BurdenReport.State.HANDLED and deadline_for(report).resolved_at is not None
    titles = list(Notice.objects.filter(topic="burden.report").values_list("title", flat=True))
    assert "您反映的“双减”问题已处理" in titles
    family = client_for("parent_zhang").get(reverse("burden:report_detail", args=[report.pk])).content.decode()
    assert "已约谈该教师" in family
    again = county.post(url, {"action": "handle", "outcome": "再次"}, follow=True)
    assert "已经处理完毕" in again.content.decode()


def test_the_school_gets_a_summary_without_the_familys_identity(cast, client_for, report):
    county = client_for("county_admin_chen")
    county.post(reverse("burden:report_act", args=[report.pk]),
                {"action": "summary", "summary": "有家长反映三年级存在推荐有偿补课的情况，请核查整改。"})  # fmt: skip
    notice = Notice.objects.get(topic="burden.report")
    assert "张伟" not in notice.body and "张小明" not in notice.body and notice.link == ""
    report.refresh_from_db()
    assert report.summary_sent_at is not None
    bad = county.post(reverse("burden:report_act", args=[report.pk]), {"action": "zap"}, follow=True)
    assert "操作" in bad.content.decode()


def test_pages_keep_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    for i in range(12):
        services.report_file(actor=cast.users["parent_zhang"], student=cast.students["zhang_xiaoming"], kind="grading",
                             what_happened=f"第{i}次", happened_on=timezone.localdate())  # fmt: skip
    county, parent = client_for("county_admin_chen"), client_for("parent_zhang")
    with django_assert_max_num_queries(12):
        assert county.get(reverse("burden:report_inbox")).status_code == 200
    with django_assert_max_num_queries(14):
        assert parent.get(reverse("burden:report_new")).status_code == 200


# --- the API -----------------------------------------------------------------------------------------------------


def test_the_api_files_and_lists_hers(cast, client_for):
    client = client_for("parent_zhang")
    body = {"student_id": cast.students["zhang_xiaoming"].pk, "kind": "phone_homework",
            "what_happened": "要求用手机打卡完成作业", "happened_on": timezone.localdate().isoformat()}  # fmt: skip
    created = client.post("/api/v1/burden/reports", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["state"] == "received"
    listed = client.get("/api/v1/burden/reports").json()
    assert listed["count"] == 1 and listed["items"][0]["kind"] == "phone_homework"
    assert client.get(f"/api/v1/burden/reports/{created.json()['id']}").status_code == 200
    assert client_for("grandma_zhao").get("/api/v1/burden/reports").json()["count"] == 0
    assert client_for("grandma_zhao").get(f"/api/v1/burden/reports/{created.json()['id']}").status_code == 404
    assert client_for("school_admin_liu").get(f"/api/v1/burden/reports/{created.json()['id']}").status_code == 404
    assert client_for(None).get("/api/v1/burden/reports").status_code == 401


@pytest.mark.parametrize("over, word", [
    ({"kind": "x"}, "问题类型"), ({"what_happened": ""}, "发生了什么"), ({"student_id": 999999}, "孩子"),
    ({"happened_on": "2099-01-01"}, "今天"),
])  # fmt: skip
def test_the_api_refuses_bad_reports(cast, client_for, over, word):
    body = {"student_id": cast.students["zhang_xiaoming"].pk, "kind": "grading", "what_happened": "x",
            "happened_on": timezone.localdate().isoformat(), **over}  # fmt: skip
    response = client_for("parent_zhang").post("/api/v1/burden/reports", body, content_type="application/json")
    assert response.status_code == 422 and word in response.json()["error"]["message"]
    assert not BurdenReport.objects.exists()


def test_the_api_refuses_another_familys_child(cast, client_for):
    body = {"student_id": cast.students["sun_hao"].pk, "kind": "grading", "what_happened": "x",
            "happened_on": timezone.localdate().isoformat()}  # fmt: skip
    response = client_for("parent_zhang").post("/api/v1/burden/reports", body, content_type="application/json")
    assert response.status_code == 422 and not BurdenReport.objects.exists()
