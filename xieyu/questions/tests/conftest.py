"""Helpers shared by the questions tests."""

from __future__ import annotations

import pytest

from xieyu.questions import services
from xieyu.questions.models import ExpertSkill


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
