"""After-school service "5+2": a school admin enters the weekly schedule; the county sees the schools short of 2 hours,
not every school day, ending before the local off-work time, or with no schedule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xieyu.burden.afterschool.models import AfterschoolSchedule, AfterschoolSetting

GOOD = {"start": "16:00", "end": "18:00"}


def week(**days):
    data = {}
    for n in range(1, 6):
        d = days.get(f"d{n}", GOOD)
        if d is not None:
            data[f"held_{n}"] = "on"
            data[f"start_{n}"], data[f"end_{n}"] = d["start"], d["end"]
    return data


def test_a_school_admin_enters_a_good_schedule(cast, client_for):
    client = client_for("school_admin_liu")
    assert "尚未填报" in client.get(reverse("burden:afterschool")).content.decode()
    response = client.post(reverse("burden:afterschool"), {**week(), "school": cast.school_a.pk, "notes": "含托管"})
    assert response.status_code == 302
    s = AfterschoolSchedule.objects.get(school=cast.school_a)
    assert s.meets_rule and s.days_held == 5 and s.shortest_minutes == 120


def test_the_county_sees_the_school_short_and_the_one_without_schedule(cast, client_for):
    client_for("school_admin_liu").post(
        reverse("burden:afterschool"),
        week(d3={"start": "16:00", "end": "17:00"}, d5=None) | {"school": cast.school_a.pk},
    )
    s = AfterschoolSchedule.objects.get(school=cast.school_a)
    assert s.is_short and s.not_every_day and s.ends_early and not s.meets_rule
    page = client_for("county_admin_chen").get(reverse("burden:afterschool_county")).content.decode()
    assert "全南县城厢小学" in page and "不足 2 小时" in page and "5 个上学日中只有 4 天" in page
    assert "全南县第二中学" in page and "尚未填报" in page


def test_a_later_off_work_time_makes_an_early_end_short(cast, client_for):
    client_for("school_admin_liu").post(reverse("burden:afterschool"),
                                        week(**{f"d{n}": {"start": "15:40", "end": "17:40"} for n in range(1, 6)}))  # fmt: skip
    assert AfterschoolSchedule.objects.get().meets_rule
    county = client_for("county_admin_chen")
    assert county.post(reverse("burden:afterschool_county"), {"off_work_time": "18:00"}).status_code == 302
    s = AfterschoolSchedule.objects.get()
    assert s.ends_early and not s.meets_rule
    assert AfterschoolSetting.objects.get(county=cast.county).off_work_time.hour == 18


@pytest.mark.parametrize("time", ["25:00", "abc", "11:00", ""])
def test_a_bad_off_work_time_is_refused(cast, client_for, time):
    response = client_for("county_admin_chen").post(reverse("burden:afterschool_county"), {"off_work_time": time})
    assert response.status_code == 422 and "下班时间" in response.content.decode()
    assert not AfterschoolSetting.objects.exists()


@pytest.mark.parametrize("days, word", [
    ({"d1": {"start": "18:00", "end": "16:00"}}, "星期一：结束时间须晚于开始时间"),
    ({"d2": {"start": "11:00", "end": "13:00"}}, "星期二：时间须在 12:00 到 22:00 之间"),
    ({"d3": {"start": "16:00", "end": ""}}, "星期三：开展课后服务的日子需要填写开始和结束时间"),
    ({"d4": {"start": "16:00", "end": "23:00"}}, "22:00"),
    ({"d5": {"start": "四点", "end": "18:00"}}, "星期五"),
])  # fmt: skip
def test_bad_schedules_name_the_day_and_change_nothing(cast, client_for, days, word):
    response = client_for("school_admin_liu").post(reverse("burden:afterschool"), week(**days))
    assert response.status_code == 422 and word in response.content.decode()
    assert not AfterschoolSchedule.objects.exists()


@pytest.mark.parametrize("persona, status", [
    ("school_admin_liu", 200), ("school_admin_wang", 404), ("county_admin_chen", 200), ("head_teacher_li", 404),
    ("parent_zhang", 404), (None, 302),
])  # fmt: skip
def test_a_schools_schedule_page_matrix(cast, client_for, persona, status):
    response = client_for(persona).get(reverse("burden:afterschool") + f"?school={cast.school_a.pk}")
    assert response.status_code == status


def test_the_county_reads_but_does_not_edit_a_schools_schedule(cast, client_for):
    county = client_for("county_admin_chen")
    assert county.post(reverse("burden:afterschool"), {**week(), "school": cast.school_a.pk}).status_code == 404
    assert client_for("school_admin_wang").post(reverse("burden:afterschool"),
                                                {**week(), "school": cast.school_a.pk}).status_code == 404  # fmt: skip
    assert not AfterschoolSchedule.objects.exists()


@pytest.mark.parametrize("persona, status", [
    ("county_admin_chen", 200), ("school_admin_liu", 404), ("head_teacher_li", 404), ("parent_zhang", 404),
    (None, 302),
])  # fmt: skip
def test_the_county_page_matrix(cast, client_for, persona, status):
    assert client_for(persona).get(reverse("burden:afterschool_county")).status_code == status


def test_the_county_page_keeps_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    from xieyu.burden.afterschool.services import schedule_save
    from xieyu.directory.models import School

    for i in range(15):
        school = School.objects.create(county=cast.county, name=f"测试学校{i}", kind=cast.school_a.kind,
                                       code=f"T{i:04d}")  # fmt: skip
        if i % 2:
            schedule_save(actor=None, school=school, days=[{"day": 1, "held": False}])
    county = client_for("county_admin_chen")
    with django_assert_max_num_queries(12):
        page = county.get(reverse("burden:afterschool_county"))
    assert page.status_code == 200 and "测试学校1" in page.content.decode()
