"""The pages: who sees what (the neighbour matrix on every path), the builder, answering, results and exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xieyu.audit.models import AuditEvent
from xieyu.surveys import services
from xieyu.surveys.models import Question, Response, Version

from .fixtures import GOOD, build_questionnaire, open_wave

pytestmark = pytest.mark.django_db


def _post_answers(client, wave, answers=GOOD, consent=True, **extra):
    data = {f"q_{k}": v for k, v in answers.items()}
    if consent:
        data["consent"] = "1"
    data.update(extra)
    return client.post(reverse("surveys:answer", args=[wave.pk]), data)


@pytest.mark.parametrize(
    "persona, status",
    [("parent_zhang", 200), ("grandma_zhao", 200), ("parent_sun", 404), ("head_teacher_wang", 404),
     ("school_admin_liu", 404), (None, 302)],
)  # fmt: skip
def test_the_answer_page_is_for_the_families_asked(client_for, class_wave, persona, status):
    r = client_for(persona).get(reverse("surveys:answer", args=[class_wave.pk]))
    assert r.status_code == status
    r = client_for(persona).post(reverse("surveys:skip", args=[class_wave.pk]))
    assert r.status_code == (302 if status == 200 else status)
    assert Response.objects.count() == (1 if status == 200 else 0)


def test_a_guardian_answers_on_the_page(cast, client_for, class_wave):
    c = client_for("parent_zhang")
    page = c.get(reverse("surveys:mine"))
    assert class_wave.title in page.content.decode()
    r = _post_answers(c, class_wave, next="https://evil.example/")
    assert r.status_code == 302
    assert r["Location"] == reverse("surveys:mine")  # a next off this site is not followed
    resp = Response.objects.get()
    assert resp.scores == {"company": 87.5, "study": 75.0}
    page = c.get(reverse("surveys:answer", args=[class_wave.pk])).content.decode()
    assert 'value="30"' in page  # their answers are shown back


def test_bad_answers_on_the_page_name_the_question_and_change_nothing(cast, client_for, class_wave):
    c = client_for("parent_zhang")
    r = _post_answers(c, class_wave, {**GOOD, "talk": "9"})
    assert r.status_code == 200
    text = r.content.decode()
    assert "第3题的回答须在1到5之间" in text
    r = _post_answers(c, class_wave, consent=False)
    assert r.status_code == 200
    assert not Response.objects.exists()


def test_a_guardian_with_two_children_answers_one_at_a_time(cast, client_for, survey):
    wave = open_wave(cast.county_admin_chen, survey, audience="county")
    c = client_for("head_teacher_li")  # 李娜 is also 李果果's mother (二中)
    page = c.get(reverse("surveys:mine")).content.decode()
    assert "李果果" in page
    r = _post_answers(c, wave, student=str(cast.students["li_guoguo"].pk))
    assert r.status_code == 302
    assert Response.objects.get().respondent.student == cast.students["li_guoguo"]
    # someone else's child: not found
    r = c.get(reverse("surveys:answer", args=[wave.pk]) + f"?student={cast.students['zhang_xiaoming'].pk}")
    assert r.status_code == 404


STAFF_PATHS = ["surveys:detail", "surveys:wave_new"]


@pytest.mark.parametrize(
    "persona, status",
    [("county_admin_chen", 200), ("school_admin_liu", 200), ("head_teacher_li", 200), ("parent_zhang", 404),
     ("teacher_he", 404), ("expert_huang", 404), (None, 302)],
)  # fmt: skip
def test_a_county_questionnaire_is_seen_by_the_county_staff(client_for, survey, persona, status):
    for name in STAFF_PATHS:
        assert client_for(persona).get(reverse(name, args=[survey.pk])).status_code == status, name


@pytest.mark.parametrize(
    "persona, status",
    [("school_admin_liu", 200), ("head_teacher_li", 200), ("county_admin_chen", 200), ("school_admin_wang", 404),
     ("head_teacher_wang", 404), ("parent_zhang", 404), (None, 302)],
)  # fmt: skip
def test_a_school_questionnaire_is_seen_by_its_school(cast, client_for, persona, status):
    q = build_questionnaire(cast.school_admin_liu, school=cast.school_a)
    assert client_for(persona).get(reverse("surveys:detail", args=[q.pk])).status_code == status


@pytest.mark.parametrize(
    "persona, status",
    [("head_teacher_li", 200), ("school_admin_liu", 200), ("county_admin_chen", 200), ("head_teacher_wang", 404),
     ("school_admin_wang", 404), ("parent_zhang", 404), ("teacher_he", 404), (None, 302)],
)  # fmt: skip
def test_a_class_wave_is_seen_by_those_responsible(client_for, class_wave, persona, status):
    for name in ("surveys:wave",):
        assert client_for(persona).get(reverse(name, args=[class_wave.pk])).status_code == status
    assert client_for(persona).get(reverse("surveys:wave_export", args=[class_wave.pk, "csv"])).status_code == status


@pytest.mark.parametrize(
    "persona, status", [("school_admin_wang", 404), ("head_teacher_wang", 404), ("parent_zhang", 404), (None, 302)]
)
def test_neighbours_cannot_remind_or_close(client_for, class_wave, persona, status):
    for name in ("surveys:wave_remind", "surveys:wave_close"):
        assert client_for(persona).post(reverse(name, args=[class_wave.pk])).status_code == status
    class_wave.refresh_from_db()
    assert class_wave.is_open()


@pytest.mark.parametrize("persona", ["school_admin_liu", "head_teacher_li", "school_admin_wang", "parent_zhang", None])
def test_only_the_owners_edit_a_draft(cast, client_for, survey, persona):
    draft = services.version_draft(actor=cast.county_admin_chen, questionnaire=survey)
    question = draft.questions.get(code="reads")
    section = draft.sections.first()
    c = client_for(persona)
    expected = 302 if persona is None else 404
    posts = [
        ("surveys:question_add", draft.pk, {"kind": "text", "text": "闯入"}),
        ("surveys:question_edit", question.pk, {"kind": "text", "text": "闯入"}),
        ("surveys:question_remove", question.pk, {}),
        ("surveys:question_move", question.pk, {"direction": "down"}),
        ("surveys:section_add", draft.pk, {"title": "闯入"}),
        ("surveys:section_edit", section.pk, {"title": "闯入"}),
        ("surveys:section_remove", section.pk, {}),
        ("surveys:section_move", section.pk, {"direction": "down"}),
        ("surveys:publish", draft.pk, {}),
        ("surveys:version_new", survey.pk, {}),
    ]
    for name, pk, data in posts:
        assert c.post(reverse(name, args=[pk]), data).status_code == expected, name
    draft.refresh_from_db()
    assert draft.status == Version.Status.DRAFT
    assert draft.questions.count() == 7 and draft.sections.count() == 2
    assert draft.questions.get(code="reads").text == "您每天陪孩子阅读吗?"


def test_the_builder_end_to_end(cast, client_for):
    c = client_for("school_admin_liu")
    r = c.post(reverse("surveys:new"), {"title": "亲子沟通", "respondent_kind": "family",
                                        "owner": f"school:{cast.school_a.pk}"})  # fmt: skip
    assert r.status_code == 302
    from xieyu.surveys.models import Questionnaire

    q = Questionnaire.objects.get(title="亲子沟通")
    draft = q.versions.get()
    assert c.post(reverse("surveys:section_add", args=[draft.pk]), {"title": "沟通"}).status_code == 302
    section = draft.sections.get()
    r = c.post(reverse("surveys:question_add", args=[draft.pk]), {
        "kind": "single", "text": "孩子愿意和您说心事吗?", "code": "share", "required": "on", "options": "愿意=100\n不愿意=0",
        "section": str(section.pk), "dimension": "talk",
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()
    r = c.post(reverse("surveys:question_add", args=[draft.pk]), {
        "kind": "text", "text": "为什么?", "code": "why", "show_if_code": "share", "show_if_in": "2",
        "section": str(section.pk),
    })  # fmt: skip
    assert r.status_code == 302
    # a scale with its highest point below the lowest: refused, named, nothing added
    r = c.post(reverse("surveys:question_add", args=[draft.pk]), {"kind": "scale", "text": "x", "scale_min": "5",
                                                                  "scale_max": "1"})  # fmt: skip
    assert r.status_code == 200
    assert draft.questions.count() == 2
    page = c.get(reverse("surveys:detail", args=[q.pk])).content.decode()
    assert "孩子愿意和您说心事吗?" in page
    assert c.post(reverse("surveys:publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Version.Status.PUBLISHED
    # editing the published version is refused with the message, nothing changed
    why = draft.questions.get(code="why")
    r = c.post(reverse("surveys:question_edit", args=[why.pk]), {"kind": "text", "text": "改"}, follow=True)
    assert "已发布的问卷不能修改，请新建版本" in r.content.decode()
    assert Question.objects.get(pk=why.pk).text == "为什么?"
    # open a wave for class 三年级1班
    r = c.post(reverse("surveys:wave_new", args=[q.pk]), {"target": f"class:{cast.class_a1.pk}",
               "opens_on": "2026-01-01", "closes_on": "2099-01-01"})  # fmt: skip
    assert r.status_code == 200  # the opening date has passed
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    r = c.post(reverse("surveys:wave_new", args=[q.pk]), {"target": f"class:{cast.class_b1.pk}",
               "opens_on": today, "closes_on": "2099-01-01"})  # fmt: skip
    assert r.status_code == 200 and not q.waves.exists()  # another school's class
    r = c.post(reverse("surveys:wave_new", args=[q.pk]), {"target": f"class:{cast.class_a1.pk}",
               "opens_on": today, "closes_on": "2099-01-01"})  # fmt: skip
    assert r.status_code == 302
    assert q.waves.count() == 1


def _answer_all(cast, wave):
    services.response_submit(actor=cast.parent_zhang, wave=wave, answers=GOOD, consent=True)
    services.response_submit(actor=cast.grandma_zhao, wave=wave, answers={**GOOD, "talk": "2"}, consent=True)


def test_results_are_suppressed(cast, client_for, class_wave):
    _answer_all(cast, class_wave)
    page = client_for("head_teacher_li").get(reverse("surveys:wave", args=[class_wave.pk])).content.decode()
    assert "&lt;5" in page
    assert "作答太少" in page


def test_export_uses_pseudonyms_and_names_only_for_the_schools_own(cast, client_for, survey):
    wave = open_wave(cast.county_admin_chen, survey, audience="county")
    _answer_all(cast, wave)
    services.response_submit(actor=cast.parent_sun, wave=wave, answers=GOOD, consent=True)
    # the county admin: pseudonyms only, and asking for names is refused
    c = client_for("county_admin_chen")
    body = c.get(reverse("surveys:wave_export", args=[wave.pk, "csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 4
    assert not any("张小明" in v or "孙浩" in v for row in rows for v in row)
    r = c.get(reverse("surveys:wave_export", args=[wave.pk, "csv"]) + "?names=1")
    assert r.status_code == 302
    # the school admin of 城厢小学: only their own families, and named only when asked
    c = client_for("school_admin_liu")
    content = c.get(reverse("surveys:wave_export", args=[wave.pk, "xlsx"]) + "?names=1").content
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    names = {row[1] for row in values[1:]}
    assert names == {"张小明", "刘小宇"}
    assert not any("孙浩" in str(v) for row in values for v in row)
    exports = AuditEvent.objects.filter(action="surveys.wave_export", target_id=str(wave.pk))
    assert exports.count() == 2  # the refused one wrote nothing
    assert exports.filter(changes__names=[None, 2]).exists()


def test_compare_pairs_by_pseudonym(cast, client_for, survey):
    first = open_wave(cast.county_admin_chen, survey, audience="county")
    _answer_all(cast, first)
    services.wave_close(actor=cast.county_admin_chen, wave=first)
    second = open_wave(cast.county_admin_chen, survey, audience="county")
    _answer_all(cast, second)
    r = client_for("county_admin_chen").get(reverse("surveys:wave_compare", args=[second.pk]) + f"?with={first.pk}")
    assert r.status_code == 200
    assert "&lt;5" in r.content.decode()
    assert (
        client_for("school_admin_wang")
        .get(reverse("surveys:wave_compare", args=[second.pk]) + f"?with={first.pk}")
        .status_code
        == 200
    )  # their part is empty, but the county wave is theirs to see
    assert (
        client_for("parent_zhang")
        .get(reverse("surveys:wave_compare", args=[second.pk]) + f"?with={first.pk}")
        .status_code
        == 404
    )


def _queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_pages_run_a_fixed_number_of_queries(cast, client_for, survey, class_wave, django_assert_max_num_queries):
    services.response_submit(actor=cast.parent_zhang, wave=class_wave, answers=GOOD, consent=True)
    staff, parent = client_for("head_teacher_li"), client_for("parent_zhang")
    paths = [reverse("surveys:wave", args=[class_wave.pk]), reverse("surveys:wave", args=[class_wave.pk]) + "?by=class",
             reverse("surveys:detail", args=[survey.pk]), reverse("surveys:list")]  # fmt: skip
    before = [_queries(staff, p) for p in paths]
    mine_before = _queries(parent, reverse("surveys:mine"))
    answer_before = _queries(parent, reverse("surveys:answer", args=[class_wave.pk]))
    # more answers, another wave, another family: the same number of queries
    services.response_submit(actor=cast.grandma_zhao, wave=class_wave, answers={**GOOD, "talk": "2"}, consent=True)
    open_wave(cast.school_admin_liu, survey, audience="school", school=cast.school_a)
    assert [_queries(staff, p) for p in paths] == before
    assert _queries(parent, reverse("surveys:mine")) == mine_before
    assert _queries(parent, reverse("surveys:answer", args=[class_wave.pk])) == answer_before
    assert max(before + [mine_before, answer_before]) <= 40


@pytest.mark.parametrize("persona", ["parent_zhang", None])
def test_staff_lists_are_not_for_families(client_for, persona):
    assert client_for(persona).get(reverse("surveys:list")).status_code == (404 if persona else 302)
    assert client_for(persona).get(reverse("surveys:new")).status_code == (404 if persona else 302)


def test_my_questionnaires_is_for_guardians(client_for):
    assert client_for("school_admin_wang").get(reverse("surveys:mine")).status_code == 404
    assert client_for(None).get(reverse("surveys:mine")).status_code == 302


def test_the_guardian_home_points_to_the_waiting_questionnaire(cast, client_for, class_wave):
    home = client_for("parent_zhang").get("/").content.decode()
    assert f'data-item="survey-wave-{class_wave.pk}-' in home
    services.response_skip(actor=cast.parent_zhang, wave=class_wave)
    home = client_for("parent_zhang").get("/").content.decode()
    assert f'data-item="survey-wave-{class_wave.pk}-' not in home
    assert f"survey-wave-{class_wave.pk}" not in client_for("parent_sun").get("/").content.decode()
