"""The migration of the sessions' own before/after questionnaires onto the questionnaire engine, and back."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from xieyu.parentschool import access, services
from xieyu.parentschool.models import Session
from xieyu.surveys.models import Question, Response, Wave

BEFORE_ENGINE = ("parentschool", "0004_session_questionnaire")


def _latest():
    return [key for key in MigrationExecutor(connection).loader.graph.leaf_nodes() if key[0] == "parentschool"]


def _old_rows(session_ids):
    """{session: [(statement, [(guardian, phase, score)…])…]} in the old tables."""
    old = MigrationExecutor(connection).loader.project_state(BEFORE_ENGINE).apps
    SurveyQuestion = old.get_model("parentschool", "SurveyQuestion")
    out = {}
    for sid in session_ids:
        out[sid] = [
            (q.text, sorted((a.guardian_id, a.phase, a.score) for a in q.answers.all()))
            for q in SurveyQuestion.objects.filter(session_id=sid).order_by("position")
        ]
    return out


@pytest.mark.django_db(transaction=True)
def test_old_answers_move_onto_the_engine_and_back(cast):
    ps = services.parent_school_establish(actor=cast.school_admin_liu, school=cast.school_a,
                                          established_on=datetime.date(2024, 9, 1), person_in_charge="刘芳")  # fmt: skip
    start = timezone.now() + datetime.timedelta(days=1)
    answered, unanswered = (
        services.session_plan(
            actor=cast.school_admin_liu,
            parent_school=ps,
            title=title,
            place="报告厅",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        )  # fmt: skip
        for title in ("作业沟通讲座", "安全讲座")
    )
    zhang, zhao = (cast.parent_zhang.guardian, cast.grandma_zhao.guardian)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE_ENGINE])
    try:
        old = MigrationExecutor(connection).loader.project_state(BEFORE_ENGINE).apps
        SurveyQuestion = old.get_model("parentschool", "SurveyQuestion")
        SurveyAnswer = old.get_model("parentschool", "SurveyAnswer")
        q1 = SurveyQuestion.objects.create(session_id=answered.pk, text="我知道如何与孩子沟通作业问题", position=1)
        q2 = SurveyQuestion.objects.create(session_id=answered.pk, text="我能耐心倾听孩子的想法", position=2)
        SurveyQuestion.objects.create(session_id=unanswered.pk, text="我知道假期安全要点", position=1)
        for q, phase, guardian, score in [
            (q1, "before", zhang, 2),
            (q2, "before", zhang, 3),
            (q1, "after", zhang, 5),
            (q2, "after", zhang, 4),
            (q1, "before", zhao, 3),
            (q2, "before", zhao, 3),
        ]:
            SurveyAnswer.objects.create(question=q, phase=phase, guardian_id=guardian.pk, score=score)  # fmt: skip
        before = _old_rows([answered.pk, unanswered.pk])
    finally:
        MigrationExecutor(connection).migrate(_latest())

    answered, unanswered = Session.objects.get(pk=answered.pk), Session.objects.get(pk=unanswered.pk)
    questionnaire = answered.questionnaire
    assert questionnaire.respondent_kind == "guardian" and questionnaire.school == cast.school_a
    version = questionnaire.versions.get()
    assert version.status == "published"
    assert [(q.code, q.kind, q.scale_min, q.scale_max, q.text) for q in version.questions.order_by("position")] == [
        ("q1", "scale", 1, 5, "我知道如何与孩子沟通作业问题"), ("q2", "scale", 1, 5, "我能耐心倾听孩子的想法")]  # fmt: skip
    waves = list(Wave.objects.filter(questionnaire=questionnaire).order_by("number"))
    assert [(w.title, w.hook) for w in waves] == [("课前", f"parentschool.session:{answered.pk}"),
                                                  ("课后", f"parentschool.session:{answered.pk}:came")]  # fmt: skip
    assert waves[0].closes_at == answered.event.ends_at and waves[
        1
    ].opens_at == answered.event.starts_at - datetime.timedelta(minutes=30)
    assert Response.objects.filter(wave__in=waves).count() == 3  # 张伟 before and after, 赵秀英 before
    summary = access.survey_summary(answered)
    assert summary["before_avg"] == 2.75 and summary["after_avg"] == 4.5 and summary["change"] == 1.75
    assert summary["before_n"] == 2 and summary["after_n"] == 1
    first = summary["questions"][0]
    assert (first.before_avg, first.after_avg, first.change) == (2.5, 5.0, 2.5)
    q1_new, q2_new = access.questions_of(answered)
    assert access.my_survey_scores(cast.parent_zhang, answered) == {
        "before": {q1_new.pk: 2, q2_new.pk: 3}, "after": {q1_new.pk: 5, q2_new.pk: 4}}  # fmt: skip
    # a questionnaire nobody answered stays open to change: a draft, no waves yet
    draft = unanswered.questionnaire.versions.get()
    assert draft.status == "draft" and not unanswered.questionnaire.waves.exists()
    services.survey_question_add(actor=cast.school_admin_liu, session=unanswered, text="我会陪孩子阅读")
    assert Question.objects.filter(version=draft).count() == 2

    # and back: the same statements and scores in the old tables
    MigrationExecutor(connection).migrate([BEFORE_ENGINE])
    try:
        after = _old_rows([answered.pk, unanswered.pk])
        assert after[answered.pk] == before[answered.pk]
        assert [t for t, _a in after[unanswered.pk]] == ["我知道假期安全要点", "我会陪孩子阅读"]
    finally:
        MigrationExecutor(connection).migrate(_latest())
