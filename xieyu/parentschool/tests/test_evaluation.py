"""Evaluation: 刘芳 sets a short before/after questionnaire on a lecture; 张伟 answers before and after; the
session and the term roll-up show the change. Rules documents are uploaded, listed and removed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xieyu.events import services as event_services
from xieyu.parentschool import access, services
from xieyu.parentschool.models import RulesDocument
from xieyu.parentschool.semester import semester_of
from xieyu.surveys.models import Answer, Question, Response, Wave


def _statements(session):
    session.refresh_from_db()
    return Question.objects.filter(version__questionnaire=session.questionnaire_id)


Q1, Q2 = "我知道如何与孩子沟通作业问题", "我能耐心倾听孩子的想法"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ps(cast):
    return services.parent_school_establish(actor=cast.school_admin_liu, school=cast.school_a,
                                            established_on=datetime.date(2024, 9, 1), person_in_charge="刘芳")  # fmt: skip


@pytest.fixture
def session(cast, ps):
    start = timezone.now() + datetime.timedelta(minutes=10)
    s = services.session_plan(actor=cast.school_admin_liu, parent_school=ps, title="作业沟通讲座", place="报告厅",
                              starts_at=start, ends_at=start + datetime.timedelta(hours=1))  # fmt: skip
    for text in (Q1, Q2):
        services.survey_question_add(actor=cast.school_admin_liu, session=s, text=text)
    return s


def _register(cast, session, persona="parent_zhang", child="zhang_xiaoming"):
    return event_services.registration_create(actor=getattr(cast, persona), event=session.event,
                                              student=cast.students[child])  # fmt: skip


def _check_in(cast, session, persona="parent_zhang"):
    slot = event_services.current_slot()
    event_services.checkin_by_scan(actor=getattr(cast, persona), event=session.event, slot=slot,
                                   token=event_services.checkin_token(session.event, slot))  # fmt: skip


def test_questions_are_checked_and_frozen_once_answered(cast, session):
    with pytest.raises(ValidationError, match="已有这一条"):
        services.survey_question_add(actor=cast.school_admin_liu, session=session, text=Q1)
    with pytest.raises(ValidationError, match="太短"):
        services.survey_question_add(actor=cast.school_admin_liu, session=session, text="好")
    with pytest.raises(ValidationError, match="60"):
        services.survey_question_add(actor=cast.school_admin_liu, session=session, text="长" * 61)
    for i in range(3):
        services.survey_question_add(actor=cast.school_admin_liu, session=session, text=f"第{i}条陈述内容")
    with pytest.raises(ValidationError, match="最多 5 条"):
        services.survey_question_add(actor=cast.school_admin_liu, session=session, text="第六条陈述内容")
    assert _statements(session).count() == 5
    _register(cast, session)
    qs = access.questions_of(session)
    services.survey_answer(
        actor=cast.parent_zhang, session=session, phase="before", scores={q.pk: 3 for q in qs}, consent=True
    )
    with pytest.raises(ValidationError, match="已经作答"):
        services.survey_question_remove(actor=cast.school_admin_liu, session=session, question=qs[0])
    assert _statements(session).count() == 5
    # on the engine: one published version of scale 1–5 items, the 课前 wave answered by 张伟 for himself
    wave = Wave.objects.get(questionnaire=session.questionnaire_id, number=1)
    assert wave.title == "课前" and wave.hook == f"parentschool.session:{session.pk}"
    assert wave.version.status == "published" and {(q.kind, q.scale_min, q.scale_max) for q in qs} == {("scale", 1, 5)}
    response = Response.objects.get(wave=wave)
    assert response.respondent.guardian.user == cast.parent_zhang and response.answers.count() == 5


def test_guardian_answers_before_and_after_and_the_change_shows(cast, client_for, session):
    q1, q2 = access.questions_of(session)
    with pytest.raises(ValidationError, match="已报名"):
        services.survey_answer(
            actor=cast.parent_zhang, session=session, phase="before", scores={q1.pk: 2, q2.pk: 3}, consent=True
        )
    _register(cast, session)
    _register(cast, session, "grandma_zhao", "liu_xiaoyu")
    with pytest.raises(ValidationError, match="第 2 条"):
        services.survey_answer(
            actor=cast.parent_zhang, session=session, phase="before", scores={q1.pk: 2, q2.pk: 9}, consent=True
        )
    assert not Answer.objects.exists()
    with pytest.raises(ValidationError, match="参加了活动"):
        services.survey_answer(
            actor=cast.parent_zhang, session=session, phase="after", scores={q1.pk: 4, q2.pk: 4}, consent=True
        )

    c = client_for("parent_zhang")
    url = reverse("parentschool:session", args=[session.event.pk])
    body = c.get(url).content.decode()
    assert 'data-survey="before"' in body and 'data-survey="after"' not in body and 'id="evaluation"' not in body
    bad = c.post(url, {"form": "before", "before-consent": "on", f"before-q{q1.pk}": "2"})
    assert bad.status_code == 400 and "请为第 2 条" in bad.content.decode()
    assert (
        c.post(
            url, {"form": "before", "before-consent": "on", f"before-q{q1.pk}": "2", f"before-q{q2.pk}": "3"}
        ).status_code
        == 302
    )
    # a second answer replaces the first
    assert (
        c.post(
            url, {"form": "before", "before-consent": "on", f"before-q{q1.pk}": "2", f"before-q{q2.pk}": "2"}
        ).status_code
        == 302
    )
    services.survey_answer(
        actor=cast.grandma_zhao, session=session, phase="before", scores={q1.pk: 3, q2.pk: 3}, consent=True
    )

    # the session starts; 张伟 checks in and answers after
    start = timezone.now() - datetime.timedelta(minutes=5)
    type(session.event).objects.filter(pk=session.event.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    _check_in(cast, session)
    assert 'data-survey="after"' in c.get(url).content.decode()
    assert (
        c.post(
            url, {"form": "after", "after-consent": "on", f"after-q{q1.pk}": "5", f"after-q{q2.pk}": "4"}
        ).status_code
        == 302
    )
    assert c.post(url, {"form": "after"}).status_code == 400  # every statement needs a score
    # 赵秀英 did not come: no after questionnaire for her
    assert (
        client_for("grandma_zhao")
        .post(url, {"form": "after", "after-consent": "on", f"after-q{q1.pk}": "5", f"after-q{q2.pk}": "5"})
        .status_code
        == 302
    )
    assert Answer.objects.filter(response__wave__number=2).count() == 2  # only 张伟's

    # the engine's waves ask the same families: 课后 only those who came, nobody from another school
    from django.http import Http404

    from xieyu.surveys import access as survey_access

    before_wave, after_wave = Wave.objects.filter(questionnaire=session.questionnaire_id).order_by("number")
    assert survey_access.get_invitation_for(cast.grandma_zhao, before_wave.pk).response is not None
    assert survey_access.get_invitation_for(cast.parent_zhang, after_wave.pk).response is not None
    for outsider, wave in (("grandma_zhao", after_wave), ("parent_sun", before_wave), ("parent_sun", after_wave)):
        with pytest.raises(Http404):
            survey_access.get_invitation_for(getattr(cast, outsider), wave.pk)

    summary = access.survey_summary(session)
    first = summary["questions"][0]
    assert (first.before_avg, first.after_avg, first.change) == (2.5, 5.0, 2.5)
    assert summary["before_avg"] == 2.5 and summary["after_avg"] == 4.5 and summary["change"] == 2.0

    admin = client_for("school_admin_liu").get(url).content.decode()
    assert 'data-question="我知道如何与孩子沟通作业问题"' in admin and "+2.5" in admin
    teacher = client_for("head_teacher_li").get(url)
    assert teacher.status_code == 200 and "+2.0" in teacher.content.decode()

    effect = access.term_effectiveness(cast.school_a, semester_of())
    assert effect.held_count == 1 and effect.registered_total == 2 and effect.attended_total == 1
    assert effect.attendance_rate == 0.5 and effect.survey_change == pytest.approx(2.0)
    page = client_for("school_admin_liu").get(reverse("parentschool:school", args=[cast.school_a.pk])).content.decode()
    assert 'id="effectiveness"' in page and "2.5 → 4.5 (+2.0)" in page
    coverage = (
        client_for("county_admin_chen").get(reverse("parentschool:coverage", args=[cast.county.pk])).content.decode()
    )
    assert "2.5 → 4.5 (+2.0)" in coverage and "50%" in coverage


def test_answers_need_the_guardians_consent(cast, client_for, session):
    q1, q2 = access.questions_of(session)
    _register(cast, session)
    c = client_for("parent_zhang")
    url = reverse("parentschool:session", args=[session.event.pk])
    assert 'name="before-consent"' in c.get(url).content.decode()
    r = c.post(url, {"form": "before", f"before-q{q1.pk}": "2", f"before-q{q2.pk}": "3"})
    assert r.status_code == 400 and "请勾选同意" in r.content.decode()
    with pytest.raises(ValidationError, match="勾选"):
        services.survey_answer(actor=cast.parent_zhang, session=session, phase="before", scores={q1.pk: 2, q2.pk: 3},
                               consent=False)  # fmt: skip
    assert not Response.objects.exists()
    assert c.post(url, {"form": "before", "before-consent": "on", f"before-q{q1.pk}": "2",
                        f"before-q{q2.pk}": "3"}).status_code == 302  # fmt: skip
    assert Response.objects.get().consent is True


def test_the_waves_close_on_the_deadline_engine(cast, session):
    from xieyu.deadlines.services import deadline_for

    q1, q2 = access.questions_of(session)
    _register(cast, session)
    services.survey_answer(actor=cast.parent_zhang, session=session, phase="before", scores={q1.pk: 2, q2.pk: 3},
                           consent=True)  # fmt: skip
    for wave in Wave.objects.filter(questionnaire=session.questionnaire_id):
        d = deadline_for(wave)
        assert d is not None and d.policy.name == "surveys.wave"
        assert d.owner == cast.school_admin_liu  # the one who planned the session is told as the close nears


def test_families_who_came_are_reminded_of_the_after_questionnaire_once(cast, client_for, session, run_tasks):
    from xieyu.notices.models import Delivery

    q1, q2 = access.questions_of(session)
    _register(cast, session)
    _register(cast, session, "grandma_zhao", "liu_xiaoyu")
    start = timezone.now() - datetime.timedelta(minutes=5)
    type(session.event).objects.filter(pk=session.event.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    _check_in(cast, session)
    _check_in(cast, session, "grandma_zhao")
    services.survey_answer(actor=cast.grandma_zhao, session=session, phase="after", scores={q1.pk: 4, q2.pk: 4},
                           consent=True)  # fmt: skip
    assert services.survey_after_remind() == 0  # the session has not ended an hour ago
    later = timezone.now() + datetime.timedelta(hours=2, minutes=10)
    assert services.survey_after_remind(now=later) == 1
    link = reverse("parentschool:session", args=[session.event.pk])
    asked = Delivery.objects.filter(notice__link=link)
    told = set(asked.values_list("guardian__user", flat=True))
    assert told == {cast.parent_zhang.pk}  # he came and has not answered; 赵秀英 came and answered already
    assert services.survey_after_remind(now=later) == 0  # once
    from xieyu.parentschool.tasks import survey_after_remind_task

    survey_after_remind_task.enqueue()
    run_tasks()
    assert Delivery.objects.filter(notice__link=link).count() == len(told)


@pytest.mark.parametrize("persona, status", [("school_admin_liu", 200), ("parent_zhang", 200), ("head_teacher_li", 200),
    ("school_admin_wang", 404), ("parent_sun", 404), (None, 302)])  # fmt: skip
def test_session_page_access(persona, status, cast, client_for, session):
    assert client_for(persona).get(reverse("parentschool:session", args=[session.event.pk])).status_code == status


def test_only_the_organiser_sets_questions_through_the_page(cast, client_for, session):
    url = reverse("parentschool:session", args=[session.event.pk])
    for outsider in (
        "head_teacher_li",
        "school_admin_wang",
    ):  # a lower role of the school, the neighbour school's admin
        assert client_for(outsider).post(url, {"form": "question_add", "text": "我会陪孩子阅读"}).status_code == 404
    assert not Question.objects.filter(text="我会陪孩子阅读").exists()
    c = client_for("school_admin_liu")
    assert c.post(url, {"form": "question_add", "text": "我会陪孩子阅读"}).status_code == 302
    r = c.post(url, {"form": "question_add", "text": ""})
    assert r.status_code == 400 and "请写下" in r.content.decode()
    q = Question.objects.get(text="我会陪孩子阅读")
    assert c.post(url, {"form": "question_remove", "question": q.pk}).status_code == 302
    assert _statements(session).count() == 2


def test_rules_documents_upload_list_remove(cast, client_for, ps, settings):
    c = client_for("school_admin_liu")
    url = reverse("parentschool:school", args=[cast.school_a.pk])
    pdf = SimpleUploadedFile("家长学校管理制度.pdf", b"%PDF-1.4 rules", content_type="application/pdf")
    assert c.post(url, {"form": "rules", "title": "家长学校管理制度", "file": pdf}).status_code == 302
    doc = RulesDocument.objects.get()
    assert doc.file.name.endswith(".pdf") and doc.uploaded_by == cast.school_admin_liu
    assert 'data-rules="家长学校管理制度"' in c.get(url).content.decode()

    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    r = c.post(url, {"form": "rules", "title": "坏文件", "file": exe})
    assert r.status_code == 400 and "不能上传" in r.content.decode()
    monkey = SimpleUploadedFile("big.pdf", b"x" * (services.RULES_MAX_BYTES + 1))
    r = c.post(url, {"form": "rules", "title": "太大", "file": monkey})
    assert r.status_code == 400 and "“big.pdf”大小为 10.0\xa0MB,这里的文件最大 10.0\xa0MB。" in r.content.decode()
    page = SimpleUploadedFile("制度.html", b"<script>alert(1)</script>", content_type="text/html")
    r = c.post(url, {"form": "rules", "title": "网页", "file": page})
    assert r.status_code == 400 and "“制度.html”不能上传到这里" in r.content.decode()
    r = c.post(url, {"form": "rules", "title": "没有文件"})
    assert r.status_code == 400 and "请选择" in r.content.decode()
    assert RulesDocument.objects.count() == 1

    other = client_for("school_admin_wang").post(url, {"form": "rules_remove", "document": doc.pk})
    assert other.status_code == 404
    assert client_for("head_teacher_li").post(url, {"form": "rules_remove", "document": doc.pk}).status_code == 404
    assert c.post(url, {"form": "rules_remove", "document": doc.pk + 100}).status_code == 404
    assert c.post(url, {"form": "rules_remove", "document": doc.pk}).status_code == 302
    assert not RulesDocument.objects.exists()


def test_session_page_and_coverage_run_a_fixed_number_of_queries(cast, client_for, ps, session):
    from xieyu.events.tests.test_events import len_queries

    url = reverse("parentschool:session", args=[session.event.pk])
    _register(cast, session)
    pages = [("school_admin_liu", url), ("parent_zhang", url),
             ("county_admin_chen", reverse("parentschool:coverage", args=[cast.county.pk]))]  # fmt: skip
    small = [len_queries(client_for(p), u) for p, u in pages]
    for text in ("我会陪孩子阅读", "我会安排孩子作息", "我能控制自己的情绪"):
        services.survey_question_add(actor=cast.school_admin_liu, session=session, text=text)
    _register(cast, session, "grandma_zhao", "liu_xiaoyu")
    qs = access.questions_of(session)
    services.survey_answer(
        actor=cast.grandma_zhao, session=session, phase="before", scores={q.pk: 4 for q in qs}, consent=True
    )
    assert [len_queries(client_for(p), u) for p, u in pages] == small


def test_demo_parent_schools_are_seeded_once_and_flag_the_second_school(cast, client_for):
    from xieyu.demo.parentschool import seed_parent_schools
    from xieyu.parentschool.models import Session

    assert seed_parent_schools(cast) is True
    assert seed_parent_schools(cast) is False
    assert Session.objects.count() == 3
    rows = {s.name: s for s in access.county_coverage(cast.county_admin_chen, cast.county.pk, semester_of())}
    a, b = rows["全南县城厢小学"], rows["全南县第二中学"]
    assert a.established and b.established and b.sessions_count == 1
    assert a.held_count == 1 and a.attendance_rate == 1.0 and a.survey_change == pytest.approx(1.5)
    body = client_for("county_admin_chen").get(reverse("parentschool:coverage", args=[cast.county.pk])).content.decode()
    assert 'data-school="全南县第二中学" data-behind' in body


@pytest.mark.parametrize("persona, status", [("school_admin_liu", 200), ("county_admin_chen", 200),
                                             ("school_admin_wang", 404), ("parent_zhang", 404), (None, 302)])  # fmt: skip
def test_a_rules_file_is_served_only_to_the_schools_staff(cast, client_for, ps, persona, status):
    pdf = SimpleUploadedFile("rules.pdf", b"%PDF-1.4 rules", content_type="application/pdf")
    doc = services.rules_add(actor=cast.school_admin_liu, parent_school=ps, title="家长学校管理制度", file=pdf)
    url = reverse("parentschool:rules_file", args=[cast.school_a.pk, doc.pk])
    assert (
        url
        in client_for("school_admin_liu").get(reverse("parentschool:school", args=[cast.school_a.pk])).content.decode()
    )
    r = client_for(persona).get(url)
    assert r.status_code == status
    if status == 200:
        assert r["Content-Type"] == "application/pdf" and "attachment" in r["Content-Disposition"]
        assert b"".join(r.streaming_content) == b"%PDF-1.4 rules"
    assert (
        client_for("school_admin_wang")
        .get(reverse("parentschool:rules_file", args=[cast.school_b.pk, doc.pk]))
        .status_code
        == 404
    )


def test_a_reminded_before_wave_does_not_stop_the_after_reminder(cast, session):
    q1, q2 = access.questions_of(session)
    _register(cast, session)
    services.survey_answer(actor=cast.parent_zhang, session=session, phase="before", scores={q1.pk: 2, q2.pk: 3},
                           consent=True)  # fmt: skip
    start = timezone.now() - datetime.timedelta(minutes=5)
    type(session.event).objects.filter(pk=session.event.pk).update(starts_at=start,
                                                                   ends_at=start + datetime.timedelta(hours=1))  # fmt: skip
    _check_in(cast, session)
    Wave.objects.filter(questionnaire=session.questionnaire_id, number=1).update(reminded_at=timezone.now())
    assert services.survey_after_remind(now=timezone.now() + datetime.timedelta(hours=2, minutes=10)) == 1
