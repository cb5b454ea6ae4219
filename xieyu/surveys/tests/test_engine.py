"""The engine's services: building, publishing, versions, waves and answers with their scores."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from xieyu.audit.models import AuditEvent
from xieyu.deadlines.services import deadline_for
from xieyu.notices.models import Notice
from xieyu.surveys import services
from xieyu.surveys.models import Answer, Question, Respondent, Response, Version

from .fixtures import GOOD, build_questionnaire, open_wave

pytestmark = pytest.mark.django_db


def test_a_family_answers_and_is_scored(cast, class_wave):
    r = services.response_submit(actor=cast.parent_zhang, wave=class_wave, answers=GOOD, consent=True)
    assert r.status == Response.Status.SUBMITTED
    # company: reads 是 → 100, talk 4 on 1–5 → 75 → mean 87.5; study: scold 2 reversed → 75
    assert r.scores == {"company": 87.5, "study": 75.0}
    assert r.total == pytest.approx(81.2, abs=0.1)
    assert r.school_class == cast.class_a1
    assert r.respondent.student == cast.students["zhang_xiaoming"]
    assert Answer.objects.filter(response=r).count() == 5  # empty optional ones are not stored
    assert AuditEvent.objects.filter(action="surveys.response_submit", target_id=str(r.pk)).exists()


def test_resubmitting_replaces_the_answers(cast, class_wave):
    services.response_submit(actor=cast.parent_zhang, wave=class_wave, answers=GOOD, consent=True)
    r = services.response_submit(actor=cast.parent_zhang, wave=class_wave, answers={**GOOD, "reads": "2",
                                 "minutes": "999"}, consent=True)  # fmt: skip
    assert Response.objects.filter(wave=class_wave).count() == 1
    # "minutes" is hidden once reads is 否: its (out of range) answer is dropped, not refused
    assert not Answer.objects.filter(response=r, question__code="minutes").exists()
    assert r.scores["company"] == 37.5


def test_the_pseudonym_is_stable_across_waves(cast, survey, class_wave):
    first = services.response_submit(actor=cast.parent_zhang, wave=class_wave, answers=GOOD, consent=True)
    services.wave_close(actor=cast.head_teacher_li, wave=class_wave)
    second_wave = open_wave(cast.school_admin_liu, survey, audience="school", school=cast.school_a)
    second = services.response_submit(actor=cast.parent_zhang, wave=second_wave, answers=GOOD, consent=True)
    assert first.respondent_id == second.respondent_id
    assert Respondent.objects.filter(questionnaire=survey).count() == 1


@pytest.mark.parametrize(
    "answers, code, message",
    [
        ({**GOOD, "talk": "6"}, "talk", "在1到5之间"),
        ({**GOOD, "talk": "x"}, "talk", "选择一个分值"),
        ({k: v for k, v in GOOD.items() if k != "scold"}, "scold", "请回答第4题"),
        ({**GOOD, "minutes": "301"}, "minutes", "在0到300之间"),
        ({**GOOD, "reads": "9"}, "reads", "选择一个选项"),
        ({**GOOD, "help": ["1", "2", "3"]}, "help", "最多选2项"),
        ({**GOOD, "since": "2026-02-30"}, "since", "须为日期"),
        ({**GOOD, "note": "字" * 501}, "note", "太长"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(cast, class_wave, answers, code, message):
    with pytest.raises(ValidationError) as exc:
        services.response_submit(actor=cast.parent_zhang, wave=class_wave, answers=answers, consent=True)
    assert code in exc.value.message_dict
    assert message in " ".join(exc.value.message_dict[code])
    assert not Response.objects.exists()
    assert not Respondent.objects.exists()


def test_consent_is_required(cast, class_wave):
    with pytest.raises(ValidationError) as exc:
        services.response_submit(actor=cast.parent_zhang, wave=class_wave, answers=GOOD, consent=False)
    assert "consent" in exc.value.message_dict
    assert not Response.objects.exists()


def test_a_closed_wave_takes_no_answers(cast, class_wave):
    services.wave_close(actor=cast.head_teacher_li, wave=class_wave)
    with pytest.raises(ValidationError, match="已截止"):
        services.response_submit(actor=cast.parent_zhang, wave=class_wave, answers=GOOD, consent=True)
    assert not Response.objects.exists()


def test_a_family_outside_the_audience_is_not_found(cast, class_wave):
    with pytest.raises(Http404):
        services.response_submit(actor=cast.parent_sun, wave=class_wave, answers=GOOD, consent=True)
    with pytest.raises(Http404):  # a staff member who is no guardian
        services.response_submit(actor=cast.school_admin_liu, wave=class_wave, answers=GOOD, consent=True)
    with pytest.raises(Http404):  # a child of the guardian who is not in the audience
        services.response_submit(actor=cast.head_teacher_li, wave=class_wave, answers=GOOD, consent=True,
                                 student=cast.students["li_guoguo"])  # fmt: skip
    assert not Response.objects.exists()


def test_a_family_may_skip_a_wave(cast, class_wave):
    r = services.response_skip(actor=cast.grandma_zhao, wave=class_wave)
    assert r.status == Response.Status.SKIPPED
    # and may still answer while it is open
    r = services.response_submit(actor=cast.grandma_zhao, wave=class_wave, answers=GOOD, consent=True)
    assert r.status == Response.Status.SUBMITTED
    with pytest.raises(ValidationError, match="已经作答"):
        services.response_skip(actor=cast.grandma_zhao, wave=class_wave)


def test_a_published_questionnaire_is_never_edited_in_place(cast, survey):
    published = survey.versions.get(status=Version.Status.PUBLISHED)
    question = published.questions.first()
    for call in (
        lambda: services.question_update(actor=cast.county_admin_chen, question=question, text="改过的"),
        lambda: services.question_add(actor=cast.county_admin_chen, version=published, kind="text", text="新"),
        lambda: services.question_remove(actor=cast.county_admin_chen, question=question),
        lambda: services.section_add(actor=cast.county_admin_chen, version=published, title="新部分"),
    ):
        with pytest.raises(ValidationError, match="请新建版本"):
            call()
    question.refresh_from_db()
    assert question.text == "您每天陪孩子阅读吗?"
    draft = services.version_draft(actor=cast.county_admin_chen, questionnaire=survey)
    assert draft.number == 2
    assert list(draft.questions.values_list("code", flat=True)) == list(
        published.questions.values_list("code", flat=True)
    )
    assert draft.sections.count() == 2
    services.question_update(actor=cast.county_admin_chen, question=draft.questions.get(code="reads"), text="新问法")
    services.version_publish(actor=cast.county_admin_chen, version=draft)
    published.refresh_from_db()
    assert published.status == Version.Status.RETIRED


def test_publish_checks_the_whole_draft(cast):
    q = services.questionnaire_create(actor=cast.school_admin_liu, title="空问卷", school=cast.school_a)
    draft = q.versions.get()
    with pytest.raises(ValidationError, match="至少添加一道题"):
        services.version_publish(actor=cast.school_admin_liu, version=draft)
    with pytest.raises(ValidationError, match="须有2到"):
        services.question_add(actor=cast.school_admin_liu, version=draft, kind="single", text="?", options=["只有一个"])
    with pytest.raises(ValidationError, match="量表"):
        services.question_add(actor=cast.school_admin_liu, version=draft, kind="scale", text="?", scale_min=5,
                              scale_max=1)  # fmt: skip
    with pytest.raises(ValidationError, match="引用前面的题目"):
        services.question_add(actor=cast.school_admin_liu, version=draft, kind="text", text="?",
                              show_if={"code": "nothing", "in": ["1"]})  # fmt: skip
    services.question_add(actor=cast.school_admin_liu, version=draft, code="a", kind="single", text="?",
                          options=["是", "否"])  # fmt: skip
    with pytest.raises(ValidationError, match="前面题目没有的答案"):
        services.question_add(actor=cast.school_admin_liu, version=draft, kind="text", text="?",
                              show_if={"code": "a", "in": ["3"]})  # fmt: skip
    assert draft.questions.count() == 1


def test_only_its_owners_change_a_questionnaire(cast, survey):
    draft = services.version_draft(actor=cast.county_admin_chen, questionnaire=survey)
    for who in ("school_admin_liu", "head_teacher_li", "parent_zhang"):
        with pytest.raises(PermissionDenied):
            services.section_add(actor=getattr(cast, who), version=draft, title="我的")
    with pytest.raises(PermissionDenied):
        services.questionnaire_create(actor=cast.head_teacher_li, title="班级问卷")
    with pytest.raises(PermissionDenied):
        services.questionnaire_create(actor=cast.school_admin_liu, title="外校", school=cast.school_b)


def test_moving_keeps_skip_logic_pointing_back(cast, survey):
    draft = services.version_draft(actor=cast.county_admin_chen, questionnaire=survey)
    minutes = draft.questions.get(code="minutes")
    with pytest.raises(ValidationError, match="所依赖的题目之前"):
        services.question_move(actor=cast.county_admin_chen, question=minutes, direction="up")
    talk = draft.questions.get(code="talk")
    assert services.question_move(actor=cast.county_admin_chen, question=talk, direction="up")
    assert [q.code for q in services.ordered(draft)][:3] == ["reads", "talk", "minutes"]


@pytest.mark.parametrize(
    "persona, audience, target, message",
    [
        ("head_teacher_li", "class", "class_b1", "您负责的班级"),
        ("school_admin_liu", "class", "class_b1", "您负责的班级"),
        ("school_admin_liu", "school", "school_b", "您管理的学校"),
        ("head_teacher_li", "school", "school_a", "您管理的学校"),
        ("school_admin_liu", "county", None, "只有县级管理员"),
    ],
)
def test_a_wave_is_aimed_only_within_the_scope(cast, survey, persona, audience, target, message):
    kw = {}
    if audience == "class":
        kw["school_class"] = getattr(cast, target)
    elif audience == "school":
        kw["school"] = getattr(cast, target)
    with pytest.raises(ValidationError, match=message):
        open_wave(getattr(cast, persona), survey, audience=audience, **kw)
    assert not survey.waves.exists()


def test_opening_a_wave_starts_its_deadline_and_tells_the_families(cast, class_wave):
    d = deadline_for(class_wave)
    assert d is not None and d.policy.name == "surveys.wave"
    assert class_wave.invited == 4  # the four children of 三年级1班
    notice = Notice.objects.get(link=f"/surveys/answer/{class_wave.pk}/")
    assert "家庭教育情况调查" in notice.title or "请回答第4题" in notice.title


def test_remind_reaches_those_not_answered(cast, class_wave):
    services.response_submit(actor=cast.parent_zhang, wave=class_wave, answers=GOOD, consent=True)
    with pytest.raises(ValidationError, match="12小时内"):
        services.wave_remind(actor=cast.head_teacher_li, wave=class_wave)
    class_wave.__class__.objects.filter(pk=class_wave.pk).update(reminded_at=timezone.now() - datetime.timedelta(days=1))
    class_wave.refresh_from_db()
    assert services.wave_remind(actor=cast.head_teacher_li, wave=class_wave) == 3
    with pytest.raises(PermissionDenied):
        services.wave_remind(actor=cast.head_teacher_wang, wave=class_wave)


def test_close_early_and_the_sweep(cast, survey, class_wave):
    with pytest.raises(PermissionDenied):
        services.wave_close(actor=cast.school_admin_wang, wave=class_wave)
    services.wave_close(actor=cast.school_admin_liu, wave=class_wave)
    assert not class_wave.__class__.objects.get(pk=class_wave.pk).is_open()
    assert deadline_for(class_wave).state == "resolved"
    with pytest.raises(ValidationError, match="已经截止"):
        services.wave_close(actor=cast.school_admin_liu, wave=class_wave)
    other = open_wave(cast.county_admin_chen, survey, audience="county")
    assert services.waves_close_due(now=other.closes_at + datetime.timedelta(seconds=1)) == 1
    assert deadline_for(other).state == "resolved"


def test_unpublished_questionnaires_open_no_wave(cast):
    q = services.questionnaire_create(actor=cast.school_admin_liu, title="草稿", school=cast.school_a)
    with pytest.raises(ValidationError, match="请先发布问卷"):
        open_wave(cast.school_admin_liu, q, school_class=cast.class_a1)


def test_guardian_kind_answers_once_per_guardian(cast):
    q = build_questionnaire(cast.county_admin_chen, kind="guardian", title="家长问卷")
    wave = open_wave(cast.head_teacher_li, q, school_class=cast.class_a1)
    r = services.response_submit(actor=cast.parent_zhang, wave=wave, answers=GOOD, consent=True)
    assert r.respondent.guardian is not None and r.respondent.student is None
    assert r.school_class == cast.class_a1


def test_not_open_yet(cast, survey):
    wave = services.wave_open(actor=cast.head_teacher_li, questionnaire=survey, audience="class",
                              school_class=cast.class_a1, opens_at=timezone.now() + datetime.timedelta(days=1),
                              closes_at=timezone.now() + datetime.timedelta(days=5))  # fmt: skip
    with pytest.raises(ValidationError, match="尚未开始"):
        services.response_submit(actor=cast.parent_zhang, wave=wave, answers=GOOD, consent=True)


def test_question_kinds_are_checked(cast):
    q = services.questionnaire_create(actor=cast.county_admin_chen, title="x")
    draft = q.versions.get()
    with pytest.raises(ValidationError):
        services.question_add(actor=cast.county_admin_chen, version=draft, kind="essay", text="?")
    with pytest.raises(ValidationError, match="编码须以小写字母开头"):
        services.question_add(actor=cast.county_admin_chen, version=draft, code="Bad Code", kind="text", text="?")
    services.question_add(actor=cast.county_admin_chen, version=draft, code="a", kind="text", text="?")
    with pytest.raises(ValidationError, match="已有题目使用编码"):
        services.question_add(actor=cast.county_admin_chen, version=draft, code="a", kind="text", text="?")
    assert Question.objects.filter(version=draft).count() == 1
