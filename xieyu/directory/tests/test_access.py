"""Who sees which student: the matrix of directory/access.py, read as a story."""

import pytest
from django.http import Http404

from xieyu.directory.access import get_student_for, students_visible_to

EVERYONE = [
    "county_admin_chen", "school_admin_liu", "head_teacher_li", "teacher_he", "school_admin_wang",
    "head_teacher_wang", "parent_zhang", "grandma_zhao", "parent_sun", "expert_huang", "counsellor_zhou",
    "volunteer_zeng", "partner_wu",
]  # fmt: skip
SEES_LIU_XIAOYU = {"county_admin_chen", "school_admin_liu", "head_teacher_li", "grandma_zhao"}


@pytest.mark.parametrize("persona", EVERYONE)
def test_a_left_behind_childs_record_is_seen_only_by_those_responsible(cast, persona):
    user = getattr(cast, persona)
    child = cast.students["liu_xiaoyu"]
    if persona in SEES_LIU_XIAOYU:
        assert get_student_for(user, child.pk) == child
    else:
        with pytest.raises(Http404):
            get_student_for(user, child.pk)


def test_a_teacher_who_is_also_a_mother_sees_her_class_and_her_own_child_only(cast):
    names = set(students_visible_to(cast.head_teacher_li).values_list("name", flat=True))
    assert names == {"张小明", "刘小宇", "钱多多", "周杰", "李果果"}


def test_only_admins_may_change_a_record(cast):
    child = cast.students["zhang_xiaoming"]
    assert get_student_for(cast.school_admin_liu, child.pk, write=True) == child
    for persona in ("head_teacher_li", "parent_zhang", "school_admin_wang"):
        with pytest.raises(Http404):
            get_student_for(getattr(cast, persona), child.pk, write=True)


def test_missing_and_forbidden_look_alike(cast):
    with pytest.raises(Http404) as missing:
        get_student_for(cast.parent_zhang, 999999)
    with pytest.raises(Http404) as forbidden:
        get_student_for(cast.parent_zhang, cast.students["sun_hao"].pk)
    assert str(missing.value) == str(forbidden.value)
