"""A guardian who leaves the school leaves its committee: her child moves to another school, transfers out, or her
guardianship ends — her seats on the units she no longer belongs to end (reason left_school), the rows stay."""

from __future__ import annotations

import pytest

from xieyu.committees.bodies import services
from xieyu.committees.models import Member
from xieyu.directory.models import Guardianship
from xieyu.directory.services import guardianship_decide, student_transfer

from . import bodies_fixtures as fx
from .bodies_fixtures import guardian, seat

bodies = fx.bodies

pytestmark = pytest.mark.django_db


def test_a_child_moving_school_ends_the_parent_s_seat(cast, bodies):
    class_committee = services.committee_create(actor=cast.school_admin_liu, school=cast.school_a, level="class",
                                                school_class=cast.class_a1, name="三年级1班家委会")  # fmt: skip
    class_seat = seat(cast.school_admin_liu, class_committee, guardian(cast.parent_zhang), Member.Role.MEMBER)
    student_transfer(actor=cast.school_admin_liu, student=cast.students["zhang_xiaoming"], to_class=cast.class_b1)
    bodies.zhang.refresh_from_db()
    class_seat.refresh_from_db()
    assert bodies.zhang.ended_at is not None and bodies.zhang.end_reason == Member.EndReason.LEFT_SCHOOL
    assert class_seat.end_reason == Member.EndReason.LEFT_SCHOOL
    bodies.zhao.refresh_from_db()
    assert bodies.zhao.ended_at is None  # another family's seat is untouched
    assert Member.objects.filter(pk=bodies.zhang.pk).exists()  # history kept


def test_a_move_to_another_class_of_the_same_school_keeps_the_school_seat(cast, bodies):
    student_transfer(actor=cast.school_admin_liu, student=cast.students["zhang_xiaoming"], to_class=cast.class_a2)
    bodies.zhang.refresh_from_db()
    assert bodies.zhang.ended_at is None


def test_transferring_out_ends_the_seat(cast, bodies):
    student_transfer(actor=cast.school_admin_liu, student=cast.students["liu_xiaoyu"], to_class=None)
    bodies.zhao.refresh_from_db()
    assert bodies.zhao.end_reason == Member.EndReason.LEFT_SCHOOL


def test_a_guardianship_that_ends_ends_the_seat(cast, bodies):
    g = Guardianship.objects.get(guardian__user=cast.grandma_zhao, student=cast.students["liu_xiaoyu"])
    guardianship_decide(actor=cast.school_admin_liu, guardianship=g, confirm=False)
    bodies.zhao.refresh_from_db()
    assert bodies.zhao.end_reason == Member.EndReason.LEFT_SCHOOL


def test_a_parent_with_another_child_still_at_the_school_keeps_her_seat(cast, bodies):
    """李娜's daughter is at 全南二中: she sits on its committee; moving another child elsewhere changes nothing."""
    li = seat(cast.school_admin_wang, bodies.b, guardian(cast.head_teacher_li), Member.Role.MEMBER)
    student_transfer(actor=cast.school_admin_wang, student=cast.students["sun_hao"], to_class=cast.class_a1)
    li.refresh_from_db()
    bodies.sun.refresh_from_db()
    assert li.ended_at is None and bodies.sun.end_reason == Member.EndReason.LEFT_SCHOOL
