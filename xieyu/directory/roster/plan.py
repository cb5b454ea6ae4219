"""Checking the file's rows against the database, and the plan of what a commit creates and updates.

Students match by (school, 学籍号); guardians by mobile number, guardians without a phone by name within the
student.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from xieyu.audit.services import diff

from ..models import Guardian, Guardianship, School, SchoolClass, Student
from .format import COL_CLASS, COL_NUMBER, LOOKUP_CHUNK
from .reader import GuardianRow, Problems, StudentRow


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_against_database(school: School, rows: list[StudentRow], problems: Problems) -> None:
    """A 学籍号 enrolled in another school is that school's student (which school is not said: privacy)."""
    numbers = [r.student_number for r in rows]
    elsewhere: set[str] = set()
    for chunk in _chunks(numbers):
        elsewhere.update(
            Student.objects.filter(student_number__in=chunk, status=Student.Status.ENROLLED)
            .exclude(school=school)
            .values_list("student_number", flat=True)
        )
    for r in rows:
        if r.student_number in elsewhere:
            problems.add(
                r.row,
                COL_NUMBER,
                _(
                    "The student number %(value)s is enrolled in another school. The student must be transferred "
                    "out of that school first."
                )
                % {"value": r.student_number},
            )


# --- the plan ----------------------------------------------------------------------------------------------

GUARDIANSHIP_COMPARED = ("relationship", "is_primary_carer", "lives_with_child", "status")


@dataclass
class Plan:
    """What a commit changes, decided from the rows and the database; counted for the preview."""

    new_students: list[StudentRow] = field(default_factory=list)
    changed_students: list[tuple[StudentRow, int, dict[str, list[Any]]]] = field(default_factory=list)
    transfers: list[tuple[StudentRow, int, int | None]] = field(default_factory=list)
    unchanged_students: int = 0
    student_ids: dict[int, int] = field(default_factory=dict)  # row → existing student pk
    new_guardians: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # key → (name, phone)
    guardian_ids: dict[str, int] = field(default_factory=dict)  # phone → existing guardian pk
    new_links: list[tuple[StudentRow, GuardianRow, int | str]] = field(default_factory=list)
    changed_links: list[tuple[int, GuardianRow, dict[str, list[Any]]]] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "students_new": len(self.new_students),
            "students_updated": len(self.changed_students),
            "students_transferred": len(self.transfers),
            "students_unchanged": self.unchanged_students,
            "guardians_new": len(self.new_guardians),
            "guardianships_new": len(self.new_links),
            "guardianships_updated": len(self.changed_links),
        }


def plan_import(school: School, rows: list[StudentRow]) -> Plan:
    plan = Plan()
    existing = {
        number: (pk, name, gender, born, class_id, status)
        for pk, number, name, gender, born, class_id, status in Student.objects.filter(school=school).values_list(
            "pk", "student_number", "name", "gender", "birth_date", "school_class_id", "status"
        )
    }
    phones = sorted({g.phone for r in rows for g in r.guardians if g.phone})
    for chunk in _chunks(phones):
        plan.guardian_ids.update(Guardian.objects.filter(phone__in=chunk).values_list("phone", "pk"))
    links: dict[tuple[int, int], tuple] = {}
    phoneless: dict[tuple[int, str], int] = {}
    for pk, student_id, guardian_id, *values, guardian_name, guardian_phone in Guardianship.objects.filter(
        student__school=school
    ).values_list("pk", "student_id", "guardian_id", *GUARDIANSHIP_COMPARED, "guardian__name", "guardian__phone"):
        links[(student_id, guardian_id)] = (pk, *values)
        if not guardian_phone:
            phoneless.setdefault((student_id, guardian_name), guardian_id)

    for r in rows:
        found = existing.get(r.student_number)
        if found is None:
            plan.new_students.append(r)
        else:
            pk, name, gender, born, class_id, status = found
            plan.student_ids[r.row] = pk
            before = {"name": name, "gender": gender, "birth_date": born.isoformat(), "status": status}
            after = {"name": r.name, "gender": r.gender, "birth_date": r.birth_date.isoformat(), "status": "enrolled"}
            changes = diff(before, after)
            if changes:
                plan.changed_students.append((r, pk, changes))
            if class_id != r.class_id:
                plan.transfers.append((r, pk, class_id))
            if not changes and class_id == r.class_id:
                plan.unchanged_students += 1
        student_id = plan.student_ids.get(r.row)
        for g in r.guardians:
            guardian: int | str
            if g.phone:
                guardian = plan.guardian_ids.get(g.phone) or g.phone
                if isinstance(guardian, str):
                    plan.new_guardians.setdefault(guardian, (g.name, g.phone))
            else:
                known = phoneless.get((student_id, g.name)) if student_id else None
                guardian = known or f"row{r.row}:{g.slot}"
                if isinstance(guardian, str):
                    plan.new_guardians[guardian] = (g.name, None)
            link = links.get((student_id, guardian)) if student_id and isinstance(guardian, int) else None
            if link is None:
                plan.new_links.append((r, g, guardian))
                continue
            link_pk, *values = link
            before = dict(zip(GUARDIANSHIP_COMPARED, values, strict=True))
            after = {
                "relationship": g.relationship,
                "is_primary_carer": g.is_primary_carer,
                "lives_with_child": g.lives_with_child,
                "status": Guardianship.Status.CONFIRMED.value,
            }
            changes = diff(before, after)
            if changes:
                plan.changed_links.append((link_pk, g, changes))
    return plan


def check_classes_exist(school: School, rows: list[StudentRow], problems: Problems) -> None:
    """The classes named at the check still exist in the school (one may have been removed since)."""
    wanted = {r.class_id for r in rows}
    present = set(SchoolClass.objects.filter(school=school, pk__in=wanted).values_list("pk", flat=True))
    for r in rows:
        if r.class_id not in present:
            problems.add(r.row, COL_CLASS, _("This class no longer exists in this school."))
