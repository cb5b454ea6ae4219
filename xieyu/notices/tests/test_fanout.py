"""The worker fans a notice out to exactly the right guardians, once each."""

import pytest

from xieyu.accounts.models import Role
from xieyu.directory.models import Guardianship, Student
from xieyu.directory.services import guardian_for_phone, guardianship_add
from xieyu.notices.fanout import fan_out
from xieyu.notices.models import Delivery, FanoutCursor, Notice

CLASS_A1_GUARDIANS = {"张伟", "黄丽", "赵秀英", "刘军", "陈梅", "钱桂花", "周强"}


def guardians_of(notice):
    return sorted(
        Delivery.objects.filter(notice=notice, guardian__isnull=False).values_list("guardian__name", flat=True)
    )


def test_a_class_notice_reaches_every_guardian_of_the_class_once(cast, send_notice):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    assert notice.status == Notice.Status.SENT
    assert notice.fanned_out_at is not None
    assert guardians_of(notice) == sorted(CLASS_A1_GUARDIANS)
    assert set(Delivery.objects.filter(notice=notice).values_list("school_class", flat=True)) == {cast.class_a1.pk}
    assert notice.cursor.phase == FanoutCursor.Phase.DONE


def test_a_guardian_with_two_children_in_the_audience_gets_one_delivery(cast, send_notice):
    # 黄丽 also cares for 陈雨 in class_a2.
    huang = guardian_for_phone(name="黄丽", phone="13800001031")
    guardianship_add(actor=None, student=cast.students["chen_yu"], guardian=huang, relationship="mother")
    notice = send_notice("school_admin_liu", schools=[cast.school_a.pk])
    assert guardians_of(notice).count("黄丽") == 1
    assert set(guardians_of(notice)) == CLASS_A1_GUARDIANS


def test_pending_guardianships_and_students_who_left_are_not_in_the_audience(cast, send_notice):
    stranger = guardian_for_phone(name="冒名者", phone="13900000000")
    guardianship_add(
        actor=None, student=cast.students["zhou_jie"], guardian=stranger, relationship="other",
        status=Guardianship.Status.PENDING,
    )  # fmt: skip
    Student.objects.filter(pk=cast.students["qian_duoduo"].pk).update(status=Student.Status.TRANSFERRED)
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk])
    assert set(guardians_of(notice)) == CLASS_A1_GUARDIANS - {"钱桂花"}


def test_a_county_notice_reaches_both_schools(cast, send_notice):
    notice = send_notice("county_admin_chen", counties=[cast.county.pk])
    assert set(guardians_of(notice)) == CLASS_A1_GUARDIANS | {"孙丽", "李娜"}


def test_chosen_students_reach_only_their_guardians(cast, send_notice):
    notice = send_notice("head_teacher_li", students=[cast.students["liu_xiaoyu"].pk])
    assert set(guardians_of(notice)) == {"赵秀英", "刘军", "陈梅"}


def test_a_role_notice_reaches_staff_once_even_when_they_are_also_guardians(cast, send_notice):
    notice = send_notice(
        "county_admin_chen", counties=[cast.county.pk], roles=[f"county:{cast.county.pk}:{Role.HEAD_TEACHER}"]
    )
    # 李娜 is head teacher and 李果果's mother: reached once, as a guardian. 王敏 is reached as staff.
    staff = set(Delivery.objects.filter(notice=notice, guardian__isnull=True).values_list("user__name", flat=True))
    assert staff == {"王敏"}
    assert guardians_of(notice).count("李娜") == 1


def test_running_the_fan_out_again_writes_nothing_more(cast, send_notice):
    notice = send_notice("county_admin_chen", counties=[cast.county.pk])
    count = Delivery.objects.filter(notice=notice).count()
    FanoutCursor.objects.filter(notice=notice).update(phase=FanoutCursor.Phase.GUARDIANS, last_id=0)
    fan_out(notice.pk, size=2)  # every row is already there: INSERT … ON CONFLICT DO NOTHING
    assert Delivery.objects.filter(notice=notice).count() == count


def test_small_batches_resume_after_the_cursor(cast, send_notice):
    notice = send_notice("county_admin_chen", counties=[cast.county.pk], run=False)
    assert fan_out(notice.pk, size=1) == 9
    assert FanoutCursor.objects.get(notice=notice).batches >= 9
    assert Delivery.objects.filter(notice=notice).count() == 9


def test_a_lease_held_by_a_live_worker_is_not_taken(cast, send_notice):
    notice = send_notice("head_teacher_li", classes=[cast.class_a1.pk], run=False)
    from django.utils import timezone

    FanoutCursor.objects.filter(notice=notice).update(
        lease_token="other-worker", lease_until=timezone.now() + timezone.timedelta(minutes=1)
    )
    assert fan_out(notice.pk) == 0
    assert not Delivery.objects.filter(notice=notice).exists()


@pytest.mark.parametrize("persona", ["head_teacher_li"])
def test_a_retracted_notice_stops_fanning_out(cast, send_notice, persona):
    from xieyu.notices.services import notice_retract

    notice = send_notice(persona, classes=[cast.class_a1.pk], run=False)
    notice_retract(actor=cast.head_teacher_li, notice=notice, note="时间有变")
    assert fan_out(notice.pk) == 0
    assert FanoutCursor.objects.get(notice=notice).phase == FanoutCursor.Phase.DONE
