"""Shared by the browser tests of the pages as a whole: what the pages show, and a phone logged in as a persona."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone


@pytest.fixture
def scene(cast, run_tasks, settings, tmp_path):
    """What the pages show: a notice to confirm and a withdrawn one, an event she registered for, an answered question
    and an open one, a topic collecting votes, a clinic with free slots, an article in the knowledge base."""
    from xieyu.events import services as events
    from xieyu.notices.audience import Audience
    from xieyu.notices.services import notice_create, notice_retract
    from xieyu.questions.asking import services as questions
    from xieyu.questions.clinics import services as clinics
    from xieyu.questions.knowledge import search
    from xieyu.questions.models import Article
    from xieyu.questions.topics import services as topics

    settings.SMS_SENDER = "xieyu.accounts.sms.LoggingSender"
    settings.MEDIA_ROOT = tmp_path / "media"

    li, grandma, xiaoyu = cast.head_teacher_li, cast.grandma_zhao, cast.students["liu_xiaoyu"]
    to_class = Audience(classes=[cast.class_a1.pk])
    notice = notice_create(actor=li, title="周五家长会", receipt_mode="confirm", audience=to_class,
                           body="本周五下午三点在三年级1班教室召开家长会,请准时参加。\n请带上孩子的作业本。")  # fmt: skip
    withdrawn = notice_create(actor=li, title="周六补课通知", body="周六上午补课。", audience=to_class)
    run_tasks()
    notice_retract(actor=li, notice=withdrawn, note="时间改了,另行通知")

    start = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(hour=15, minute=0, second=0)
    event = events.event_create(
        actor=li, kind="parent_meeting", title="三年级1班家长会", starts_at=start,
        ends_at=start + datetime.timedelta(hours=1), audience="class", school=cast.school_a,
        audience_class=cast.class_a1, place="三年级1班教室", capacity=40, publish=True,
        description="请家长准时参加,听取本学期学习情况。",
    )  # fmt: skip
    events.registration_create(actor=grandma, event=event, student=xiaoyu)

    question = questions.question_ask(actor=grandma, student=xiaoyu, level="class", category="homework",
                                      title="孙子作业写到很晚", body="孙子每天作业要写到晚上十点,我看不懂题目,怎么帮他?")  # fmt: skip
    questions.question_answer(
        actor=li, question=question, body="请奶奶每天七点提醒他先做作业,不会的题目第二天来问老师。"
    )
    questions.question_ask(actor=grandma, student=xiaoyu, level="class", category="communication",
                           title="孙子不爱说话", body="孙子放学回家不爱说话,问他什么都不说。")  # fmt: skip
    topics.topic_propose(actor=grandma, student=xiaoyu, title="孩子写作业拖拉怎么办", category="homework")
    clinics.clinic_publish(actor=cast.expert_huang, county_id=cast.county.pk, title="家庭教育义诊:隔代沟通",
                           starts_at=start, slot_minutes=30, slots=2, place="县家庭教育指导中心")  # fmt: skip
    article = Article.objects.create(
        category="homework", title="孩子天天玩手机不写作业怎么办", county=cast.county,
        question_text="孙子每天放学就玩手机,作业拖到很晚,老人管不住。",
        answer_text="和孩子一起定好每天用手机的时间,作业写完再用;手机放在客厅充电。",
    )  # fmt: skip
    search.index_document(search.KIND_ARTICLE, article.pk, f"{article.title} {article.answer_text}")

    # Committees and the burden watch: 城厢小学's committee with 赵秀英 on it, a diary to answer about yesterday.
    from xieyu.burden.tests.diary_helpers import ask
    from xieyu.committees.bodies import services as committees

    committee = committees.committee_create(actor=cast.school_admin_liu, school=cast.school_a, level="school",
                                            name="城厢小学家长委员会")  # fmt: skip
    ask(xiaoyu, timezone.localdate() - datetime.timedelta(days=1))

    # The guidance center: its teams and members (曾德福 among them), for the member's pages.
    from xieyu.demo.teams_members import seed_teams_members

    seed_teams_members(cast)
    return SimpleNamespace(notice=notice, withdrawn=withdrawn, event=event, question=question, article=article,
                           committee=committee, cast=cast)  # fmt: skip


@pytest.fixture
def phone(browser, live_server, client_for, cast):
    """phone("grandma_zhao", care=True) → a new 360 px page logged in as that persona (None: a visitor), with care
    mode saved on the account and chosen on the phone, or neither. The persona's session cookie is handed to the
    browser (the login form has its own tests)."""
    from django.conf import settings

    from xieyu.accounts.models import User

    contexts = []

    def make(persona: str | None, *, care: bool = False, javascript: bool = True):
        if persona:
            User.objects.filter(pk=getattr(cast, persona).pk).update(care_mode=care)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url,
                                      java_script_enabled=javascript)  # fmt: skip
        contexts.append(context)
        cookies = [{"name": "care_mode", "value": "1", "url": live_server.url}] if care else []
        if persona:
            session = client_for(persona).cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
        context.add_cookies(cookies)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield make
    for context in contexts:
        context.close()
