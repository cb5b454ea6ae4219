"""Hot topics ("家长关心的问题") on the overview: keywords are what questions are about, never function words, and
near-duplicate topic requests are one topic with their votes summed."""

import pytest
import time_machine

from xieyu.deadlines.tests.helpers import at
from xieyu.questions.asking import figures
from xieyu.questions.models import QuestionTerm
from xieyu.questions.topics.figures import hot_topics, merge_topics

pytestmark = pytest.mark.django_db


def test_the_two_phone_topics_are_one_hot_topic_with_their_votes_summed(cast, propose, vote, client_for):
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):
        games = propose(cast.parent_zhang, "孩子沉迷手机游戏怎么办")
        phones = propose(cast.grandma_zhao, "如何管理孩子用手机")
        vote(cast.parent_zhang, phones)
        homework = propose(cast.parent_zhang, "孩子写作业磨蹭怎么办")
        hot = hot_topics(figures.Scope(county_id=cast.county.pk), days=14)
    top = hot["topics"][0]
    assert top["id"] == phones.pk and top["count"] == 3 and top["total"] == 3
    assert [m["id"] for m in top["merged"]] == [games.pk]
    assert [t["id"] for t in hot["topics"]] == [phones.pk, homework.pk]
    with time_machine.travel(at("2026-11-17 09:00"), tick=False):
        page = client_for("school_admin_liu").get("/questions/overview/?days=30").content.decode()
    assert "如何管理孩子用手机" in page and f'data-merged-topic="{games.pk}"' in page
    assert f"/questions/topics/{games.pk}/schedule/" in page  # each merged topic can still be scheduled


def test_topics_about_different_things_stay_apart():
    row = {"school": "城厢小学", "school_id": 1, "open": True, "status": "", "previous": 0, "trend": "new"}
    topics = [
        {**row, "id": 1, "title": "孩子近视怎么办", "count": 3, "total": 3},
        {**row, "id": 2, "title": "孩子写作业磨蹭怎么办", "count": 2, "total": 2},
        {**row, "id": 3, "title": "青春期亲子沟通", "count": 2, "total": 2},
        {**row, "id": 4, "title": "如何和青春期的孩子沟通", "count": 1, "total": 1},
        {**row, "id": 5, "title": "孩子玩手機停不下來", "count": 1, "total": 1},
        {**row, "id": 6, "title": "孙子天天刷手机", "count": 1, "total": 1},
    ]
    merged = merge_topics(topics)
    assert [(t["id"], t["count"], [m["id"] for m in t["merged"]]) for t in merged] == [
        (1, 3, []), (3, 3, [4]), (2, 2, []), (5, 2, [6]),
    ]  # fmt: skip


def test_question_keywords_show_no_function_words(cast, ask):
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):
        ask(title="孩子上课一会儿就坐不住", body="孩子上课一会儿就坐不住,不会的题也不问,怎么办?")
        ask(title="孙子管不住自己", body="孙子管不住自己,老是记不住单词,一会儿就忘。")
        q = ask(title="孩子沉迷手机", body="每天晚上拿着手机不放,叫他写作业就发火。")
        # a keyword stored before the stopword list held it still never shows
        QuestionTerm.objects.create(question=q, term="不会", county=cast.county, school=cast.school_a,
                                    created_at=q.created_at)  # fmt: skip
        hot = hot_topics(figures.Scope(county_id=cast.county.pk), days=14)
    shown = {t["term"] for t in hot["terms"]}
    assert not shown & {"一会", "一会儿", "会儿", "不会", "不住", "怎么", "什么", "怎么办", "孩子", "自己"}
    assert {"注意力", "手机"} <= shown
