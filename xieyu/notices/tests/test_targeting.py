"""Who may send to whom: the rights matrix of access.py, read as a story."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.notices.audience import Audience
from xieyu.notices.models import Notice
from xieyu.notices.services import notice_create


def create(cast, persona, **audience):
    return notice_create(actor=getattr(cast, persona), title="通知", body="内容", audience=Audience(**audience))


def test_a_head_teacher_sends_to_her_own_class(cast):
    notice = create(cast, "head_teacher_li", classes=[cast.class_a1.pk])
    assert notice.sender_role == Role.HEAD_TEACHER
    assert notice.school_class == cast.class_a1 and notice.school == cast.school_a
    assert "三年级1班" in notice.audience_label


@pytest.mark.parametrize("other", ["class_a2", "class_b1"])
def test_a_head_teacher_cannot_target_another_class(cast, other):
    with pytest.raises(ValidationError) as err:
        create(cast, "head_teacher_li", classes=[getattr(cast, other).pk])
    assert err.value.messages == [_("You may only send to your own classes.")]
    assert not Notice.objects.exists()


def test_a_head_teacher_who_is_also_a_mother_cannot_reach_her_childs_classmates(cast):
    # 李娜 is 李果果's mother in class_b1: as a parent she may not send to 孙浩's family.
    with pytest.raises(ValidationError):
        create(cast, "head_teacher_li", students=[cast.students["sun_hao"].pk])
    with pytest.raises(ValidationError):
        create(cast, "head_teacher_li", students=[cast.students["li_guoguo"].pk])


def test_a_head_teacher_cannot_target_a_school_or_the_county(cast):
    with pytest.raises(ValidationError):
        create(cast, "head_teacher_li", schools=[cast.school_a.pk])
    with pytest.raises(ValidationError):
        create(cast, "head_teacher_li", counties=[cast.county.pk])
    with pytest.raises(ValidationError):
        create(cast, "head_teacher_li", roles=[f"school:{cast.school_a.pk}:{Role.TEACHER}"])


def test_a_school_admin_sends_to_the_school_grades_classes_and_roles(cast):
    grade = cast.class_a1.grade
    notice = create(
        cast, "school_admin_liu", schools=[cast.school_a.pk], grades=[grade.pk], classes=[cast.class_a2.pk],
        roles=[f"school:{cast.school_a.pk}:{Role.HEAD_TEACHER}"],
    )  # fmt: skip
    assert notice.targets.count() == 4


@pytest.mark.parametrize(
    "audience",
    [
        lambda c: {"schools": [c.school_b.pk]},
        lambda c: {"classes": [c.class_b1.pk]},
        lambda c: {"grades": [c.class_b1.grade_id]},
        lambda c: {"students": [c.students["sun_hao"].pk]},
        lambda c: {"roles": [f"school:{c.school_b.pk}:{Role.HEAD_TEACHER}"]},
        lambda c: {"counties": [c.county.pk]},
    ],
)
def test_a_school_admin_cannot_target_another_school(cast, audience):
    with pytest.raises(ValidationError):
        create(cast, "school_admin_liu", **audience(cast))


def test_a_county_admin_sends_to_schools_school_types_the_county_and_roles(cast):
    notice = create(
        cast, "county_admin_chen", counties=[cast.county.pk], school_kinds=["junior"], schools=[cast.school_a.pk],
        roles=[f"county:{cast.county.pk}:{Role.SCHOOL_ADMIN}"],
    )  # fmt: skip
    assert notice.sender_role == Role.COUNTY_ADMIN and notice.school is None
    assert notice.targets.count() == 4


@pytest.mark.parametrize("persona", ["parent_zhang", "grandma_zhao", "teacher_he", "expert_huang", "partner_wu"])
def test_parents_and_other_roles_cannot_send(cast, persona):
    with pytest.raises(PermissionDenied):
        create(cast, persona, classes=[cast.class_a1.pk])


def test_an_empty_audience_is_refused(cast):
    with pytest.raises(ValidationError) as err:
        create(cast, "head_teacher_li")
    assert err.value.messages == [_("Choose who should receive the notice.")]


@pytest.mark.parametrize(
    "persona, status",
    [
        ("head_teacher_li", 200),
        ("school_admin_liu", 200),
        ("county_admin_chen", 200),
        ("parent_zhang", 404),
        ("teacher_he", 404),
        (None, 302),
    ],
)
def test_the_compose_page_is_for_senders_only(client_for, persona, status):
    assert client_for(persona).get("/notices/new/").status_code == status


def test_the_compose_page_offers_only_what_the_sender_may_reach(client_for):
    html = client_for("head_teacher_li").get("/notices/new/").content.decode()
    assert "三年级1班" in html and "张小明" in html
    assert "七年级" not in html and "孙浩" not in html and "李果果" not in html


def test_posting_another_class_id_through_the_form_is_refused(cast, client_for):
    response = client_for("head_teacher_li").post(
        "/notices/new/",
        {"title": "通知", "body": "内容", "receipt_mode": "read", "classes": [cast.class_b1.pk]},
    )
    assert response.status_code == 200
    assert not Notice.objects.exists()


def test_a_head_teacher_sends_through_the_form(cast, client_for, run_tasks):
    response = client_for("head_teacher_li").post(
        "/notices/new/",
        {"title": "秋游通知", "body": "周三秋游,请准备午餐。", "receipt_mode": "choice", "choices": "参加\n不参加",
         "classes": [cast.class_a1.pk]},
    )  # fmt: skip
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.pk}/receipts/"
    assert notice.choices == ["参加", "不参加"]
    run_tasks()
    assert notice.deliveries.count() == 7
