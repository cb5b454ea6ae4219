"""Checking the file's rows against the database, and the plan of what a commit creates and updates.

Students match by (school, 学籍号); a student without one yet by name and birth date among the school's students
without one (and takes the number when a later file gives it). Guardians match by mobile number, guardians
without a phone by name within the student.

A roster never binds a stranger. A mobile number is a person: the school's file may bind a guardian already in
the directory only when nothing says it is someone else. So a row's guardian whose mobile number is already
there is a problem of that row, named in the preview (number and name masked), when

(a) the guardian on record with that number (or the account holding it) has another name; or
(b) that guardian belongs to another family: they are bound to other children and not to this one (the same
    child counts by 学籍号 across schools, so a pupil moving up to a junior school keeps their guardians) —
    even when the name matches, as a mistyped number may well meet a common name.

A deliberate "same person" (a parent of a pupil here whose brother or sister is now enrolled, say) is not bound
by the school either. The directory has no way for a guardian to confirm a binding the school proposes: a
pending guardianship is a guardian's own request that the head teacher confirms, so an imported pending binding
would still be the school's say-so. The honest option is the row problem telling the school to leave that
guardian out of the row; the guardian then joins the child with the class join code themselves (joining.py),
and the head teacher confirms the request as for any other.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from xieyu.accounts.models import User, mask_phone
from xieyu.audit.services import diff

from ..models import Guardian, Guardianship, School, SchoolClass, Student
from .format import COL_CLASS, COL_NUMBER, LOOKUP_CHUNK, PART_PHONE, guardian_column
from .reader import GuardianRow, Problems, StudentRow

GUARDIANSHIP_COMPARED = ("relationship", "is_primary_carer", "lives_with_child", "status")
# A guardian bound to a child, for telling families apart: confirmed, or asked for by the guardian themselves.
BINDING = (Guardianship.Status.CONFIRMED, Guardianship.Status.PENDING)
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 令狐 司徒 夏侯 轩辕 端木 长孙 宇文 澹台 南宫 西门 闻人".split()
)


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def mask_name(name: str) -> str:
    """孙丽 → 孙*, 欧阳娜娜 → 欧阳*: the surname only, as a problem may name someone the school does not manage."""
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return f"{surname}*"


class StudentRecord(NamedTuple):
    pk: int
    student_number: str
    name: str
    gender: str
    birth_date: datetime.date
    class_id: int | None
    status: str


class Known:
    """What the directory holds about one file's students and guardians, read once (chunked lookups) for the
    check against the database and for the plan."""

    def __init__(self, school: School, rows: list[StudentRow]):
        by_number: dict[str, StudentRecord] = {}
        numberless: defaultdict[tuple[str, datetime.date], list[StudentRecord]] = defaultdict(list)
        for values in Student.objects.filter(school=school).values_list(
            "pk", "student_number", "name", "gender", "birth_date", "school_class_id", "status"
        ):
            record = StudentRecord(*values)
            if record.student_number:
                by_number[record.student_number] = record
            else:
                numberless[(record.name, record.birth_date)].append(record)

        # Each row's student: by 学籍号, else the one student of that name and birth date without a number.
        self.students: dict[int, StudentRecord] = {}  # row → existing student
        self.ambiguous: set[int] = set()  # rows matching several students without a number
        self.same_student: dict[int, int] = {}  # row → the earlier row that matched the same student
        claimed: dict[int, int] = {}  # student pk → row
        for r in rows:
            found = by_number.get(r.student_number) if r.student_number else None
            if found is None:
                candidates = numberless.get((r.name, r.birth_date), [])
                if len(candidates) > 1:
                    self.ambiguous.add(r.row)
                    continue
                found = candidates[0] if candidates else None
            if found is None:
                continue
            first = claimed.setdefault(found.pk, r.row)
            if first != r.row:
                self.same_student[r.row] = first
                continue
            self.students[r.row] = found

        numbers = [r.student_number for r in rows if r.student_number]
        self.enrolled_elsewhere: set[str] = set()
        for chunk in _chunks(numbers):
            self.enrolled_elsewhere.update(
                Student.objects.filter(student_number__in=chunk, status=Student.Status.ENROLLED)
                .exclude(school=school)
                .values_list("student_number", flat=True)
            )

        phones = sorted({g.phone for r in rows for g in r.guardians if g.phone})
        self.guardians: dict[str, tuple[int, str]] = {}  # phone → (guardian pk, name)
        self.accounts: dict[str, str] = {}  # phone → the name of the account holding it
        for chunk in _chunks(phones):
            self.guardians.update(
                (phone, (pk, name))
                for phone, pk, name in Guardian.objects.filter(phone__in=chunk).values_list("phone", "pk", "name")
                if phone
            )
            self.accounts.update(User.objects.filter(phone__in=chunk).values_list("phone", "name"))
        # The children each of those guardians is bound to, in any school: (student pk, 学籍号).
        self.families: defaultdict[int, set[tuple[int, str]]] = defaultdict(set)
        for chunk in _chunks(sorted(pk for pk, _name in self.guardians.values())):
            for guardian_id, student_id, number in Guardianship.objects.filter(
                guardian_id__in=chunk, status__in=BINDING
            ).values_list("guardian_id", "student_id", "student__student_number"):
                self.families[guardian_id].add((student_id, number))

        # The school's guardianships (any status), and its guardians without a phone by student and name.
        self.links: dict[tuple[int, int], tuple] = {}
        self.phoneless: dict[tuple[int, str], int] = {}
        for pk, student_id, guardian_id, *values, guardian_name, guardian_phone in Guardianship.objects.filter(
            student__school=school
        ).values_list("pk", "student_id", "guardian_id", *GUARDIANSHIP_COMPARED, "guardian__name", "guardian__phone"):
            self.links[(student_id, guardian_id)] = (pk, *values)
            if not guardian_phone:
                self.phoneless.setdefault((student_id, guardian_name), guardian_id)

    def student_id(self, r: StudentRow) -> int | None:
        found = self.students.get(r.row)
        return found.pk if found else None

    def stranger(self, r: StudentRow, g: GuardianRow) -> str | None:
        """Why binding this row's guardian (by mobile number) could bind someone else, or None (see the module)."""
        if not g.phone:
            return None
        phone, student_id = mask_phone(g.phone), self.student_id(r)
        on_record = self.guardians.get(g.phone)
        if on_record is None:
            holder = self.accounts.get(g.phone)
            if holder is not None and holder != g.name:
                return _different_name(phone, holder)
            return None
        guardian_id, name = on_record
        children = self.families.get(guardian_id, set())
        theirs = (student_id is not None and (student_id, guardian_id) in self.links) or any(
            pk == student_id or (r.student_number and number == r.student_number) for pk, number in children
        )
        if not theirs and children:
            return _(
                "The mobile number %(phone)s is already the number of %(name)s, a guardian in another family. The "
                "school cannot bind them to this child: remove this guardian from the row. They can join the "
                "child themselves with the class join code, and the head teacher confirms."
            ) % {"phone": phone, "name": mask_name(name)}
        if name != g.name:
            return _different_name(phone, name)
        return None


def _different_name(phone: str, name: str) -> str:
    return _(
        "The mobile number %(phone)s is already the number of %(name)s, not of the guardian named here. Check the "
        "number; if it is right, that guardian joins the child themselves with the class join code."
    ) % {"phone": phone, "name": mask_name(name)}


def check_against_database(school: School, rows: list[StudentRow], problems: Problems) -> Known:
    """The rows' problems that only the directory shows; what it holds, for the plan.

    A 学籍号 enrolled in another school is that school's student (which school is not said: privacy). A student
    without a number must match at most one student of the school. A guardian's mobile number must not bind
    someone else (the module's docstring).
    """
    known = Known(school, rows)
    for r in rows:
        if r.student_number in known.enrolled_elsewhere:
            problems.add(
                r.row,
                COL_NUMBER,
                _(
                    "The student number %(value)s is enrolled in another school. The student must be transferred "
                    "out of that school first."
                )
                % {"value": r.student_number},
            )
        elif r.row in known.ambiguous:
            problems.add(
                r.row,
                COL_NUMBER,
                _(
                    "Several students of this school without a student number have this name and birth date: fill "
                    "in the student number to say which one this is."
                ),
            )
        elif r.row in known.same_student:
            problems.add(
                r.row,
                COL_NUMBER,
                _("This is the same student as in row %(other)s of this file.") % {"other": known.same_student[r.row]},
            )
        for g in r.guardians:
            why = known.stranger(r, g)
            if why:
                problems.add(r.row, guardian_column(g.slot, PART_PHONE), why)
    return known


def check_classes_exist(school: School, rows: list[StudentRow], problems: Problems) -> None:
    """The classes named at the check still exist in the school (one may have been removed since)."""
    wanted = {r.class_id for r in rows}
    present = set(SchoolClass.objects.filter(school=school, pk__in=wanted).values_list("pk", flat=True))
    for r in rows:
        if r.class_id not in present:
            problems.add(r.row, COL_CLASS, _("This class no longer exists in this school."))


# --- the plan ----------------------------------------------------------------------------------------------


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


def plan_import(school: School, rows: list[StudentRow], known: Known | None = None) -> Plan:
    """The plan for rows without problems (check_against_database passes what it read as ``known``)."""
    known = known if known is not None else Known(school, rows)
    plan = Plan(guardian_ids={phone: pk for phone, (pk, _name) in known.guardians.items()})
    for r in rows:
        found = known.students.get(r.row)
        if found is None:
            plan.new_students.append(r)
        else:
            plan.student_ids[r.row] = found.pk
            before = {
                "name": found.name, "gender": found.gender, "birth_date": found.birth_date.isoformat(),
                "student_number": found.student_number, "status": found.status,
            }  # fmt: skip
            after: dict[str, Any] = {
                "name": r.name, "gender": r.gender, "birth_date": r.birth_date.isoformat(),
                "student_number": r.student_number, "status": Student.Status.ENROLLED.value,
            }  # fmt: skip
            changes = diff(before, after)
            if changes:
                plan.changed_students.append((r, found.pk, changes))
            if found.class_id != r.class_id:
                plan.transfers.append((r, found.pk, found.class_id))
            if not changes and found.class_id == r.class_id:
                plan.unchanged_students += 1
        student_id = plan.student_ids.get(r.row)
        for g in r.guardians:
            guardian: int | str
            if g.phone:
                guardian = plan.guardian_ids.get(g.phone) or g.phone
                if isinstance(guardian, str):
                    plan.new_guardians.setdefault(guardian, (g.name, g.phone))
            else:
                phoneless = known.phoneless.get((student_id, g.name)) if student_id else None
                guardian = phoneless or f"row{r.row}:{g.slot}"
                if isinstance(guardian, str):
                    plan.new_guardians[guardian] = (g.name, None)
            link = known.links.get((student_id, guardian)) if student_id and isinstance(guardian, int) else None
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
