"""The term appraisal, as families, schools and the county meet it: one anonymous answer per family, results by class
with small classes hidden, comments masked and moderated before the school sees them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xieyu.committees.appraisals import access, services
from xieyu.committees.appraisals.masking import mask, school_names
from xieyu.committees.appraisals.models import (
    SECTIONS,
    Appraisal,
    AppraisalAnswered,
    AppraisalComment,
    AppraisalResponse,
)
from xieyu.directory.services import student_create

ALL_FOUR = {s: 4 for s in SECTIONS}


def answer_post(student, rating=4, **comments):
    data = {"student": student.pk}
    for s in SECTIONS:
        data[s] = str(rating)
        data[f"{s}_comment"] = comments.get(s, "")
    return data


@pytest.fixture
def open_a(cast):
    return services.appraisal_open(actor=cast.users["school_admin_liu"], school=cast.school_a, term="2025春季学期")


def fill(appraisal, school_class, n, rating=4):
    """n more families of a class answer (made-up pupils)."""
    for i in range(n):
        s = student_create(actor=None, school_class=school_class, name=f"学生{school_class.pk}{i}", gender="F",
                           birth_date=datetime.date(2016, 1, 1), student_number="")  # fmt: skip
        services.appraisal_answer(actor=None, appraisal=appraisal, student=s, ratings={k: rating for k in SECTIONS},
                                  comments={})  # fmt: skip


# --- the guardian answers --------------------------------------------------------------------------------------


def test_a_grandmother_answers_once_and_a_second_answer_for_the_child_is_refused(cast, client_for, open_a):
    client = client_for("grandma_zhao")
    home = client.get("/")
    assert "本学期评议" in home.content.decode()
    url = reverse("committees:appraisal_answer", args=[open_a.pk])
    page = client.get(url)
    assert page.status_code == 200 and "匿名" in page.content.decode()
    response = client.post(url, answer_post(cast.students["liu_xiaoyu"], 5, homework="作业太多，请联系13912345678"))
    assert response.status_code == 302
    assert AppraisalResponse.objects.filter(appraisal=open_a).count() == 1
    again = client.post(url, answer_post(cast.students["liu_xiaoyu"], 1))
    assert again.status_code == 422 and "已经" in again.content.decode()
    assert AppraisalResponse.objects.filter(appraisal=open_a).count() == 1


def test_the_childs_other_guardian_cannot_answer_again_for_the_family(cast, open_a):
    services.appraisal_answer(actor=cast.users["grandma_zhao"], appraisal=open_a, student=cast.students["liu_xiaoyu"],
                              ratings=ALL_FOUR, comments={})  # fmt: skip
    with pytest.raises(ValidationError):
        services.appraisal_answer(actor=None, appraisal=open_a, student=cast.students["liu_xiaoyu"],
                                  ratings=ALL_FOUR, comments={})  # fmt: skip
    assert AppraisalResponse.objects.count() == 1


def test_the_answer_keeps_no_link_to_the_family(cast, open_a):
    services.appraisal_answer(actor=cast.users["parent_zhang"], appraisal=open_a, student=cast.students["zhang_xiaoming"],
                              ratings=ALL_FOUR, comments={"ethics": "很好"})  # fmt: skip
    fields = {f.name for f in AppraisalResponse._meta.get_fields()} | {
        f.name for f in AppraisalComment._meta.get_fields()
    }
    assert not fields & {"student", "guardian", "user", "created_at", "answered"}
    marker_fields = {f.name for f in AppraisalAnswered._meta.get_fields()}
    assert marker_fields == {"id", "appraisal", "student"}


def test_the_order_of_answers_cannot_be_matched_to_the_order_families_answered(cast, open_a):
    """The markers say which family answered, in order; the answers must not keep that order."""
    in_order: list[int] = []
    for _i in range(12):
        seen = set(AppraisalResponse.objects.values_list("pk", flat=True))
        fill(open_a, cast.class_a1, 1)
        (new,) = set(AppraisalResponse.objects.values_list("pk", flat=True)) - seen
        in_order.append(new)
    assert in_order != sorted(in_order)  # a sequence would be sorted; random ids are sorted once in 12! runs


@pytest.mark.parametrize("field, value, word", [
    ("management", "9", "学校管理"), ("homework", "", "作业"), ("ethics_comment", "长" * 501, "500"),
    ("student", "99999", "孩子"),
])  # fmt: skip
def test_bad_answers_name_the_field_and_change_nothing(cast, client_for, open_a, field, value, word):
    data = answer_post(cast.students["zhang_xiaoming"])
    data[field] = value
    response = client_for("parent_zhang").post(reverse("committees:appraisal_answer", args=[open_a.pk]), data)
    assert response.status_code == 422 and word in response.content.decode()
    assert not AppraisalResponse.objects.exists() and not AppraisalAnswered.objects.exists()


def test_a_closed_appraisal_takes_no_answer(cast, open_a):
    services.appraisal_close(actor=cast.users["school_admin_liu"], appraisal=open_a)
    with pytest.raises(ValidationError, match="关闭"):
        services.appraisal_answer(actor=None, appraisal=open_a, student=cast.students["zhang_xiaoming"],
                                  ratings=ALL_FOUR, comments={})  # fmt: skip


@pytest.mark.parametrize("persona, status", [
    ("grandma_zhao", 200), ("parent_zhang", 200), ("parent_sun", 404), ("head_teacher_wang", 404),
    ("school_admin_liu", 404), (None, 302),
])  # fmt: skip
def test_the_answer_page_is_for_the_schools_families(cast, client_for, open_a, persona, status):
    assert client_for(persona).get(reverse("committees:appraisal_answer", args=[open_a.pk])).status_code == status


# --- masking and moderation --------------------------------------------------------------------------------------


def test_names_phones_and_insults_are_masked(cast):
    names = school_names(cast.school_a.pk)
    assert {"张小明", "赵秀英", "刘芳", "李娜"} <= names
    text, n = mask("李娜老师让张小明家长打13912345678，真是垃圾老师，王老师也是白痴", names)
    assert "李娜" not in text and "张小明" not in text and "13912345678" not in text
    assert "垃圾老师" not in text and "白痴" not in text and "王老师" not in text
    assert n >= 5


def test_a_comment_reaches_the_school_only_after_the_county_approves_it(cast, client_for, open_a):
    services.appraisal_answer(actor=None, appraisal=open_a, student=cast.students["zhang_xiaoming"], ratings=ALL_FOUR,
                              comments={"homework": "周末作业请打13912345678问张伟"})  # fmt: skip
    comment = AppraisalComment.objects.get()
    assert "13912345678" not in comment.text and "张伟" not in comment.text and "***" in comment.text
    results = reverse("committees:appraisal_results", args=[open_a.pk])
    assert "周末作业" not in client_for("school_admin_liu").get(results).content.decode()
    queue = client_for("county_admin_chen").get(reverse("committees:appraisal_moderation"))
    assert "周末作业" in queue.content.decode()
    assert client_for("school_admin_liu").get(reverse("committees:appraisal_moderation")).status_code == 404
    url = reverse("committees:appraisal_moderate", args=[comment.pk])
    assert client_for("school_admin_liu").post(url, {"decision": "approve"}).status_code == 404
    bad = client_for("county_admin_chen").post(url, {"decision": "maybe"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and "决定" in bad.content.decode()
    assert client_for("county_admin_chen").post(url, {"decision": "approve"}).status_code == 302
    assert "周末作业" in client_for("school_admin_liu").get(results).content.decode()
    again = client_for("county_admin_chen").post(url, {"decision": "reject"})
    assert again.status_code == 404  # no longer in the queue
    comment.refresh_from_db()
    assert comment.state == AppraisalComment.State.APPROVED


# --- results ----------------------------------------------------------------------------------------------------


def test_results_hide_a_class_under_five_and_show_the_others(cast, client_for, open_a):
    fill(open_a, cast.class_a1, 6, rating=5)
    fill(open_a, cast.class_a2, 3, rating=1)
    client_for("school_admin_liu").post(reverse("committees:appraisal_close", args=[open_a.pk]))
    open_a.refresh_from_db()
    assert open_a.status == Appraisal.Status.CLOSED
    rows = {r["class_id"]: r for r in open_a.results["classes"]}
    assert rows[cast.class_a2.pk]["count"] == "<5" and rows[cast.class_a2.pk]["avg"] == [""] * 5
    page = client_for("county_admin_chen").get(reverse("committees:appraisal_results", args=[open_a.pk]))
    html = page.content.decode()
    assert "&lt;5" in html and "1.0" not in html
    # a small class hidden next to a shown one forces a complement: the other class cannot be subtracted out
    assert not rows[cast.class_a1.pk]["shown"] or not open_a.results["school"]["shown"]


def test_results_show_averages_when_classes_are_large_enough(cast, open_a):
    fill(open_a, cast.class_a1, 6, rating=5)
    fill(open_a, cast.class_a2, 7, rating=3)
    services.appraisal_close(actor=None, appraisal=open_a)
    rows = {r["class_id"]: r for r in open_a.results["classes"]}
    assert rows[cast.class_a1.pk]["count"] == "6" and rows[cast.class_a1.pk]["avg"][0] == "5.0"
    assert open_a.results["school"]["count"] == "13" and open_a.results["school"]["avg"][0] == "3.9"


def test_the_scheduled_job_refreshes_open_results(cast, open_a, run_tasks):
    from xieyu.committees.appraisals.tasks import appraisal_results_refresh_all

    fill(open_a, cast.class_a1, 5)
    fill(open_a, cast.class_a2, 5)
    appraisal_results_refresh_all.enqueue()
    run_tasks()
    open_a.refresh_from_db()
    assert open_a.results_at is not None and open_a.results["school"]["count"] == "10"


# --- the list, open and close: the matrix --------------------------------------------------------------------------


@pytest.mark.parametrize("persona, status", [
    ("school_admin_liu", 200), ("school_admin_wang", 404), ("county_admin_chen", 200), ("head_teacher_li", 404),
    ("parent_zhang", 404), (None, 302),
])  # fmt: skip
def test_the_results_page_matrix(cast, client_for, open_a, persona, status):
    assert client_for(persona).get(reverse("committees:appraisal_results", args=[open_a.pk])).status_code == status


@pytest.mark.parametrize("persona, status", [
    ("school_admin_liu", 200), ("county_admin_chen", 200), ("head_teacher_li", 404), ("parent_zhang", 404),
    (None, 302),
])  # fmt: skip
def test_the_list_matrix(cast, client_for, open_a, persona, status):
    response = client_for(persona).get(reverse("committees:appraisal_list"))
    assert response.status_code == status


def test_a_school_admin_lists_only_her_schools_appraisals(cast, client_for, open_a):
    services.appraisal_open(actor=None, school=cast.school_b, term="二中2025春")
    assert "二中2025春" not in client_for("school_admin_liu").get(reverse("committees:appraisal_list")).content.decode()
    assert "二中2025春" in client_for("county_admin_chen").get(reverse("committees:appraisal_list")).content.decode()


def test_opening_refuses_a_second_open_one_and_another_schools(cast, client_for, open_a):
    client = client_for("school_admin_liu")
    again = client.post(reverse("committees:appraisal_open"), {"school": cast.school_a.pk, "term": "另一个学期"})
    assert again.status_code == 422 and "已有" in again.content.decode()
    other = client.post(reverse("committees:appraisal_open"), {"school": cast.school_b.pk, "term": "x"})
    assert other.status_code == 422 and "学校" in other.content.decode()
    blank = client_for("county_admin_chen").post(reverse("committees:appraisal_open"),
                                                 {"school": cast.school_b.pk, "term": " "})  # fmt: skip
    assert blank.status_code == 422 and "学期" in blank.content.decode()
    assert Appraisal.objects.count() == 1
    ok = client_for("county_admin_chen").post(reverse("committees:appraisal_open"),
                                              {"school": cast.school_b.pk, "term": "2025春季学期"})  # fmt: skip
    assert ok.status_code == 302 and Appraisal.objects.filter(school=cast.school_b).exists()


@pytest.mark.parametrize("persona, status", [("school_admin_wang", 404), ("head_teacher_li", 404), (None, 302)])
def test_only_the_school_or_county_closes(cast, client_for, open_a, persona, status):
    assert client_for(persona).post(reverse("committees:appraisal_close", args=[open_a.pk])).status_code == status
    open_a.refresh_from_db()
    assert open_a.is_open


def test_pages_keep_a_fixed_number_of_queries(cast, client_for, open_a, django_assert_max_num_queries):
    fill(open_a, cast.class_a1, 8)
    for c in range(3):
        services.appraisal_answer(actor=None, appraisal=open_a, student=student_create(
            actor=None, school_class=cast.class_a2, name=f"评{c}", gender="M", birth_date=datetime.date(2016, 1, 1), student_number=""),
            ratings=ALL_FOUR, comments={s: "意见" for s in SECTIONS})  # fmt: skip
    services.appraisal_close(actor=None, appraisal=open_a)
    for comment in AppraisalComment.objects.all():
        services.comment_moderate(actor=None, comment=comment, approve=True)
    county = client_for("county_admin_chen")
    for url in (reverse("committees:appraisal_list"), reverse("committees:appraisal_results", args=[open_a.pk]),
                reverse("committees:appraisal_moderation")):  # fmt: skip
        with django_assert_max_num_queries(14):
            assert county.get(url).status_code == 200
    grandma = client_for("grandma_zhao")
    with django_assert_max_num_queries(14):
        assert grandma.get(reverse("committees:appraisal_family")).status_code == 200


def test_the_committee_panel_shows_the_schools_latest_results(cast, open_a, rf):
    from xieyu.committees.models import Committee
    from xieyu.committees.panels import committee_panels

    fill(open_a, cast.class_a1, 5)
    services.appraisal_close(actor=None, appraisal=open_a)
    committee = Committee.objects.create(
        county=cast.county, school=cast.school_a, level="school", name="城厢小学家委会"
    )
    request = rf.get("/")
    request.user = cast.users["parent_zhang"]
    panels = [p for p in committee_panels(request, committee) if p.name == "appraisals"]
    assert panels and panels[0].context["appraisal"] == open_a


# --- the API -----------------------------------------------------------------------------------------------------


def test_the_api_lists_open_appraisals_and_takes_one_answer(cast, client_for, open_a):
    client = client_for("grandma_zhao")
    listed = client.get("/api/v1/committees/appraisals/open").json()
    assert [i["student_name"] for i in listed] == ["刘小宇"] and not listed[0]["answered"]
    body = {"student_id": cast.students["liu_xiaoyu"].pk, **ALL_FOUR, "comments": {"homework": "不错"}}
    url = f"/api/v1/committees/appraisals/{open_a.pk}/answer"
    assert client.post(url, body, content_type="application/json").status_code == 201
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 422 and "已经" in again.json()["error"]["message"]
    bad = client_for("parent_zhang").post(url, {**body, "student_id": cast.students["zhang_xiaoming"].pk,
                                                "homework": 6}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "作业" in bad.json()["error"]["message"]
    assert client.get("/api/v1/committees/appraisals/open").json()[0]["answered"]


@pytest.mark.parametrize("persona, status", [("parent_sun", 404), ("school_admin_liu", 404), (None, 401)])
def test_the_api_answer_matrix(cast, client_for, open_a, persona, status):
    body = {"student_id": cast.students["zhang_xiaoming"].pk, **ALL_FOUR}
    response = client_for(persona).post(f"/api/v1/committees/appraisals/{open_a.pk}/answer", body,
                                        content_type="application/json")  # fmt: skip
    assert response.status_code == status
    assert not AppraisalResponse.objects.exists()


def test_the_api_refuses_a_child_of_another_family(cast, client_for, open_a):
    body = {"student_id": cast.students["zhang_xiaoming"].pk, **ALL_FOUR}
    response = client_for("grandma_zhao").post(f"/api/v1/committees/appraisals/{open_a.pk}/answer", body,
                                               content_type="application/json")  # fmt: skip
    assert response.status_code == 422 and not AppraisalResponse.objects.exists()


def test_guardian_access_reads_only_her_own_children(cast, open_a):
    assert [i.student.name for i in access.open_for_guardian(cast.users["parent_zhang"])] == ["张小明"]
    assert access.open_for_guardian(cast.users["parent_sun"]) == []
