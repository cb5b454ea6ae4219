"""Typical cases: a school writes and submits a case, the county publishes it or returns it with a note (the author
is told), the library finds it by theme, school type and words; who may see and change which case; bad input."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant
from xieyu.directory.models import School
from xieyu.directory.services import school_create
from xieyu.notices.models import Delivery
from xieyu.publicity.cases import services
from xieyu.publicity.cases.models import Case, CasePhoto

from .gaokao_cases_fixtures import draft, far_admin, far_county, fields, picture  # noqa: F401

LIBRARY = reverse("publicity:case_list")
FORM = {"title": "留守儿童亲情视频日", "theme": "left_behind", "background": "留守儿童多。", "actions": "每周三视频。",
        "results": "情绪问题减少。", "replicable": "固定时间、有人陪伴。"}  # fmt: skip


def _messages(response) -> str:
    return " ".join(str(m) for m in response.wsgi_request._messages)


def _login(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _told(user, text: str) -> bool:
    return Delivery.objects.filter(user=user, notice__title__contains=text).exists() or Delivery.objects.filter(
        guardian__user=user, notice__title__contains=text
    ).exists()


def test_a_school_submits_a_case_the_county_publishes_it_and_it_appears_in_the_library(cast, client_for):
    liu, chen, zhang = client_for("school_admin_liu"), client_for("county_admin_chen"), client_for("parent_zhang")
    created = liu.post(reverse("publicity:case_create"), FORM)
    case = Case.objects.get()
    assert created.status_code == 302 and case.status == "draft" and case.school == cast.school_a
    assert zhang.get(reverse("publicity:case_detail", args=[case.pk])).status_code == 404
    liu.post(reverse("publicity:case_submit", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "submitted"
    assert _told(cast.county_admin_chen, "有一篇典型案例待审核")
    assert "留守儿童亲情视频日" not in zhang.get(LIBRARY).content.decode()
    chen.post(reverse("publicity:case_publish", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "published" and case.reviewed_by == cast.county_admin_chen and case.published_at
    assert _told(cast.school_admin_liu, "您的典型案例已发布")
    for persona in ("parent_zhang", "parent_sun", "head_teacher_wang", "expert_huang", "school_admin_wang"):
        page = client_for(persona).get(LIBRARY)
        assert f'data-case="{case.pk}"' in page.content.decode(), persona
        assert client_for(persona).get(reverse("publicity:case_detail", args=[case.pk])).status_code == 200


def test_a_teachers_case_goes_to_the_school_admin_first(cast, client_for):
    he = client_for("teacher_he")
    he.post(reverse("publicity:case_create"), FORM)
    case = Case.objects.get()
    he.post(reverse("publicity:case_submit", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "school_review" and _told(cast.school_admin_liu, "有一篇典型案例待审核")
    # the county does not see it yet; the other school's admin never does
    assert client_for("county_admin_chen").get(reverse("publicity:case_detail", args=[case.pk])).status_code == 404
    assert client_for("school_admin_wang").post(reverse("publicity:case_approve", args=[case.pk])).status_code == 404
    assert he.post(reverse("publicity:case_approve", args=[case.pk])).status_code == 404
    client_for("school_admin_liu").post(reverse("publicity:case_approve", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "submitted"


def test_the_county_returns_a_case_with_a_note_and_the_author_resubmits(cast, client_for, draft):  # noqa: F811
    liu, chen = client_for("school_admin_liu"), client_for("county_admin_chen")
    liu.post(reverse("publicity:case_submit", args=[draft.pk]))
    empty = chen.post(reverse("publicity:case_return", args=[draft.pk]), {"note": "   "})
    assert "必填" in _messages(empty) or "退回说明是空的" in _messages(empty)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    chen.post(reverse("publicity:case_return", args=[draft.pk]), {"note": "请补充成效数据。"})
    draft.refresh_from_db()
    assert draft.status == "returned" and draft.review_note == "请补充成效数据。"
    assert _told(cast.school_admin_liu, "您的典型案例被退回")
    page = liu.get(reverse("publicity:case_detail", args=[draft.pk])).content.decode()
    assert "请补充成效数据。" in page
    liu.post(reverse("publicity:case_edit", args=[draft.pk]), {**FORM, "results": "到课家长增加到96人。"})
    liu.post(reverse("publicity:case_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.results == "到课家长增加到96人。" and draft.review_note == ""


def test_a_published_case_cannot_be_published_again_or_returned(cast, client_for, draft):  # noqa: F811
    services.case_submit(actor=cast.school_admin_liu, case=draft)
    services.case_publish(actor=cast.county_admin_chen, case=draft)
    chen = client_for("county_admin_chen")
    assert chen.post(reverse("publicity:case_publish", args=[draft.pk])).status_code == 404
    assert chen.post(reverse("publicity:case_return", args=[draft.pk]), {"note": "x"}).status_code == 404
    with pytest.raises(Exception, match="只有已提交的案例才能发布|Only a submitted"):
        services.case_publish(actor=cast.county_admin_chen, case=draft)


@pytest.mark.parametrize("persona, read, write", [
    ("school_admin_liu", 200, 404), ("school_admin_wang", 404, 404), ("teacher_he", 404, 404),
    ("county_admin_chen", 200, 200), ("far_admin", 404, 404), ("parent_zhang", 404, 404), (None, 302, 302),
])  # fmt: skip
def test_a_submitted_case_is_seen_by_its_school_and_county_only(cast, client_for, draft, far_admin, persona, read,  # noqa: F811
                                                                write):  # fmt: skip
    services.case_submit(actor=cast.school_admin_liu, case=draft)
    client = _login(far_admin) if persona == "far_admin" else client_for(persona)
    assert client.get(reverse("publicity:case_detail", args=[draft.pk])).status_code == read
    assert client.get(reverse("publicity:case_edit", args=[draft.pk])).status_code == write
    before = Case.objects.values().get(pk=draft.pk)
    if write != 200:
        for name in ("case_publish", "case_submit", "case_approve"):
            assert client.post(reverse(f"publicity:{name}", args=[draft.pk])).status_code in (302, 404)
        client.post(reverse("publicity:case_return", args=[draft.pk]), {"note": "改"})
        client.post(reverse("publicity:case_edit", args=[draft.pk]), {**FORM, "title": "改了"})
        assert Case.objects.values().get(pk=draft.pk) == before


@pytest.mark.parametrize("persona, status", [
    ("parent_zhang", 200), ("grandma_zhao", 200), ("parent_sun", 200), ("head_teacher_li", 200),
    ("partner_wu", 200), ("far_admin", 404), (None, 302),
])  # fmt: skip
def test_the_library_is_read_by_everyone_logged_in_in_the_county(cast, client_for, draft, far_admin, persona, status):  # noqa: F811
    services.case_submit(actor=cast.school_admin_liu, case=draft)
    services.case_publish(actor=cast.county_admin_chen, case=draft)
    client = _login(far_admin) if persona == "far_admin" else client_for(persona)
    assert client.get(reverse("publicity:case_detail", args=[draft.pk])).status_code == status
    listed = client.get(LIBRARY)
    if status == 200:
        assert f'data-case="{draft.pk}"' in listed.content.decode()
        assert client.get(reverse("publicity:case_edit", args=[draft.pk])).status_code == 404
    elif persona == "far_admin":
        assert f'data-case="{draft.pk}"' not in listed.content.decode()


def test_a_draft_is_its_authors_alone(cast, client_for):
    he = client_for("teacher_he")
    he.post(reverse("publicity:case_create"), FORM)
    case = Case.objects.get()
    assert he.get(reverse("publicity:case_detail", args=[case.pk])).status_code == 200
    for persona in ("school_admin_liu", "county_admin_chen", "head_teacher_li"):
        assert client_for(persona).get(reverse("publicity:case_detail", args=[case.pk])).status_code == 404, persona


@pytest.mark.parametrize("persona", ["parent_zhang", "expert_huang", "partner_wu", None])
def test_who_is_not_at_a_school_cannot_write_a_case(cast, client_for, persona):
    response = client_for(persona).post(reverse("publicity:case_create"), FORM)
    assert response.status_code in (302, 404) and not Case.objects.exists()
    if persona:
        assert response.status_code == 404


@pytest.mark.parametrize("over, message", [
    ({"title": ""}, "标题"), ({"theme": "sports"}, "主题"), ({"background": "  "}, "背景情况"),
    ({"actions": "<script>alert(1)</script>"}, "请填写主要做法"), ({"replicable": "经" * 4001}, "可复制推广的经验"),
    ({"title": "题" * 81}, "标题"),
])  # fmt: skip
def test_a_wrong_case_is_named_and_nothing_is_saved(cast, client_for, over, message):
    response = client_for("school_admin_liu").post(reverse("publicity:case_create"), {**FORM, **over})
    assert response.status_code == 200 and message in _messages(response)
    assert not Case.objects.exists()


def test_markup_is_removed_from_every_text_of_a_case(cast, client_for):
    hostile = '<p onclick="x()">家长<script>alert(1)</script><iframe src="//evil"></iframe><a href="javascript:x">会</a></p> a < b'
    client_for("school_admin_liu").post(reverse("publicity:case_create"), {**FORM, "background": hostile})
    case = Case.objects.get()
    assert case.background == "家长会 a < b"
    page = client_for("school_admin_liu").get(reverse("publicity:case_detail", args=[case.pk])).content.decode()
    assert "a &lt; b" in page and "<script>alert" not in page
    promoted = services.case_promote(actor=cast.county_admin_chen, county=cast.county, school=None,
                                     title="<b>模范家庭</b>", theme="family_tradition", text=hostile, source="评选")  # fmt: skip
    assert promoted.title == "模范家庭" and "<" not in promoted.background.replace("a < b", "")


def test_the_library_searches_by_theme_school_type_and_words(cast, client_for):
    senior = school_create(actor=None, county=cast.county, name="全南中学", kind=School.Kind.SENIOR, code="3607290301",
                           address="全南县城厢镇", town=cast.towns["城厢镇"])  # fmt: skip
    membership_grant(actor=None, user=cast.school_admin_wang, role=Role.SCHOOL_ADMIN, unit=senior)

    def published(school, author, **over):
        case = services.case_create(actor=author, school=school, fields=fields(**over))
        services.case_submit(actor=author, case=case)
        return services.case_publish(actor=cast.county_admin_chen, case=case)

    a = published(cast.school_a, cast.school_admin_liu, title="家长学校进社区")
    b = published(cast.school_b, cast.school_admin_wang, title="作业公示", theme="double_reduction",
                  actions="每天公示作业与用时。")  # fmt: skip
    c = published(senior, cast.school_admin_wang, title="生涯规划家长课", theme="parent_school")
    zhang = client_for("parent_zhang")

    def found(**query) -> set[int]:
        response = zhang.get(LIBRARY, query)
        return {case.pk for case in response.context["page"].object_list}

    assert found() == {a.pk, b.pk, c.pk}
    assert found(theme="parent_school") == {a.pk, c.pk}
    assert found(school_type="primary") == {a.pk}
    assert found(school_type="junior") == {b.pk}
    assert found(school_type="senior") == {c.pk}
    assert found(school_type="kindergarten") == set()
    assert found(q="公示 用时") == {b.pk}
    assert found(q="全南中学") == {c.pk}
    bad = zhang.get(LIBRARY, {"theme": "sports", "school_type": "college"})
    assert bad.status_code == 200 and "主题" in _messages(bad)


def test_the_library_paginates_with_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    def publish(n):
        for i in range(n):
            case = services.case_create(actor=cast.school_admin_liu, school=cast.school_a, fields=fields(title=f"案例{i}"))
            services.case_submit(actor=cast.school_admin_liu, case=case)
            services.case_publish(actor=cast.county_admin_chen, case=case)
            CasePhoto.objects.create(case=case, file="x.jpg", name="x.jpg")

    publish(2)
    zhang = client_for("parent_zhang")
    zhang.get(LIBRARY)
    with CaptureQueriesContext(connection) as small:
        zhang.get(LIBRARY)
    publish(14)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = zhang.get(LIBRARY)
    assert len(page.context["page"].object_list) == 10 and page.context["page"].paginator.num_pages == 2
    assert len(zhang.get(LIBRARY, {"page": 2}).context["page"].object_list) == 6


def test_photos_are_re_encoded_scaled_down_and_at_most_six(cast, client_for, draft):  # noqa: F811
    liu = client_for("school_admin_liu")
    url = reverse("publicity:case_photo_add", args=[draft.pk])
    liu.post(url, {"file": picture(), "caption": "周末课堂"})
    photo = CasePhoto.objects.get()
    assert max(photo.width, photo.height) == 1600 and photo.file.name.endswith(".jpg")
    served = liu.get(reverse("publicity:case_photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert client_for("school_admin_wang").get(reverse("publicity:case_photo", args=[photo.pk])).status_code == 404
    not_a_picture = liu.post(url, {"file": picture(name="x.png").__class__("x.png", b"<html>hi</html>")})
    assert "x.png" in _messages(not_a_picture) and CasePhoto.objects.count() == 1
    for _ in range(5):
        liu.post(url, {"file": picture(300, 200)})
    seventh = liu.post(url, {"file": picture(300, 200)})
    assert CasePhoto.objects.count() == 6 and "最多只能有6张照片" in _messages(seventh)
    assert client_for("school_admin_wang").post(url, {"file": picture(300, 200)}).status_code == 404
    liu.post(reverse("publicity:case_photo_remove", args=[photo.pk]))
    assert CasePhoto.objects.count() == 5


def test_case_promote_makes_a_submitted_case_from_a_selection_result(cast, far_county):  # noqa: F811
    case = services.case_promote(actor=cast.county_admin_chen, county=cast.county, school=cast.school_a,
                                 title="张伟家庭:书香传家", theme="family_tradition",
                                 text="张伟一家坚持亲子共读十年。", source="2026年度教育模范家庭评选")  # fmt: skip
    assert (case.status, case.school, case.source, case.background) == (
        "submitted", cast.school_a, "2026年度教育模范家庭评选", "张伟一家坚持亲子共读十年。")
    assert case.submitted_at is not None
    odd = services.case_promote(actor=cast.county_admin_chen, county=cast.county, school=None, title="优秀家长",
                                theme="no-such-theme", text="事迹", source="评选")  # fmt: skip
    assert odd.theme == "other" and odd.school is None
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.case_promote(actor=cast.county_admin_chen, county=far_county, school=cast.school_a, title="x",
                              theme="other", text="事迹", source="评选")  # fmt: skip
    with pytest.raises(ValidationError):
        services.case_promote(actor=cast.county_admin_chen, county=cast.county, school=None, title="x",
                              theme="other", text="  ", source="评选")  # fmt: skip
    assert Case.objects.count() == 2


@pytest.mark.parametrize("persona, status", [
    ("parent_zhang", 200), ("school_admin_wang", 200), ("far_admin", 404), (None, 401),
])  # fmt: skip
def test_the_api_reads_the_library_with_the_pages_rules(cast, client_for, draft, far_admin, persona, status):  # noqa: F811
    client = _login(far_admin) if persona == "far_admin" else client_for(persona)
    url = f"/api/v1/column/cases/{draft.pk}"
    assert client.get(url).status_code in (404, 401)  # a draft: its author's alone
    services.case_submit(actor=cast.school_admin_liu, case=draft)
    services.case_publish(actor=cast.county_admin_chen, case=draft)
    response = client.get(url)
    assert response.status_code == status
    listed = client.get("/api/v1/column/cases", {"theme": "parent_school"})
    if status == 200:
        assert response.json()["replicable"] == draft.replicable
        assert [c["id"] for c in listed.json()["items"]] == [draft.pk]
        assert client.get("/api/v1/column/cases", {"theme": "mental_health"}).json()["items"] == []
    elif persona == "far_admin":
        assert listed.json()["items"] == []


def test_a_promoted_case_returned_to_the_county_goes_back_to_the_county(cast, client_for):
    case = services.case_promote(actor=cast.county_admin_chen, county=cast.county, school=cast.school_a,
                                 title="书香家庭", theme="family_tradition", text="亲子共读十年。", source="评选")  # fmt: skip
    chen = client_for("county_admin_chen")
    assert chen.get(reverse("publicity:case_edit", args=[case.pk])).status_code == 200
    chen.post(reverse("publicity:case_return", args=[case.pk]), {"note": "补充做法"})
    chen.post(reverse("publicity:case_edit", args=[case.pk]), {**FORM, "title": "书香家庭"})
    chen.post(reverse("publicity:case_submit", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "submitted" and case.actions == FORM["actions"]
    assert client_for("school_admin_liu").get(reverse("publicity:case_edit", args=[case.pk])).status_code == 404
