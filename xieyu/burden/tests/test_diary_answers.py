"""Answering the diary: "不清楚" stored as NULL and marked, every bad answer refused with a message naming the
field and nothing changed, the link single-use and expiring."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xieyu.burden.diary.models import Diary, DiaryRequest
from xieyu.burden.diary.services import diary_submit

from .diary_helpers import GOOD, answer, ask

DAY = datetime.date(2025, 3, 4)


def test_not_known_is_stored_as_null_and_sleep_is_the_span_across_midnight(cast):
    d = diary_submit(actor=None, request=ask(cast.students["liu_xiaoyu"], DAY),
                     values={**GOOD, "bedtime": datetime.time(21, 30), "wake_time": datetime.time(6, 30)},
                     unknown=["screen_minutes"])  # fmt: skip
    assert d.screen_minutes is None and d.unknown == ["screen_minutes"]
    assert d.sleep_minutes == 9 * 60
    assert d.week == datetime.date(2025, 3, 3)


@pytest.mark.parametrize("values, field, words", [
    ({"homework_minutes": 1441}, "homework_minutes", "书面作业"),
    ({"outdoor_minutes": -1}, "outdoor_minutes", "户外活动"),
    ({"bedtime": datetime.time(7, 0), "wake_time": datetime.time(6, 30)}, "bedtime", "入睡时间"),
    ({"reading_minutes": None}, "reading_minutes", "阅读"),
])  # fmt: skip
def test_bad_answers_are_refused_naming_the_field(cast, values, field, words):
    req = ask(cast.students["liu_xiaoyu"], DAY)
    with pytest.raises(ValidationError) as exc:
        diary_submit(actor=None, request=req, values={**GOOD, **values})
    assert field in exc.value.error_dict and words in " ".join(exc.value.messages)
    assert not Diary.objects.exists()
    req.refresh_from_db()
    assert req.answered_at is None


def test_a_second_diary_for_the_same_child_and_day_is_refused(cast):
    child = cast.students["liu_xiaoyu"]
    answer(child, DAY)
    req = DiaryRequest.objects.get(student=child, day=DAY)
    with pytest.raises(ValidationError, match="已经填过"):
        diary_submit(actor=None, request=req, values=GOOD)
    assert Diary.objects.count() == 1


def test_the_link_opens_without_login_once_and_expires(cast, client_for):
    req = ask(cast.students["liu_xiaoyu"], DAY)
    url = reverse("burden:diary_answer", args=[req.token])
    anon = client_for(None)
    page = anon.get(url)
    assert page.status_code == 200 and "不清楚" in page.content.decode() and "刘小宇" not in page.content.decode()
    assert '<span class="unit">分钟</span>' in page.content.decode()  # minutes of time, not a meeting's minutes
    form = {k: (v.strftime("%H:%M") if isinstance(v, datetime.time) else v) for k, v in GOOD.items()}
    form.update(phone_to_school="no", afterschool="unknown", screen_minutes="", screen_minutes_unknown="on")
    done = anon.post(url, form)
    assert "已保存" in done.content.decode()
    d = Diary.objects.get()
    assert d.afterschool is None and set(d.unknown) == {"afterschool", "screen_minutes"}
    again = anon.post(url, form)
    assert "已经填过" in again.content.decode() and Diary.objects.count() == 1
    other = ask(cast.students["zhang_xiaoming"], DAY)
    DiaryRequest.objects.filter(pk=other.pk).update(expires_at=timezone.now())
    expired = anon.post(reverse("burden:diary_answer", args=[other.token]), form)
    assert "已过期" in expired.content.decode() and Diary.objects.count() == 1
    assert anon.get(reverse("burden:diary_answer", args=["nope"])).status_code == 404


def test_a_bad_answer_on_the_page_names_the_field_and_keeps_the_rest(cast, client_for):
    req = ask(cast.students["liu_xiaoyu"], DAY)
    form = {k: (v.strftime("%H:%M") if isinstance(v, datetime.time) else v) for k, v in GOOD.items()}
    form.update(phone_to_school="no", afterschool="yes", homework_minutes="2000", bedtime="07:00", wake_time="06:30")
    page = client_for("grandma_zhao").post(reverse("burden:diary_today"), {**form, "request": req.pk})
    text = page.content.decode()
    assert page.status_code == 200 and "书面作业" in text and "1440" in text
    assert not Diary.objects.exists()
