"""Helpers shared by the questions tests."""

from __future__ import annotations

import pytest

from xieyu.questions.asking import services
from xieyu.questions.models import ExpertSkill
from xieyu.questions.topics import access as topics_access
from xieyu.questions.topics import services as topics


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ask(cast):
    """ask("grandma_zhao", body=...) → a question about the persona's first child (刘小宇 for grandma_zhao)."""
    children = {"grandma_zhao": "liu_xiaoyu", "parent_zhang": "zhang_xiaoming", "parent_sun": "sun_hao"}

    def make(
        persona="grandma_zhao",
        *,
        level="class",
        category="study_habits",
        title="孙子写作业太磨蹭了",
        body="孙子每天写作业都要拖到晚上十点,我们老人也不会辅导,该怎么办?",
        publishable=False,
        **kw,
    ):
        return services.question_ask(
            actor=getattr(cast, persona), student=cast.students[children[persona]], level=level,
            category=category, title=title, body=body, publishable=publishable, **kw,
        )  # fmt: skip

    return make


@pytest.fixture
def skills(cast):
    ExpertSkill.objects.create(user=cast.expert_huang, category="emotions")
    ExpertSkill.objects.create(user=cast.expert_huang, category="study_habits")


@pytest.fixture
def propose(cast):
    """propose(user, title) → a topic of 城厢小学 (school_a) proposed as the topics page does it: the family of the
    user's child there proposes (refused with PermissionDenied for a user with no child there)."""

    def make(user, title, *, school=None, **kw):
        child = topics_access.proposing_child(user, school or cast.school_a)
        return topics.topic_propose(actor=user, student=child, title=title, **kw)

    return make


@pytest.fixture
def vote():
    """vote(user, topic) as the topics page does it: through the families of the user's children in the topic's
    school (refused with PermissionDenied for a user with none there)."""

    def make(user, topic):
        return topics.topic_vote(actor=user, topic=topic, children=topics_access.voting_children(user, topic))

    return make
