"""The demo county's questions are quick and idempotent, and give every page something to show."""

import pytest

from xieyu.dashboard.figures.models import HotTopic
from xieyu.demo.county import seed_county
from xieyu.demo.questions import seed_questions
from xieyu.parentschool.semester import semester_of
from xieyu.questions.models import Article, ClinicSlot, ExpertSkill, Question, TopicRequest

pytestmark = pytest.mark.once


def test_demo_questions_are_idempotent_and_cover_every_page(cast, client_for):
    assert seed_questions(cast) is True
    assert seed_questions(cast) is False
    assert ExpertSkill.objects.filter(user=cast.expert_huang).count() == 3
    assert Question.objects.filter(answered_at__isnull=False).count() == 3
    waiting = Question.objects.get(answered_at__isnull=True)
    assert waiting.level == "county" and waiting.assignee is None
    assert Article.objects.filter(is_public=True).count() == 3 and Article.objects.filter(is_public=False).count() == 1
    top = TopicRequest.objects.filter(school=cast.school_a).order_by("-votes_count").first()
    assert top.title == "如何管理孩子用手机" and top.votes_count >= 2
    assert ClinicSlot.objects.count() == 6
    assert "如何管理孩子用手机" in client_for("school_admin_liu").get("/questions/overview/").content.decode()
    assert len(client_for("grandma_zhao").get("/api/v1/questions/clinics").json()[0]["slots"]) == 6
    assert client_for("expert_huang").get("/questions/queue/").status_code == 200


def test_seed_demo_runs_the_questions_demo(db):
    cast, _stats = seed_county(schools=3, students=300)
    top = TopicRequest.objects.filter(school=cast.school_a).order_by("-votes_count").first()
    assert top.title == "如何管理孩子用手机" and top.votes_count > 10
    # the county's hot topics span its schools, and one has the lecture its school planned on it
    hot = HotTopic.objects.filter(county=cast.county, level="county", period=semester_of().code)
    assert len({t.school_id for t in hot}) > 1
    assert any(t.lecture_title for t in hot)
