"""Inquiry and concern pages and the guardian's API, walked with the named cast: the right role, a neighbour in the
other school, a lower role, anonymous; co-signers' names hidden unless each chose; fixed query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xieyu.committees.inquiries import services
from xieyu.committees.inquiries.models import Concern, Inquiry
from xieyu.demo.committees_inquiries import class_guardian_users

FACTS = "三年级1班每天书面作业超过九十分钟,孩子常常写到晚上十点以后,睡眠不足。"


@pytest.fixture
def guardians(cast):
    return class_guardian_users(cast.class_a1, 12, exclude={u.pk for u in cast.users.values()})


def make(cast, guardians, *, signers=9, show_first=False) -> Inquiry:
    inquiry = services.inquiry_draft_create(
        actor=cast.parent_zhang, level="class", unit_id=cast.class_a1.pk, subject="homework", title="作业太多",
        facts=FACTS, asked="请控制作业时间。", show_name=show_first,
    )  # fmt: skip
    for k, user in enumerate(guardians[:signers]):
        services.inquiry_sign(actor=user, inquiry=inquiry, show_name=k == 0)
    inquiry.refresh_from_db()
    return inquiry


@pytest.mark.parametrize(
    "persona, status",
    [("parent_zhang", 200), ("grandma_zhao", 200), ("school_admin_liu", 200), ("head_teacher_li", 200),
     ("county_admin_chen", 200), ("parent_sun", 404), ("school_admin_wang", 404), ("head_teacher_wang", 404),
     ("teacher_he", 404), ("partner_wu", 404), (None, 302)],
)  # fmt: skip
def test_a_filed_inquiry_is_seen_by_the_unit_s_guardians_its_school_and_the_county(
    cast, client_for, guardians, persona, status
):
    inquiry = make(cast, guardians)
    response = client_for(persona).get(reverse("committees:inquiry_detail", args=[inquiry.pk]))
    assert response.status_code == status
    api = client_for(persona).get(f"/api/v1/committees/inquiries/{inquiry.pk}")
    assert api.status_code == {200: 200, 404: 404, 302: 401}[status]


@pytest.mark.parametrize("persona, status", [("grandma_zhao", 200), ("school_admin_liu", 404), ("parent_sun", 404)])
def test_a_draft_is_the_guardians_own_until_filed(cast, client_for, guardians, persona, status):
    inquiry = make(cast, guardians, signers=3)
    assert client_for(persona).get(reverse("committees:inquiry_detail", args=[inquiry.pk])).status_code == status


def test_co_signers_names_are_hidden_unless_each_chose(cast, client_for, guardians):
    inquiry = make(cast, guardians)
    page = client_for("grandma_zhao").get(reverse("committees:inquiry_detail", args=[inquiry.pk])).content.decode()
    assert guardians[0].name in page  # she chose to show her name
    assert "张伟" not in page and guardians[1].name not in page
    data = client_for("grandma_zhao").get(f"/api/v1/committees/inquiries/{inquiry.pk}").json()
    assert data["shown_names"] == [guardians[0].name] and data["signatures"] == 10


@pytest.mark.parametrize(
    "persona, status", [("school_admin_liu", 302), ("school_admin_wang", 404), ("head_teacher_li", 404),
                        ("parent_zhang", 404), ("county_admin_chen", 404), (None, 302)]
)  # fmt: skip
def test_only_the_school_s_admin_acknowledges(cast, client_for, guardians, persona, status):
    inquiry = make(cast, guardians)
    response = client_for(persona).post(reverse("committees:inquiry_acknowledge", args=[inquiry.pk]))
    assert response.status_code == status
    inquiry.refresh_from_db()
    assert inquiry.state == ("acknowledged" if persona == "school_admin_liu" else "filed")


def test_the_school_answers_on_the_page_and_a_pause_without_reason_names_the_field(cast, client_for, guardians):
    inquiry = make(cast, guardians)
    liu = client_for("school_admin_liu")
    refused = liu.post(reverse("committees:inquiry_pause", args=[inquiry.pk]), {"reason": ""})
    assert refused.status_code == 422 and "原因" in refused.content.decode()
    assert not inquiry.pauses.exists()
    bad = liu.post(reverse("committees:inquiry_answer", args=[inquiry.pk]), {"body": "", "signer_role": "校长"})
    assert bad.status_code == 422 and "答复:请填写学校的答复" in bad.content.decode()
    ok = liu.post(
        reverse("committees:inquiry_answer", args=[inquiry.pk]), {"body": "已调整作业。", "signer_role": "校长"}
    )
    assert ok.status_code == 302
    page = client_for("grandma_zhao").get(reverse("committees:inquiry_detail", args=[inquiry.pk])).content.decode()
    assert "已调整作业。" in page and "签署:刘芳,校长" in page


def test_the_guardian_api_signs_takes_back_accepts_and_follows_up(cast, client_for, guardians):
    inquiry = make(cast, guardians, signers=3)
    zhao = client_for("grandma_zhao")
    listed = zhao.get("/api/v1/committees/inquiries").json()
    assert [i["id"] for i in listed["items"]] == [inquiry.pk] and listed["items"][0]["signed"] is False
    url = f"/api/v1/committees/inquiries/{inquiry.pk}/signatures"
    assert zhao.post(url, {"show_name": True}, content_type="application/json").status_code == 201
    twice = zhao.post(url, {}, content_type="application/json")
    assert twice.status_code == 422 and "已经联署" in twice.json()["error"]["message"]
    assert zhao.delete(url).json()["signed"] is False
    other = client_for("parent_sun").post(url, {}, content_type="application/json")
    assert other.status_code == 404
    for user in guardians[3:8]:
        services.inquiry_sign(actor=user, inquiry=inquiry)
    assert zhao.post(url, {}, content_type="application/json").json()["state"] == "filed"
    services.inquiry_answer(actor=cast.school_admin_liu, inquiry=inquiry, body="答复", signer_role="校长")
    follow = zhao.post(f"/api/v1/committees/inquiries/{inquiry.pk}/follow-up", {"text": "何时公示?"},
                       content_type="application/json")  # fmt: skip
    assert follow.status_code == 201 and follow.json()["state"] == "filed"
    services.inquiry_answer(actor=cast.school_admin_liu, inquiry=inquiry, body="下周一", signer_role="校长")
    again = zhao.post(f"/api/v1/committees/inquiries/{inquiry.pk}/follow-up", {"text": "再问"},
                      content_type="application/json")  # fmt: skip
    assert again.status_code == 422 and "追问" in again.json()["error"]["message"]
    accepted = zhao.post(f"/api/v1/committees/inquiries/{inquiry.pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    assert [a["body"] for a in accepted.json()["answers"]] == ["下周一", "答复"]
    assert client_for(None).get("/api/v1/committees/inquiries").status_code == 401


def test_the_list_and_the_detail_take_a_fixed_number_of_queries(
    cast, client_for, guardians, django_assert_max_num_queries
):
    make(cast, guardians)
    client = client_for("grandma_zhao")
    with django_assert_max_num_queries(22):
        small = client.get(reverse("committees:inquiry_list"))
    for _ in range(4):
        make(cast, guardians)
    with django_assert_max_num_queries(22):
        large = client.get(reverse("committees:inquiry_list"))
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count("data-inquiry=") == 5


@pytest.mark.parametrize(
    "persona, status", [("county_admin_chen", 200), ("school_admin_liu", 404), ("parent_zhang", 404), (None, 302)]
)
def test_the_county_overview_shows_counts_and_overdue_by_school(cast, client_for, guardians, persona, status):
    make(cast, guardians)
    response = client_for(persona).get(reverse("committees:inquiry_overview"))
    assert response.status_code == status
    if status == 200:
        assert 'data-figure="filed">1<' in response.content.decode()


def test_the_county_sets_the_threshold_and_bad_input_names_the_field(cast, client_for):
    chen = client_for("county_admin_chen")
    chen.post(reverse("committees:inquiry_settings"), {"threshold": "1"})
    assert services.threshold_of(cast.county.pk) == 10
    chen.post(reverse("committees:inquiry_settings"), {"threshold": "12"})
    assert services.threshold_of(cast.county.pk) == 12
    assert (
        client_for("school_admin_liu").post(reverse("committees:inquiry_settings"), {"threshold": "3"}).status_code
        == 404
    )


def test_raising_on_the_page_without_facts_names_the_field(cast, client_for):
    response = client_for("parent_zhang").post(
        reverse("committees:inquiry_new"),
        {"unit": f"class-{cast.class_a1.pk}", "subject": "homework", "title": "作业", "facts": "太多", "asked": "减少"},
    )
    assert response.status_code == 422 and "事实:请至少用" in response.content.decode()
    assert not Inquiry.objects.exists()
    assert client_for("teacher_he").get(reverse("committees:inquiry_new")).status_code == 404


# --- concerns ------------------------------------------------------------------------------------------------


def concern(cast, **kw) -> Concern:
    data = {"route": "school", "teacher_name": "何静", "about_leadership": False,
            "facts": "孩子说老师在课堂上多次当众讽刺成绩不好的学生,孩子害怕上课。"} | kw  # fmt: skip
    return services.concern_raise(actor=cast.parent_zhang, student=cast.students["zhang_xiaoming"], **data)


@pytest.mark.parametrize(
    "persona, status",
    [("parent_zhang", 200), ("school_admin_liu", 200), ("county_admin_chen", 200), ("grandma_zhao", 404),
     ("teacher_he", 404), ("head_teacher_li", 404), ("school_admin_wang", 404), (None, 302)],
)  # fmt: skip
def test_a_concern_is_private_to_the_family_the_discipline_office_and_the_county(cast, client_for, persona, status):
    c = concern(cast)
    assert client_for(persona).get(reverse("committees:concern_detail", args=[c.pk])).status_code == status


def test_a_concern_about_the_leadership_goes_to_the_county_only(cast, client_for):
    from xieyu.deadlines.services import deadline_for

    c = concern(cast, route="school", teacher_name="刘芳", about_leadership=True)
    assert c.route == "county" and deadline_for(c).school_id is None
    assert client_for("school_admin_liu").get(reverse("committees:concern_detail", args=[c.pk])).status_code == 404
    assert client_for("county_admin_chen").get(reverse("committees:concern_detail", args=[c.pk])).status_code == 200


def test_a_concern_is_answered_with_an_outcome_the_family_reads_and_staff_reads_are_logged(cast, client_for):
    from xieyu.audit.models import AccessEvent

    c = concern(cast)
    liu = client_for("school_admin_liu")
    liu.get(reverse("committees:concern_detail", args=[c.pk]))
    assert AccessEvent.objects.filter(actor=cast.school_admin_liu, purpose="committees.concern").count() == 1
    bad = liu.post(reverse("committees:concern_answer", args=[c.pk]), {"outcome": ""})
    assert bad.status_code == 422 and "处理结果:" in bad.content.decode()
    liu.post(reverse("committees:concern_answer", args=[c.pk]), {"outcome": "已约谈该教师并在年级组通报。"})
    page = client_for("parent_zhang").get(reverse("committees:concern_detail", args=[c.pk])).content.decode()
    assert "已约谈该教师" in page
    assert client_for("teacher_he").get(reverse("committees:concern_inbox")).status_code == 404
    assert client_for("head_teacher_li").get(reverse("committees:concern_inbox")).status_code == 404
    inbox = liu.get(reverse("committees:concern_inbox"))
    assert inbox.status_code == 200 and f'data-concern="{c.pk}"' in inbox.content.decode()


def test_a_concern_without_facts_names_the_field(cast, client_for):
    response = client_for("parent_zhang").post(
        reverse("committees:concern_new"),
        {
            "student": str(cast.students["zhang_xiaoming"].pk),
            "route": "school",
            "teacher_name": "何静",
            "facts": "不好",
        },
    )
    assert response.status_code == 422 and "发生了什么:请至少用" in response.content.decode()
    assert not Concern.objects.exists()
