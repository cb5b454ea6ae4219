"""The family-education evaluation as people meet it: the instrument, a family's own profile with advice and links,
the staff figures (suppressed), the head teacher's private list of sharp falls, and model-family candidates."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xieyu.directory.roster.format import national_student_number
from xieyu.directory.services import student_create
from xieyu.notices.models import Delivery
from xieyu.parentschool.models import Course, ParentSchool
from xieyu.publicity.tests.articles_fixtures import client_of, neighbour  # noqa: F401 — a fixture
from xieyu.questions.knowledge.models import Article
from xieyu.surveys.evaluation import instrument as std
from xieyu.surveys.evaluation.access import candidates_for
from xieyu.surveys.evaluation.models import CandidateConsent, FallSuggestion, Instrument
from xieyu.surveys.evaluation.services import (
    candidate_consent_set,
    evaluation_install,
    evaluation_instrument_set,
    suggestion_resolve,
)
from xieyu.surveys.models import Question, Questionnaire, Version

from .evaluation_fixtures import evaluation, flat  # noqa: F401 — a fixture

PROFILE = reverse("evaluation:profile")


def kids(cast, n: int, school_class=None):
    school_class = school_class or cast.class_a1
    base = 500 + 20 * school_class.pk % 400
    out = []
    for i in range(n):
        born = datetime.date(2017, 1, 1) + datetime.timedelta(days=i)
        number = national_student_number(f"360729{born:%Y%m%d}{base + i:03d}")
        out.append(student_create(actor=None, school_class=school_class, name=f"学生{i:02d}", gender="F",
                                  birth_date=born, student_number=number))  # fmt: skip
    return out


# --- the instrument ------------------------------------------------------------------------------------------------


def test_the_standard_instrument_has_six_dimensions_reverse_items_and_context(cast):
    chosen = evaluation_install(actor=cast.county_admin_chen, county=cast.county)
    q = chosen.questionnaire
    assert (q.key, q.title) == ("family_evaluation", "家庭教育评价")
    questions = list(Question.objects.filter(version__questionnaire=q))
    per = {d.code: [x for x in questions if x.dimension == d.code] for d in std.DIMENSIONS}
    assert list(per) == ["climate", "communication", "homework", "screen", "reading", "emotion"]
    assert all(4 <= len(items) <= 5 for items in per.values())
    assert any(x.reverse and "替他做完" in x.text for x in per["homework"])
    assert all(x.kind == "scale" and (x.scale_min, x.scale_max) == (1, 5) for items in per.values() for x in items)
    assert [x.code for x in questions if not x.dimension] == ["ctx_caregiver", "ctx_time"]
    assert evaluation_install(actor=cast.county_admin_chen, county=cast.county).pk == chosen.pk  # once


def test_only_the_county_admin_installs_or_replaces_it(cast):
    with pytest.raises(PermissionDenied):
        evaluation_install(actor=cast.school_admin_liu, county=cast.county)
    assert not Instrument.objects.exists()


def test_the_county_replaces_it_by_a_published_questionnaire_with_dimensions(cast, evaluation, client_for):  # noqa: F811
    other = Questionnaire.objects.create(title="新版家庭教育评价", county=cast.county)
    url = reverse("evaluation:instrument", args=[cast.county.pk])
    client = client_for("county_admin_chen")
    r = client.post(url, {"questionnaire": other.pk}, follow=True)
    assert "还没有发布的版本" in r.content.decode()
    v = Version.objects.create(questionnaire=other, number=1, status="published")
    Question.objects.create(version=v, position=1, code="a", kind="scale", text="甲", dimension="reading")
    r = client.post(url, {"questionnaire": other.pk}, follow=True)
    assert "至少要计入两个维度" in r.content.decode()
    Question.objects.create(version=v, position=2, code="b", kind="scale", text="乙", dimension="warmth")
    client.post(url, {"questionnaire": other.pk})
    assert Instrument.objects.get(county=cast.county).questionnaire == other
    r = client.post(url, {"questionnaire": "abc"}, follow=True)
    assert "请选择本县的一份问卷" in r.content.decode()
    assert Instrument.objects.get(county=cast.county).questionnaire == other
    school_q = Questionnaire.objects.create(title="学校问卷", county=cast.county, school=cast.school_a)
    with pytest.raises(ValidationError):
        evaluation_instrument_set(actor=cast.county_admin_chen, county=cast.county, questionnaire=school_q)


@pytest.mark.parametrize("persona, status", [("county_admin_chen", 200), ("school_admin_liu", 404),
                                             ("head_teacher_li", 404), ("parent_zhang", 404), (None, 302)])  # fmt: skip
def test_the_instrument_page_is_the_county_admins(cast, evaluation, client_for, persona, status):  # noqa: F811
    assert client_for(persona).get(reverse("evaluation:instrument", args=[cast.county.pk])).status_code == status


# --- the family's profile -------------------------------------------------------------------------------------------


@pytest.fixture
def links(cast):
    Article.objects.create(category="communication", title="孩子不愿意和家长说学校的事", question_text="孩子回家不说话",
                           answer_text="先倾听。", county=cast.county)  # fmt: skip
    Article.objects.create(category="homework", title="作业磨蹭怎么办", question_text="写作业拖拉",
                           answer_text="定时。", county=cast.county)  # fmt: skip
    ps = ParentSchool.objects.create(school=cast.school_a, established_on=datetime.date(2020, 1, 1),
                                     person_in_charge="刘芳")  # fmt: skip
    Course.objects.create(
        parent_school=ps, title="如何与孩子沟通作业问题", stage="primary_lower", theme="communication"
    )


def test_a_family_sees_its_profile_change_and_the_advice_and_lessons_that_fit(cast, evaluation, links, client_for,  # noqa: F811
                                                                              django_assert_max_num_queries):  # fmt: skip
    zhang = cast.students["zhang_xiaoming"]
    evaluation.answer(zhang, 1, flat(70, communication=45, homework=50))
    evaluation.answer(zhang, 2, flat(75, communication=55, homework=45))
    client = client_for("parent_zhang")
    with django_assert_max_num_queries(25):
        html = client.get(PROFILE).content.decode()
    assert "张小明" in html and "2026年春季" in html
    assert 'data-dimension="communication"' in html and "+10.0" in html  # communication 45 → 55
    assert 'data-advice="communication"' in html and 'data-advice="homework"' in html
    assert 'data-advice="reading"' not in html
    assert "孩子不愿意和家长说学校的事" in html and "作业磨蹭怎么办" in html
    assert "如何与孩子沟通作业问题" in html
    assert "回答评价" in html or "2026年秋季" in html  # the open wave is offered


def test_the_profile_runs_the_same_queries_whatever_the_history(cast, evaluation, links, client_for,  # noqa: F811
                                                                django_assert_num_queries):  # fmt: skip
    zhang = cast.students["zhang_xiaoming"]
    evaluation.answer(zhang, 1, flat(70))
    client = client_for("parent_zhang")
    client.get(PROFILE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(PROFILE)
    evaluation.answer(zhang, 2, flat(60))
    evaluation.answer(zhang, 3, flat(65))
    with django_assert_num_queries(len(one)):
        client.get(PROFILE)


def test_a_family_sees_only_its_own_child(cast, evaluation, client_for):  # noqa: F811
    zhang = cast.students["zhang_xiaoming"]
    evaluation.answer(zhang, 1, flat(70))
    assert client_for("grandma_zhao").get(PROFILE, {"child": zhang.pk}).status_code == 404
    assert client_for("grandma_zhao").get(PROFILE, {"child": "x1"}).status_code == 404
    assert client_for("head_teacher_wang").get(PROFILE).status_code == 404  # staff without children
    assert client_for(None).get(PROFILE).status_code == 302
    html = client_for("grandma_zhao").get(PROFILE).content.decode()
    assert "张小明" not in html


def test_consent_is_given_and_withdrawn_on_the_profile_page(cast, evaluation, client_for):  # noqa: F811
    zhang = cast.students["zhang_xiaoming"]
    client = client_for("parent_zhang")
    url = reverse("evaluation:consent")
    client.post(url, {"child": zhang.pk, "agreed": "1"})
    assert CandidateConsent.objects.get(student=zhang).agreed
    r = client.post(url, {"child": zhang.pk, "agreed": "yes"}, follow=True)
    assert "请选择是否同意" in r.content.decode()
    assert CandidateConsent.objects.get(student=zhang).agreed
    client.post(url, {"child": zhang.pk, "agreed": "0"})
    assert not CandidateConsent.objects.get(student=zhang).agreed
    assert client_for("grandma_zhao").post(url, {"child": zhang.pk, "agreed": "1"}).status_code == 404
    assert not CandidateConsent.objects.get(student=zhang).agreed


# --- sharp falls ----------------------------------------------------------------------------------------------------


def test_a_sharp_fall_is_suggested_to_the_head_teacher_only(cast, evaluation, client_for):  # noqa: F811
    qian = cast.students["qian_duoduo"]
    evaluation.answer(qian, 1, flat(75))
    evaluation.answer(qian, 2, flat(72))  # a small fall: nothing
    assert not FallSuggestion.objects.exists()
    evaluation.answer(qian, 3, flat(55))
    s = FallSuggestion.objects.get()
    assert (s.student, s.school_class, s.total_drop) == (qian, cast.class_a1, 17.0)
    delivery = Delivery.objects.get(notice__topic="evaluation.fall")
    assert delivery.user == cast.head_teacher_li or delivery.guardian.user == cast.head_teacher_li
    detail = reverse("evaluation:suggestion", args=[s.pk])
    li = client_for("head_teacher_li")
    assert "钱多多" in li.get(reverse("evaluation:suggestions")).content.decode()
    assert "钱多多" in li.get(detail).content.decode()
    for persona in ("school_admin_liu", "county_admin_chen", "head_teacher_wang", "parent_zhang", "teacher_he"):
        assert client_for(persona).get(detail).status_code == 404, persona
        assert "钱多多" not in client_for(persona).get(reverse("evaluation:suggestions")).content.decode()
        assert client_for(persona).post(detail, {"outcome": "talked"}).status_code == 404
    assert client_for(None).get(detail).status_code == 302


def test_one_dimension_falling_25_points_is_enough(cast, evaluation):  # noqa: F811
    zhou = cast.students["zhou_jie"]
    evaluation.answer(zhou, 1, flat(70))
    evaluation.answer(zhou, 2, flat(72, screen=45))
    assert FallSuggestion.objects.get().drops == {"screen": 25.0}


def test_the_head_teacher_marks_it_talked_with_a_note(cast, evaluation, client_for):  # noqa: F811
    qian = cast.students["qian_duoduo"]
    evaluation.answer(qian, 1, flat(80))
    evaluation.answer(qian, 2, flat(60))
    s = FallSuggestion.objects.get()
    url = reverse("evaluation:suggestion", args=[s.pk])
    li = client_for("head_teacher_li")
    r = li.post(url, {"outcome": "gone"}, follow=True)
    assert "请选择已沟通还是不再提示" in r.content.decode()
    r = li.post(url, {"outcome": "talked", "note": "x" * 301}, follow=True)
    assert "备注太长" in r.content.decode()
    s.refresh_from_db()
    assert s.status == "open"
    li.post(url, {"outcome": "talked", "note": "电话聊过,下周家访"})
    s.refresh_from_db()
    assert (s.status, s.note, s.resolved_by) == ("talked", "电话聊过,下周家访", cast.head_teacher_li)
    with pytest.raises(PermissionDenied):
        suggestion_resolve(actor=cast.school_admin_liu, suggestion=s, outcome="dismissed")


# --- candidates -----------------------------------------------------------------------------------------------------


def test_high_improving_families_are_candidates_only_with_consent(cast, evaluation, client_for):  # noqa: F811
    liu, zhang, qian = (cast.students[k] for k in ("liu_xiaoyu", "zhang_xiaoming", "qian_duoduo"))
    evaluation.answer(liu, 1, flat(80))
    evaluation.answer(liu, 2, flat(90))
    evaluation.answer(zhang, 1, flat(80))
    evaluation.answer(zhang, 2, flat(90))  # high and improving, no consent
    evaluation.answer(qian, 1, flat(95))
    evaluation.answer(qian, 2, flat(90))  # high, not improving
    candidate_consent_set(actor=cast.grandma_zhao, student=liu, agreed=True)
    candidate_consent_set(actor=None, student=qian, agreed=True)
    assert [c.student for c in candidates_for(cast.school_admin_liu, cast.school_a)] == [liu]
    assert candidates_for(cast.county_admin_chen, cast.school_a) == []
    assert candidates_for(cast.head_teacher_li, cast.school_a) == []
    url = reverse("evaluation:candidates", args=[cast.school_a.pk])
    html = client_for("school_admin_liu").get(url).content.decode()
    assert "刘小宇" in html and "张小明" not in html and "钱多多" not in html
    for persona in ("school_admin_wang", "county_admin_chen", "head_teacher_li", "grandma_zhao"):
        assert client_for(persona).get(url).status_code == 404, persona
    candidate_consent_set(actor=cast.grandma_zhao, student=liu, agreed=False)
    assert candidates_for(cast.school_admin_liu, cast.school_a) == []


# --- staff figures --------------------------------------------------------------------------------------------------


def test_class_figures_show_bands_means_and_paired_change_suppressed(cast, evaluation, client_for):  # noqa: F811
    children = kids(cast, 6)
    for i, child in enumerate(children):
        evaluation.answer(child, 1, flat(60 + i))
        evaluation.answer(child, 2, flat(70 + i))
    html = client_for("head_teacher_li").get(reverse("evaluation:class", args=[cast.class_a1.pk])).content.decode()
    assert "+10.0" in html  # six pairs, each +10
    assert "72.5" in html  # the mean of 70…75
    assert "&lt;5" in html  # the empty bands are hidden too
    assert "学生00" not in html
    few = client_for("head_teacher_wang").get(reverse("evaluation:class", args=[cast.class_b1.pk])).content.decode()
    assert "—" in few


def test_the_figures_download_as_the_page_shows_them_and_the_download_is_logged(cast, evaluation, client_for):  # noqa: F811
    import io

    from openpyxl import load_workbook

    from xieyu.audit.models import AccessEvent

    for i, child in enumerate(kids(cast, 6)):
        evaluation.answer(child, 1, flat(60 + i))
        evaluation.answer(child, 2, flat(70 + i))
    url = reverse("evaluation:school", args=[cast.school_a.pk]) + "?format=xlsx"
    r = client_for("school_admin_liu").get(url)
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(r.content))
    dims = [[c.value for c in row] for row in book["按维度"].iter_rows(min_row=2)]
    total = dims[-1]
    assert total[-2] == 72.5 and total[-1] == 10.0  # the mean of 70…75 and the change on six pairs
    assert any("<5" in str(v) for row in dims for v in row)  # small cells stay hidden
    assert "学生00" not in str([[c.value for c in row] for ws in book for row in ws.iter_rows()])
    assert AccessEvent.objects.filter(purpose="evaluation.figures_export", actor_id=cast.school_admin_liu.pk).exists()
    assert client_for("school_admin_wang").get(url).status_code == 404


def test_a_small_class_shows_no_mean(cast, evaluation, client_for):  # noqa: F811
    for i, child in enumerate(kids(cast, 3)):
        evaluation.answer(child, 2, flat(60 + i))
    html = client_for("head_teacher_li").get(reverse("evaluation:class", args=[cast.class_a1.pk])).content.decode()
    assert "data-mean>61.0" not in html and "data-mean>—" in html and "&lt;5" in html


def test_school_figures_run_a_fixed_number_of_queries(cast, evaluation, client_for, django_assert_num_queries):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("evaluation:school", args=[cast.school_a.pk])
    client = client_for("school_admin_liu")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i, child in enumerate(kids(cast, 8) + kids(cast, 6, cast.class_a2)):
        evaluation.answer(child, 2, flat(60 + i))
        evaluation.answer(child, 3, flat(62 + i))
    with django_assert_num_queries(len(one)):
        html = client.get(url).content.decode()
    assert "三年级1班" in html or "1班" in html


@pytest.mark.parametrize("page, persona, status", [
    ("class", "head_teacher_li", 200), ("class", "school_admin_liu", 200), ("class", "head_teacher_wang", 404),
    ("class", "school_admin_wang", 404), ("class", "county_admin_chen", 404), ("class", "parent_zhang", 404),
    ("class", None, 302),
    ("school", "school_admin_liu", 200), ("school", "county_admin_chen", 200), ("school", "head_teacher_li", 404),
    ("school", "school_admin_wang", 404), ("school", "parent_zhang", 404), ("school", None, 302),
    ("county", "county_admin_chen", 200), ("county", "school_admin_liu", 404), ("county", "head_teacher_li", 404),
    ("county", None, 302),
])  # fmt: skip
def test_figures_are_seen_by_those_responsible(cast, evaluation, client_for, page, persona, status):  # noqa: F811
    pk = {"class": cast.class_a1.pk, "school": cast.school_a.pk, "county": cast.county.pk}[page]
    assert client_for(persona).get(reverse(f"evaluation:{page}", args=[pk])).status_code == status


def test_the_neighbour_county_sees_nothing(cast, evaluation, neighbour):  # noqa: F811
    admin, school_admin, father = (client_of(neighbour[k]) for k in ("admin", "school_admin", "father"))
    assert admin.get(reverse("evaluation:county", args=[cast.county.pk])).status_code == 404
    assert admin.get(reverse("evaluation:school", args=[cast.school_a.pk])).status_code == 404
    assert school_admin.get(reverse("evaluation:class", args=[cast.class_a1.pk])).status_code == 404
    assert school_admin.get(reverse("evaluation:candidates", args=[cast.school_a.pk])).status_code == 404
    assert admin.get(reverse("evaluation:instrument", args=[cast.county.pk])).status_code == 404
    zhang = cast.students["zhang_xiaoming"]
    assert father.get(PROFILE, {"child": zhang.pk}).status_code == 404
    assert father.get(reverse("evaluation:staff")).status_code == 404
    api = f"/api/v1/surveys/evaluation/children/{zhang.pk}/profile"
    assert father.get(api).status_code == 404
    assert admin.get(f"/api/v1/surveys/evaluation/schools/{cast.school_a.pk}/figures").status_code == 404


def test_a_wave_that_is_not_the_countys_is_not_found(cast, evaluation, client_for):  # noqa: F811
    url = reverse("evaluation:class", args=[cast.class_a1.pk])
    assert client_for("head_teacher_li").get(url, {"wave": "999999"}).status_code == 404
    assert client_for("head_teacher_li").get(url, {"wave": "abc"}).status_code == 404
    assert client_for("head_teacher_li").get(url, {"wave": evaluation.waves[0].pk}).status_code == 200


# --- the API --------------------------------------------------------------------------------------------------------


def test_the_api_gives_the_familys_profile_and_takes_its_consent(cast, evaluation, links, client_for):  # noqa: F811
    zhang = cast.students["zhang_xiaoming"]
    evaluation.answer(zhang, 1, flat(70, communication=45))
    evaluation.answer(zhang, 2, flat(75, communication=50))
    client = client_for("parent_zhang")
    data = client.get(f"/api/v1/surveys/evaluation/children/{zhang.pk}/profile").json()
    assert data["total"] == pytest.approx(70.8) and data["previous_wave"] == "2025年秋季"
    comm = next(d for d in data["dimensions"] if d["code"] == "communication")
    assert comm["weak"] and comm["change"] == 5.0 and comm["links"]
    r = client.post(f"/api/v1/surveys/evaluation/children/{zhang.pk}/consent", {"agreed": True},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and CandidateConsent.objects.get(student=zhang).agreed
    other = client_for("grandma_zhao")
    assert other.get(f"/api/v1/surveys/evaluation/children/{zhang.pk}/profile").status_code == 404
    assert other.post(f"/api/v1/surveys/evaluation/children/{zhang.pk}/consent", {"agreed": False},
                      content_type="application/json").status_code == 404  # fmt: skip
    assert client_for(None).get(f"/api/v1/surveys/evaluation/children/{zhang.pk}/profile").status_code == 401
    r = client.post(f"/api/v1/surveys/evaluation/children/{zhang.pk}/consent", {"agreed": "maybe"},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 422 and CandidateConsent.objects.get(student=zhang).agreed


def test_the_api_figures_are_suppressed_like_the_page(cast, evaluation, client_for):  # noqa: F811
    for i, child in enumerate(kids(cast, 6)):
        evaluation.answer(child, 2, flat(60 + i))
    data = client_for("head_teacher_li").get(f"/api/v1/surveys/evaluation/classes/{cast.class_a1.pk}/figures").json()
    total = data["dimensions"][-1]
    assert total["bands"][0] == "<5" and total["mean"] == 62.5
    assert "6" not in (total["families"], *total["bands"]) or total["families"] == "—"  # 6 of 6 would tell the zeros
    assert not any(
        v in {"0", "1", "2", "3", "4"} for row in data["dimensions"] for v in (*row["bands"], row["families"])
    )
    assert client_for("head_teacher_wang").get(
        f"/api/v1/surveys/evaluation/classes/{cast.class_a1.pk}/figures").status_code == 404  # fmt: skip
    school = client_for("school_admin_liu").get(f"/api/v1/surveys/evaluation/schools/{cast.school_a.pk}/figures")
    assert school.status_code == 200 and "学生00" not in school.content.decode()


# --- through the engine ---------------------------------------------------------------------------------------------


def test_answering_on_the_engine_scores_the_dimensions_and_checks_the_fall(cast, evaluation):  # noqa: F811
    from xieyu.surveys.services import response_submit

    zhang = cast.students["zhang_xiaoming"]
    evaluation.answer(zhang, 2, flat(90))
    answers = {q.code: "3" for q in evaluation.version.questions.filter(kind="scale")}
    answers["homework_2"] = "5"  # 孩子的作业我常常直接替他做完: 总是 (reverse-scored)
    answers |= {"ctx_caregiver": "parents", "ctx_time": "1to2h"}
    response = response_submit(actor=cast.parent_zhang, wave=evaluation.waves[2], student=zhang, answers=answers,
                               consent=True)  # fmt: skip
    assert response.scores["communication"] == 50.0
    assert response.scores["homework"] == 40.0  # four items at 50, one reversed at 0
    s = FallSuggestion.objects.get(response=response)
    assert s.school_class == cast.class_a1 and s.total_drop >= 15


def test_the_model_family_nomination_page_offers_the_consenting_candidates(cast, evaluation, client_for):  # noqa: F811
    from xieyu.awards.campaigns import services as award_services
    from xieyu.awards.tests.campaigns_fixtures import campaign_fields

    c = award_services.campaign_create(actor=cast.county_admin_chen, county=cast.county, fields=campaign_fields())
    c = award_services.campaign_open(actor=cast.county_admin_chen, campaign=c)
    liu = cast.students["liu_xiaoyu"]
    evaluation.answer(liu, 1, flat(80))
    evaluation.answer(liu, 2, flat(90))
    url = reverse("awards:nominate", args=[c.pk])
    assert "刘小宇家庭" not in client_for("school_admin_liu").get(url).content.decode().split('id="nomination-form"')[0]
    candidate_consent_set(actor=cast.grandma_zhao, student=liu, agreed=True)
    html = client_for("school_admin_liu").get(url).content.decode()
    assert f'data-candidate="{liu.pk}"' in html and f"?nominee={liu.pk}" in html
    prefilled = client_for("school_admin_liu").get(url, {"nominee": liu.pk}).content.decode()
    assert f'<option value="{liu.pk}" selected>' in prefilled
    assert 'data-candidate="' not in client_for("school_admin_wang").get(url).content.decode()


def test_the_talk_list_runs_the_same_queries_for_one_or_many(cast, evaluation, client_for):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, *others = kids(cast, 6)
    evaluation.answer(first, 1, flat(80))
    evaluation.answer(first, 2, flat(50))
    client = client_for("head_teacher_li")
    url = reverse("evaluation:suggestions")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for child in others:
        evaluation.answer(child, 1, flat(80))
        evaluation.answer(child, 2, flat(50))
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many) == len(one) and html.count("data-suggestion=") == 6
