"""In a phone-sized browser: 赵秀英 answers the diary in care mode, with 不清楚 for one question, and 李娜 sees her
class flagged over the 60-minute line with the distribution and no family named."""

from __future__ import annotations

import pytest

from xieyu.burden.diary.models import Diary
from xieyu.demo.burden_diary import seed_diary
from xieyu.demo.county import seed_bulk

pytestmark = pytest.mark.browser


def test_grandma_answers_in_care_mode_and_the_head_teacher_sees_the_flag(cast, phone_page, browser_login):
    seed_bulk(cast, schools=3, students=300)
    seed_diary(cast)
    page = phone_page
    browser_login(page, "grandma_zhao")
    page.goto("/burden/diary/")
    if page.locator(".care-toggle button").inner_text().strip() != "标准版":
        page.click(".care-toggle button")
    page.wait_for_selector("body.care")
    assert page.locator("[data-read-aloud]").count() == 1
    assert page.locator("legend[data-read]").count() == 9
    page.fill("input[name=homework_minutes]", "30")
    page.fill("input[name=other_homework_minutes]", "10")
    page.fill("input[name=bedtime]", "21:00")
    page.fill("input[name=wake_time]", "07:00")
    page.check("input[name=screen_minutes_unknown]")
    page.check("input[name=phone_to_school][value=no]")
    page.fill("input[name=reading_minutes]", "20")
    page.fill("input[name=outdoor_minutes]", "60")
    page.check("input[name=afterschool][value=yes]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("#diary-form button[type=submit]")
    page.wait_for_selector("text=日记已保存")
    diary = Diary.objects.get(student=cast.students["liu_xiaoyu"], request__isnull=False)
    assert diary.screen_minutes is None and diary.unknown == ["screen_minutes"]

    page.context.clear_cookies()
    browser_login(page, "head_teacher_li")
    page.goto(f"/burden/watch/class/{cast.class_a1.pk}/")
    flags = page.locator("#flags").inner_text()
    assert "书面作业" in flags
    homework = page.locator("#metric-homework").inner_text()
    assert "超过标准" in homework and "60分钟" in homework and "中位数" in homework
    assert page.locator("#metric-homework .bw-axis").count() == 1
    body = page.locator("main").inner_text()
    assert "刘小宇" not in body and "赵秀英" not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
