"""What the bodies subdomain connects when the app loads: the committee page's panels, the guardian home's section
for committee members, and the receivers that end a guardian's seats when she leaves the committee's unit."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from xieyu.directory.dispatch import student_moved_school
from xieyu.directory.home import ACTION, GUARDIAN, register_home_section
from xieyu.directory.models import Guardianship, Student

from ..panels import register_committee_panel


def _guardians_with_seats(student_id: int) -> list[int]:
    from .models import Member

    return list(
        Member.objects.filter(guardian__guardianships__student=student_id, ended_at__isnull=True)
        .values_list("guardian_id", flat=True)
        .distinct()
    )


def _end_seats(guardian_ids) -> None:
    from .services import seats_end_for_left_units

    if guardian_ids:
        seats_end_for_left_units(actor=None, guardian_ids=guardian_ids)


def on_student_moved(sender, student, **kwargs) -> None:
    _end_seats(_guardians_with_seats(student.pk))


def on_student_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    if created or raw or instance.status == Student.Status.ENROLLED:
        return
    _end_seats(_guardians_with_seats(instance.pk))  # transferred out or graduated


def on_guardianship_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or (kwargs.get("signal") is post_save and instance.status == Guardianship.Status.CONFIRMED):
        return
    _end_seats([instance.guardian_id])


def connect() -> None:
    from . import home, panels

    student_moved_school.connect(on_student_moved, dispatch_uid="committees.bodies.student_moved")
    post_save.connect(on_student_saved, sender=Student, dispatch_uid="committees.bodies.student_saved")
    post_save.connect(on_guardianship_changed, sender=Guardianship, dispatch_uid="committees.bodies.gship_saved")
    post_delete.connect(on_guardianship_changed, sender=Guardianship, dispatch_uid="committees.bodies.gship_deleted")
    register_committee_panel("bodies.members", order=10, provider=panels.members)
    register_committee_panel("bodies.charter", order=20, provider=panels.charter)
    register_committee_panel("bodies.meetings", order=30, provider=panels.meetings)
    register_committee_panel("bodies.actions", order=40, provider=panels.actions)
    register_home_section("committees.member", group=ACTION, order=40, provider=home.member_section, audience=GUARDIAN)
