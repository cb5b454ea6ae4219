"""Each school's tally (SchoolTally): enrolled students, families joined, families no phone reaches.

Kept fresh on write: a save or delete of a student, a guardianship or a guardian recounts its schools at once (one
grouped query) and again after the transaction commits. Writes that skip
`save()` call `tallies_refresh` themselves (the roster import, the demo's bulk seeding); the nightly
`directory.tallies` job recounts every school, so nothing drifts for long even if a bulk path forgets."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from .access import _joined, _reachable_by_phone
from .models import Guardian, Guardianship, School, SchoolTally, Student


def tallies_refresh(school_ids: Iterable[int | None]) -> int:
    """Recount these schools' tallies now (inside the caller's transaction); returns how many were written."""
    ids = sorted({int(i) for i in school_ids if i})
    if not ids:
        return 0
    counted = {
        r["school_id"]: r
        for r in Student.objects.filter(status=Student.Status.ENROLLED, school_id__in=ids)
        .annotate(is_joined=_joined(), has_phone=_reachable_by_phone())
        .order_by()
        .values("school_id")
        .annotate(students=Count("pk"), joined=Count("pk", filter=Q(is_joined=True)),
                  no_phone=Count("pk", filter=Q(has_phone=False)))  # fmt: skip
    }
    now = timezone.now()
    existing = set(School.objects.filter(pk__in=ids).values_list("pk", flat=True))
    rows = [
        SchoolTally(school_id=i, students=counted.get(i, {}).get("students", 0), joined=counted.get(i, {}).get("joined", 0),
                    no_phone=counted.get(i, {}).get("no_phone", 0), updated_at=now)
        for i in ids
        if i in existing
    ]  # fmt: skip
    SchoolTally.objects.bulk_create(rows, update_conflicts=True, unique_fields=["school"],
                                    update_fields=["students", "joined", "no_phone", "updated_at"])  # fmt: skip
    return len(rows)


def tallies_refresh_all() -> int:
    return tallies_refresh(School.objects.values_list("pk", flat=True))


def schools_touched(school_ids: Iterable[int | None]) -> None:
    """Recount these schools now, inside the writer's transaction (so its own rows count), and again once it
    commits, when a concurrent writer's rows are committed too (the later recount sees both)."""
    ids = {int(i) for i in school_ids if i}
    if not ids:
        return
    tallies_refresh(ids)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: tallies_refresh(ids))


# --- what marks a school ------------------------------------------------------------------------------------------


BEFORE = "_tally_school_before"  # the school a saved student was in before this save


def _student_before(sender, instance: Student, raw=False, **kwargs) -> None:
    if not raw and instance.pk:
        instance.__dict__[BEFORE] = Student.objects.filter(pk=instance.pk).values_list("school_id", flat=True).first()


def _student_saved(sender, instance: Student, raw=False, **kwargs) -> None:
    if not raw:
        schools_touched([i for i in (instance.school_id, instance.__dict__.get(BEFORE)) if i])


def _guardianship_changed(sender, instance: Guardianship, raw=False, **kwargs) -> None:
    if not raw:
        schools_touched(Student.objects.filter(pk=instance.student_id).values_list("school_id", flat=True))


def _guardian_changed(sender, instance: Guardian, raw=False, **kwargs) -> None:
    if not raw and instance.pk:
        schools_touched(
            Student.objects.filter(guardianships__guardian_id=instance.pk).values_list("school_id", flat=True)
        )


def connect() -> None:
    pre_save.connect(_student_before, sender=Student, dispatch_uid="directory.tally.student_before")
    post_save.connect(_student_saved, sender=Student, dispatch_uid="directory.tally.student")
    post_delete.connect(_student_saved, sender=Student, dispatch_uid="directory.tally.student_delete")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(_guardianship_changed, sender=Guardianship, dispatch_uid=f"directory.tally.guardianship_{name}")
        signal.connect(_guardian_changed, sender=Guardian, dispatch_uid=f"directory.tally.guardian_{name}")
