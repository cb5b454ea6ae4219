"""Shared builders for the surveys tests: a published questionnaire with skip logic and an open class wave."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.surveys import services
from xieyu.surveys.models import Question, Questionnaire


def build_questionnaire(actor, *, school=None, kind=Questionnaire.RespondentKind.FAMILY, title="家庭教育情况调查"):
    """Sections, every question type, a reverse-scored scale and a question shown only after answer "1" (是)."""
    q = services.questionnaire_create(actor=actor, title=title, school=school, respondent_kind=kind)
    draft = q.versions.get()
    s1 = services.section_add(actor=actor, version=draft, title="陪伴")
    s2 = services.section_add(actor=actor, version=draft, title="学习")
    services.question_add(actor=actor, version=draft, section=s1, code="reads", kind=Question.Kind.SINGLE,
                          text="您每天陪孩子阅读吗?", options=["是=100", "否=0"], dimension="company")  # fmt: skip
    services.question_add(actor=actor, version=draft, section=s1, code="minutes", kind=Question.Kind.NUMBER,
                          text="每天陪读多少分钟?", number_min=0, number_max=300,
                          show_if={"code": "reads", "in": ["1"]})  # fmt: skip
    services.question_add(actor=actor, version=draft, section=s1, code="talk", kind=Question.Kind.SCALE,
                          text="您和孩子聊学校的事", scale_min=1, scale_max=5, dimension="company")  # fmt: skip
    services.question_add(actor=actor, version=draft, section=s2, code="scold", kind=Question.Kind.SCALE,
                          text="作业出错时您会责骂孩子", scale_min=1, scale_max=5, dimension="study",
                          reverse=True)  # fmt: skip
    services.question_add(actor=actor, version=draft, section=s2, code="help", kind=Question.Kind.MULTIPLE,
                          text="您希望学校提供哪些帮助?", options=["讲座", "家访", "咨询"], max_choices=2,
                          required=False)  # fmt: skip
    services.question_add(actor=actor, version=draft, section=s2, code="note", kind=Question.Kind.TEXT,
                          text="其他建议", required=False)  # fmt: skip
    services.question_add(actor=actor, version=draft, section=s2, code="since", kind=Question.Kind.DATE,
                          text="孩子何时开始独立完成作业?", required=False)  # fmt: skip
    services.version_publish(actor=actor, version=draft)
    return q


def open_wave(actor, questionnaire, *, audience="class", days=7, **kw):
    now = timezone.now()
    return services.wave_open(actor=actor, questionnaire=questionnaire, audience=audience,
                              closes_at=now + datetime.timedelta(days=days), **kw)  # fmt: skip


GOOD = {"reads": "1", "minutes": "30", "talk": "4", "scold": "2", "help": ["1", "3"], "note": "", "since": ""}


@pytest.fixture
def survey(cast):
    return build_questionnaire(cast.county_admin_chen)


@pytest.fixture
def class_wave(cast, survey):
    return open_wave(cast.head_teacher_li, survey, school_class=cast.class_a1)
