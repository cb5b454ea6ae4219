"""Walk-ins and the paper sheet as stories: 赵秀英 comes to 刘芳's lecture without registering and 刘芳 finds 刘小宇 by
"lxy" and checks the family in; a family of 全南二中 is refused with the reason; afterwards the paper sheet is entered
within its window of working days."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xieyu.directory.models import Guardian, Student
from xieyu.directory.services import guardian_for_phone, guardianship_add, student_create
from xieyu.events import access, namesearch, services
from xieyu.events.models import Attendance, Event, Registration

TZ = ZoneInfo("Asia/Shanghai")


def _lecture(cast, *, start_in=datetime.timedelta(minutes=10), starts_at=None, actor=None, **kw):
    start = starts_at or timezone.now() + start_in
    kw.setdefault("audience", Event.Audience.SCHOOL)
    return services.event_create(
        actor=actor or cast.school_admin_liu, kind=Event.Kind.LECTURE, title="隔代教养讲座", school=cast.school_a,
        place="城厢小学报告厅", starts_at=start, ends_at=start + datetime.timedelta(hours=1, minutes=30),
        publish=True, **kw,
    )  # fmt: skip


def _zhao(cast) -> Guardian:
    return Guardian.objects.get(user=cast.grandma_zhao)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _walk_in(client, event, student, who, **extra):
    data = {"came": student.pk, f"who_{student.pk}": who, **extra}
    return client.post(reverse("events:walk_in", args=[event.pk]), data, follow=True)


# --- finding the family -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed, kind",
    [("lxy", "pinyin"), ("LiuXiaoYu", "pinyin"), ("ＬＸＹ", "pinyin"), ("liu xiao yu", "pinyin"), ("xi'an", "pinyin"),
     ("刘小", "hanzi"), ("1032", "phone"), ("12", "short_phone"), ("", "empty"), ("   ", "empty"),
     ("<script>alert(1)</script>", "unsupported"), ("😀" * 5000, "unsupported"), ("l1", "unsupported")],
)  # fmt: skip
def test_queries_are_cleaned_and_bounded(typed, kind):
    q = namesearch.parse_query(typed)
    assert q.kind == kind and len(q.text) <= namesearch.MAX_QUERY


@pytest.mark.parametrize("typed", ["lxy", "liuxiaoyu", "liuxy", "lxiaoyu", "liu", "xiaoyu", "xy"])
def test_pinyin_full_initials_or_mixed_spell_the_name(typed):
    assert namesearch.pinyin_position(typed, "刘小宇") is not None


@pytest.mark.parametrize("typed", ["lxyz", "zxm", "liuxiaoyux", "yx", "ix"])
def test_pinyin_that_does_not_spell_the_name(typed):
    assert namesearch.pinyin_position(typed, "刘小宇") is None


def test_every_reading_of_a_character_counts():
    assert namesearch.pinyin_position("zdf", "曾德福") == 0 and namesearch.pinyin_position("cdf", "曾德福") == 0
    assert namesearch.pinyin_position("lvbu", "吕布") == 0 and namesearch.pinyin_position("lubu", "吕布") == 0


def test_search_by_name_pinyin_and_phone_within_the_audience_and_reach(cast):
    event = _lecture(cast)
    names = lambda q: [s.name for s in access.family_search(cast.school_admin_liu, event, q).results]  # noqa: E731
    assert names("lxy") == names("liuxiaoyu") == names("刘小") == ["刘小宇"]
    assert names("1032") == ["刘小宇"]  # the last digits of his father's phone
    assert names("sunhao") == names("孙浩") == []  # 全南二中: neither in the audience nor in her reach
    assert names("cy") == ["陈雨"]  # the whole school's families
    found = access.family_search(cast.school_admin_liu, event, "lxy").results[0]
    assert [g.guardian.name for g in found.guardians_confirmed][0] == "赵秀英"  # the primary carer first
    assert not found.registered and not found.attended
    # a class lecture holds that class's families only
    class_event = _lecture(cast, audience=Event.Audience.CLASS, audience_class=cast.class_a1)
    assert [s.name for s in access.family_search(cast.school_admin_liu, class_event, "cy").results] == []


def test_search_shows_at_most_ten_and_says_there_are_more(cast):
    event = _lecture(cast)
    for i in range(12):
        student_create(actor=None, school_class=cast.class_a2, name=f"刘{'一二三四五六七八九十甲乙'[i]}",
                       gender="M", birth_date=datetime.date(2017, 1, 1), student_number=f"G3607292017010100{i:02d}")  # fmt: skip
    search = access.family_search(cast.school_admin_liu, event, "liu")
    assert len(search.results) == 10 and search.more
    assert search.results[0].name == "刘一"  # a whole-syllable match on the surname, shortest names first


# --- checking in a walk-in --------------------------------------------------------------------------------------


def test_organiser_finds_lxy_and_checks_in_the_grandmother_as_a_walk_in(cast, client_for):
    event = _lecture(cast)
    liu = client_for("school_admin_liu")
    page = liu.get(reverse("events:attendance", args=[event.pk]), {"q": "lxy"})
    body = page.content.decode()
    assert page.status_code == 200 and 'data-family="刘小宇"' in body and "data-walk-in-form" in body
    student = cast.students["liu_xiaoyu"]
    r = _walk_in(liu, event, student, _zhao(cast).pk, q="lxy")
    assert r.status_code == 200 and "刘小宇的家庭已签到(赵秀英)" in _messages(r)
    att = Attendance.objects.get(event=event)
    assert (att.student, att.guardian, att.method, att.checked_in_by) == (
        student, _zhao(cast), Attendance.Method.WALK_IN, cast.school_admin_liu)  # fmt: skip
    assert 'data-walk-in="刘小宇"' in r.content.decode()  # listed among those who came without registering
    assert "data-already" in r.content.decode()  # back on the search: now marked as checked in
    # once per family
    again = _walk_in(liu, event, student, _zhao(cast).pk)
    assert "无需重复签到" in _messages(again) and Attendance.objects.filter(event=event).count() == 1


def test_a_family_member_not_on_the_roster_may_come(cast, client_for):
    event = _lecture(cast)
    student = cast.students["liu_xiaoyu"]
    r = _walk_in(client_for("school_admin_liu"), event, student, "other", **{f"companion_{student.pk}": " 刘小宇外公 "})
    att = Attendance.objects.get(event=event)
    assert att.guardian is None and att.companion == "刘小宇外公" and att.who_came == "刘小宇外公"
    assert "刘小宇外公" in _messages(r)
    export = client_for("school_admin_liu").get(reverse("events:export", args=[event.pk]))
    assert export.status_code == 200


def test_a_registered_family_at_the_door_is_checked_in_by_the_organiser_not_as_a_walk_in(cast, client_for):
    event = _lecture(cast)
    services.registration_create(actor=cast.parent_zhang, event=event, student=cast.students["zhang_xiaoming"])
    student = cast.students["zhang_xiaoming"]
    found = access.family_search(cast.school_admin_liu, event, "zxm").results
    assert [s.registered for s in found] == [True]
    _walk_in(client_for("school_admin_liu"), event, student, Guardian.objects.get(user=cast.parent_zhang).pk)
    assert Attendance.objects.get(event=event).method == Attendance.Method.ORGANISER


def test_a_family_outside_the_audience_is_refused_with_the_reason(cast, client_for):
    # 陈建国 (county) runs 城厢小学's whole-school lecture and tries 孙浩 of 全南二中
    event = _lecture(cast)
    sun = cast.students["sun_hao"]
    r = _walk_in(client_for("county_admin_chen"), event, sun, Guardian.objects.get(user=cast.parent_sun).pk)
    text = _messages(r)
    assert "孙浩的家庭不在本活动面向的家庭之中" in text and "全南县城厢小学" in text and "全南县第二中学" in text
    # 刘芳's class lecture for 三年级1班 and 陈雨 of 三年级2班
    class_event = _lecture(cast, audience=Event.Audience.CLASS, audience_class=cast.class_a1)
    r = _walk_in(client_for("school_admin_liu"), class_event, cast.students["chen_yu"], "other")
    assert "三年级2班" in _messages(r) and "三年级1班" in _messages(r)
    # a child who left school
    Student.objects.filter(pk=cast.students["zhou_jie"].pk).update(status=Student.Status.TRANSFERRED)
    r = _walk_in(client_for("school_admin_liu"), event, cast.students["zhou_jie"], "other")
    assert "不再是在籍学生" in _messages(r)
    assert not Attendance.objects.exists()


def test_walk_ins_only_inside_the_check_in_window(cast):
    event = _lecture(cast, start_in=datetime.timedelta(days=2))
    student, zhao = cast.students["liu_xiaoyu"], _zhao(cast)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record_walk_in(actor=cast.school_admin_liu, event=event, student=student, guardian=zhao)
    assert exc.value.code == "too_early"
    late = event.ends_at + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record_walk_in(actor=cast.school_admin_liu, event=event, student=student, guardian=zhao,
                                           now=late)  # fmt: skip
    assert exc.value.code == "closed"
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("came", ["abc", "", "-1", "0", "1.5", "99999999999999999999999", "١٢"])
def test_malformed_ids_answer_404_and_write_nothing(came, cast, client_for):
    event = _lecture(cast)
    r = client_for("school_admin_liu").post(reverse("events:walk_in", args=[event.pk]), {"came": came})
    assert r.status_code == 404 and not Attendance.objects.exists()


def test_foreign_ids_answer_404_and_write_nothing(cast, client_for):
    event = _lecture(cast)
    liu = client_for("school_admin_liu")
    student = cast.students["liu_xiaoyu"]
    # a child out of 刘芳's reach (全南二中)
    assert _walk_in(liu, event, cast.students["sun_hao"], "other").status_code == 404
    # another family's guardian, a guardian id that is no number, one too large
    for who in (Guardian.objects.get(user=cast.parent_zhang).pk, "x", "9" * 30):
        assert _walk_in(liu, event, student, who).status_code == 404
    # an event of the neighbour school
    other = services.event_create(
        actor=cast.school_admin_wang, kind=Event.Kind.LECTURE, title="二中讲座", school=cast.school_b,
        audience=Event.Audience.SCHOOL, place="礼堂", starts_at=event.starts_at, ends_at=event.ends_at, publish=True,
    )  # fmt: skip
    assert _walk_in(liu, other, student, _zhao(cast).pk).status_code == 404
    assert liu.post(reverse("events:walk_in", args=["99999999"]), {}).status_code == 404
    assert not Attendance.objects.exists()


def test_bad_who_and_companion_are_refused_with_a_message(cast, client_for):
    event = _lecture(cast)
    liu, student = client_for("school_admin_liu"), cast.students["liu_xiaoyu"]
    r = liu.post(reverse("events:walk_in", args=[event.pk]), {"came": student.pk}, follow=True)
    assert "请选择" in _messages(r)
    r = _walk_in(liu, event, student, "other", **{f"companion_{student.pk}": "外" * 5000})
    assert "过长" in _messages(r)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("q", ["x" * 5000, "😀🙂" * 100, "<b>刘</b>", "<script>alert('x')</script>", "%00", "'; DROP"])
def test_strange_queries_are_handled(q, cast, client_for):
    event = _lecture(cast)
    r = client_for("school_admin_liu").get(reverse("events:attendance", args=[event.pk]), {"q": q})
    body = r.content.decode()
    assert r.status_code == 200
    assert "<script>alert" not in body and "<b>刘</b>" not in body
    assert len(body) < 60_000


# --- who may: the matrix ----------------------------------------------------------------------------------------

# persona → (attendance page with a search, walk-in POST, paper page, printable sheet)
MATRIX = {
    "school_admin_liu": (200, 302, 200, 200),  # the organiser: school admin of the organising school
    "county_admin_chen": (200, 302, 200, 200),  # above
    "head_teacher_li": (200, 404, 404, 200),  # sees attendance and prints the sheet, checks no one in
    "school_admin_wang": (404, 404, 404, 404),  # the neighbour school's admin
    "parent_zhang": (404, 404, 404, 404),  # a guardian of the school
    "grandma_zhao": (404, 404, 404, 404),  # the grandmother herself
    None: (302, 302, 302, 302),  # anonymous: to the login page
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_who_may_search_and_check_in(persona, cast, client_for):
    event = _lecture(cast)
    client = client_for(persona)
    student = cast.students["liu_xiaoyu"]
    got = (
        client.get(reverse("events:attendance", args=[event.pk]), {"q": "lxy"}).status_code,
        client.post(reverse("events:walk_in", args=[event.pk]),
                    {"came": student.pk, f"who_{student.pk}": _zhao(cast).pk}).status_code,
        client.get(reverse("events:paper", args=[event.pk])).status_code,
        client.get(reverse("events:sheet", args=[event.pk])).status_code,
    )  # fmt: skip
    assert got == MATRIX[persona]
    if persona is None:
        assert client.get(reverse("events:attendance", args=[event.pk]))["Location"].startswith("/login/")
    assert Attendance.objects.exists() == (MATRIX[persona][1] == 302 and persona is not None)
    if persona == "head_teacher_li":
        body = client.get(reverse("events:attendance", args=[event.pk]), {"q": "lxy"}).content.decode()
        assert "data-walk-in-form" not in body and 'data-family="刘小宇"' not in body


def test_attendance_page_with_search_results_runs_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    from xieyu.events.tests.test_events import len_queries

    event = _lecture(cast)
    liu = client_for("school_admin_liu")
    url = reverse("events:attendance", args=[event.pk])
    liu.get(url)  # warm
    few = {q: len_queries(liu, f"{url}?q={q}") for q in ("lxy", "1032", "刘")}
    for i in range(11):
        s = student_create(actor=None, school_class=cast.class_a1, name=f"刘{'晓笑肖孝校效啸霄潇萧筱'[i]}宇",
                           gender="F", birth_date=datetime.date(2017, 2, 2), student_number=f"G36072920170202{i:04d}")  # fmt: skip
        for k in range(2):
            g = guardian_for_phone(name=f"家长{i}{k}", phone=f"139{i:02d}{k}01032")
            guardianship_add(actor=None, student=s, guardian=g, relationship="mother")
        services.attendance_record_walk_in(actor=cast.school_admin_liu, event=event, student=s, guardian=g)
    many = {q: len_queries(liu, f"{url}?q={q}") for q in ("lxy", "1032", "刘")}
    assert many == few
    assert all(len(access.family_search(cast.school_admin_liu, event, q).results) == 10 for q in few)
    with django_assert_max_num_queries(max(few.values())):
        body = liu.get(url, {"q": "lxy"}).content.decode()
    assert body.count("data-family=") == 10 and "data-search-more" in body


def test_the_search_box_answers_htmx_with_the_results_only(cast, client_for):
    event = _lecture(cast)
    r = client_for("school_admin_liu").get(
        reverse("events:attendance", args=[event.pk]), {"q": "lxy"},
        HTTP_HX_REQUEST="true", HTTP_HX_TARGET="family-results",
    )  # fmt: skip
    body = r.content.decode()
    assert r.status_code == 200 and body.lstrip().startswith('<div id="family-results"') and "<html" not in body


# --- the paper sign-in sheet ------------------------------------------------------------------------------------


def _wednesday_lecture(cast):
    """Wednesday 2026-11-11, 19:00–20:30: five working days after it are Thu 12 to Wed 18 November."""
    start = datetime.datetime(2026, 11, 11, 19, 0, tzinfo=TZ)
    event = _lecture(cast, starts_at=start)
    for persona, key in (("parent_zhang", "zhang_xiaoming"), ("grandma_zhao", "liu_xiaoyu")):
        with time_machine.travel(start - datetime.timedelta(days=2)):
            services.registration_create(actor=getattr(cast, persona), event=event, student=cast.students[key])
    return event


def test_paper_window_is_from_the_start_to_the_fifth_working_day_after(cast):
    event = _wednesday_lecture(cast)
    opens, closes = services.paper_window(event)
    assert opens == event.starts_at and closes == datetime.datetime(2026, 11, 19, 0, 0, tzinfo=TZ)
    entry = [services.PaperEntry(student=cast.students["liu_xiaoyu"], guardian=_zhao(cast))]
    for now, code in ((event.starts_at - datetime.timedelta(minutes=1), "too_early"), (closes, "closed")):
        with pytest.raises(ValidationError) as exc:
            services.attendance_record_paper(actor=cast.school_admin_liu, event=event, entries=entry, now=now)
        assert exc.value.code == code
    done = services.attendance_record_paper(actor=cast.school_admin_liu, event=event, entries=entry,
                                            now=closes - datetime.timedelta(minutes=1))  # fmt: skip
    assert [a.method for a in done] == [Attendance.Method.PAPER]


def test_organiser_enters_the_paper_sheet_after_the_lecture(cast, client_for):
    event = _wednesday_lecture(cast)
    liu = client_for("school_admin_liu")
    zhang, liu_xy, chen = cast.students["zhang_xiaoming"], cast.students["liu_xiaoyu"], cast.students["chen_yu"]
    url = reverse("events:paper", args=[event.pk])
    with time_machine.travel(datetime.datetime(2026, 11, 13, 9, 0, tzinfo=TZ)):
        page = liu.get(url)
        body = page.content.decode()
        assert 'data-paper-row="张小明"' in body and 'data-paper-row="刘小宇"' in body
        assert "11-18 23:59" in body  # the rule, stated on the page
        assert 'data-family="陈雨"' in liu.get(url, {"q": "cy"}).content.decode()  # a walk-in, by the same search
        r = liu.post(url, {"came": [zhang.pk, liu_xy.pk, chen.pk], f"who_{zhang.pk}": "other",
                           f"companion_{zhang.pk}": "黄丽", f"who_{liu_xy.pk}": _zhao(cast).pk,
                           f"who_{chen.pk}": "other"}, follow=True)  # fmt: skip
        assert "3" in _messages(r)
        got = {a.student.name: (a.method, a.who_came) for a in Attendance.objects.filter(event=event)}
        assert got == {"张小明": ("paper", "黄丽"), "刘小宇": ("paper", "赵秀英"),
                       "陈雨": ("paper", "未登记的家人")}  # fmt: skip
        body = liu.get(reverse("events:attendance", args=[event.pk])).content.decode()
        assert 'data-walk-in="陈雨"' in body and "纸质签到表" in body
    with time_machine.travel(datetime.datetime(2026, 11, 19, 8, 0, tzinfo=TZ)):
        assert "data-paper-closed" in liu.get(url).content.decode()
        r = liu.post(url, {"came": [zhang.pk], f"who_{zhang.pk}": "other"}, follow=True)
        assert "已过" in _messages(r)


def test_paper_sheet_is_all_or_nothing(cast, client_for):
    event = _wednesday_lecture(cast)
    chen = client_for("county_admin_chen")
    url = reverse("events:paper", args=[event.pk])
    zhang, sun = cast.students["zhang_xiaoming"], cast.students["sun_hao"]
    with time_machine.travel(datetime.datetime(2026, 11, 12, 9, 0, tzinfo=TZ)):
        r = chen.post(url, {"came": [zhang.pk, sun.pk], f"who_{zhang.pk}": "other", f"who_{sun.pk}": "other"},
                      follow=True)  # fmt: skip
        assert "孙浩的家庭不在本活动面向的家庭之中" in _messages(r)
        assert not Attendance.objects.exists()  # 张小明's tick was not written either
        # 刘芳 cannot reach 孙浩 at all: 404, nothing written
        r = client_for("school_admin_liu").post(url, {"came": [zhang.pk, sun.pk], f"who_{zhang.pk}": "other",
                                                      f"who_{sun.pk}": "other"})  # fmt: skip
        assert r.status_code == 404 and not Attendance.objects.exists()
        # already checked in (by the code, say): the whole sheet is refused with the family's name
        services.attendance_record_paper(actor=cast.school_admin_liu, event=event,
                                         entries=[services.PaperEntry(student=zhang)])  # fmt: skip
        r = chen.post(url, {"came": [zhang.pk, cast.students["liu_xiaoyu"].pk], f"who_{zhang.pk}": "other",
                            f"who_{cast.students['liu_xiaoyu'].pk}": "other"}, follow=True)  # fmt: skip
        assert "张小明的家庭已签到,无需重复签到" in _messages(r)
        assert Attendance.objects.filter(event=event).count() == 1
        r = chen.post(url, {}, follow=True)
        assert "请勾选" in _messages(r)


def test_printable_sheet_lists_the_registered_families_and_blank_rows(cast, client_for):
    event = _wednesday_lecture(cast)
    Registration.objects.filter(student=cast.students["zhang_xiaoming"]).update(status="waitlisted")
    body = client_for("head_teacher_li").get(reverse("events:sheet", args=[event.pk])).content.decode()
    assert 'data-sheet-row="张小明"' in body and 'data-sheet-row="刘小宇"' in body
    assert body.count("data-blank-row") == 15 and "签名" in body
