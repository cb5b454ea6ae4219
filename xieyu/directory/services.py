"""Every write to the directory. Writes to students, guardianships and memberships leave an audit row."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from xieyu.accounts.models import User
from xieyu.accounts.scope import forget_scope
from xieyu.accounts.services import user_create
from xieyu.audit.services import audit_record, diff, snapshot

from .dispatch import student_moved_school
from .models import (
    ClassHistory,
    Grade,
    Guardian,
    Guardianship,
    Region,
    School,
    SchoolClass,
    Student,
    Town,
    stage_for_level,
)

STUDENT_FIELDS = ("name", "gender", "birth_date", "student_number", "school", "school_class", "status")
GUARDIANSHIP_FIELDS = ("relationship", "is_primary_carer", "lives_with_child", "status")

# Grade names by level: kindergarten 小班/中班/大班, then 一年级 … 高三.
GRADE_NAMES = {
    -2: "小班", -1: "中班", 0: "大班",
    1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级",
    7: "七年级", 8: "八年级", 9: "九年级", 10: "高一", 11: "高二", 12: "高三",
}  # fmt: skip
LEVELS_BY_KIND = {
    School.Kind.KINDERGARTEN: range(-2, 1),
    School.Kind.PRIMARY: range(1, 7),
    School.Kind.JUNIOR: range(7, 10),
    School.Kind.NINE_YEAR: range(1, 10),
    School.Kind.COMPLETE_MIDDLE: range(7, 13),
    School.Kind.SENIOR: range(10, 13),
}


@transaction.atomic
def school_create(
    *, actor, county: Region, name: str, kind: str, code: str, address: str = "", town: Town | None = None
) -> School:
    """A school with its grades (by school type)."""
    school = School.objects.create(county=county, name=name, kind=kind, code=code, address=address, town=town)
    Grade.objects.bulk_create(
        [
            Grade(school=school, level=level, name=GRADE_NAMES[level], stage=stage_for_level(level))
            for level in LEVELS_BY_KIND[School.Kind(kind)]
        ]
    )
    audit_record(actor=actor, action="school.create", target=school)
    return school


@transaction.atomic
def class_create(*, actor, grade: Grade, name: str) -> SchoolClass:
    school_class = SchoolClass.objects.create(school_id=grade.school_id, grade=grade, name=name)
    audit_record(actor=actor, action="class.create", target=school_class, changes={"name": [None, name]})
    return school_class


@transaction.atomic
def student_create(
    *,
    actor,
    school_class: SchoolClass,
    name: str,
    gender: str,
    birth_date: datetime.date,
    student_number: str,
) -> Student:
    student = Student.objects.create(
        name=name,
        gender=gender,
        birth_date=birth_date,
        student_number=student_number,
        school_id=school_class.school_id,
        school_class=school_class,
    )
    ClassHistory.objects.create(student=student, from_class=None, to_class=school_class, actor=actor, note="enrol")
    audit_record(
        actor=actor, action="student.create", target=student, changes=diff({}, snapshot(student, STUDENT_FIELDS))
    )
    return student


@transaction.atomic
def student_update(*, actor, student: Student, **fields) -> Student:
    """Change a student's own fields (not their class: that is a transfer)."""
    allowed = {"name", "gender", "birth_date", "student_number", "status"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot update {sorted(unknown)}")
    before = snapshot(student, STUDENT_FIELDS)
    for key, value in fields.items():
        setattr(student, key, value)
    changes = diff(before, snapshot(student, STUDENT_FIELDS))
    if changes:
        student.save()
        audit_record(actor=actor, action="student.update", target=student, changes=changes)
    return student


@transaction.atomic
def student_transfer(*, actor, student: Student, to_class: SchoolClass | None, note: str = "") -> Student:
    """Move a student to another class (any school), or out of every class (to_class None: transferred out)."""
    before = snapshot(student, STUDENT_FIELDS)
    from_class = student.school_class
    from_school_id = student.school_id
    if from_class == to_class:
        return student
    student.school_class = to_class
    if to_class is None:
        student.status = Student.Status.TRANSFERRED
    else:
        student.school_id = to_class.school_id
        student.status = Student.Status.ENROLLED
    student.save()
    ClassHistory.objects.create(student=student, from_class=from_class, to_class=to_class, actor=actor, note=note)
    audit_record(
        actor=actor, action="student.transfer", target=student, changes=diff(before, snapshot(student, STUDENT_FIELDS))
    )
    if student.school_id != from_school_id:
        student_moved_school.send(
            sender=Student, student=student, from_school_id=from_school_id, to_school_id=student.school_id
        )
    return student


def guardian_for_phone(*, name: str, phone: str | None) -> Guardian:
    """The guardian with this mobile number, created if new; a guardian without a phone is always new."""
    if phone:
        guardian, _ = Guardian.objects.get_or_create(phone=phone, defaults={"name": name})
        return guardian
    return Guardian.objects.create(name=name, phone=None)


@transaction.atomic
def guardianship_add(
    *,
    actor,
    student: Student,
    guardian: Guardian,
    relationship: str,
    is_primary_carer: bool = False,
    lives_with_child: bool = True,
    status: str = Guardianship.Status.CONFIRMED,
) -> Guardianship:
    """Bind a guardian to a student, or update the binding when it exists."""
    g, created = Guardianship.objects.get_or_create(
        student=student,
        guardian=guardian,
        defaults={
            "relationship": relationship,
            "is_primary_carer": is_primary_carer,
            "lives_with_child": lives_with_child,
            "status": status,
        },
    )
    if created:
        audit_record(
            actor=actor, action="guardianship.create", target=g, changes=diff({}, snapshot(g, GUARDIANSHIP_FIELDS))
        )
        return g
    before = snapshot(g, GUARDIANSHIP_FIELDS)
    g.relationship, g.is_primary_carer, g.lives_with_child = relationship, is_primary_carer, lives_with_child
    if status == Guardianship.Status.CONFIRMED:
        g.status = status
    changes = diff(before, snapshot(g, GUARDIANSHIP_FIELDS))
    if changes:
        g.save()
        audit_record(actor=actor, action="guardianship.update", target=g, changes=changes)
    return g


@transaction.atomic
def guardianship_decide(*, actor, guardianship: Guardianship, confirm: bool) -> Guardianship:
    """A head teacher or school admin confirms or rejects a guardian's join request."""
    before = snapshot(guardianship, GUARDIANSHIP_FIELDS)
    guardianship.status = Guardianship.Status.CONFIRMED if confirm else Guardianship.Status.REJECTED
    guardianship.decided_by = actor
    guardianship.decided_at = timezone.now()
    guardianship.save()
    audit_record(
        actor=actor,
        action="guardianship.confirm" if confirm else "guardianship.reject",
        target=guardianship,
        changes=diff(before, snapshot(guardianship, GUARDIANSHIP_FIELDS)),
    )
    return guardianship


# --- Guardians join a class (directory/joining.py, accounts) ---------------------------------------------
# The reads here answer questions asked before anyone's role is known, by a secret the asker holds:
# a class's join code (printed on the class poster) or their own mobile number, proven by an SMS code.
# They belong with access.py's reads and can move there.

JOIN_CODE_ALPHABET = frozenset("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def normalize_join_code(raw: str | None) -> str:
    """Upper case without spaces or dashes; empty when it cannot be a join code."""
    code = "".join((raw or "").split()).replace("-", "").upper()
    return code if len(code) == 8 and set(code) <= JOIN_CODE_ALPHABET else ""


def class_for_join_code(raw: str | None) -> SchoolClass | None:
    """The class a join code opens, or None."""
    code = normalize_join_code(raw)
    if not code:
        return None
    return SchoolClass.objects.select_related("school", "grade").filter(join_code=code).first()


def student_matching(*, school_class: SchoolClass, name: str, birth_date: datetime.date) -> Student | None:
    """The one enrolled student of the class with this name and birth date (what a guardian knows), or None."""
    name = "".join((name or "").split())
    found = list(
        Student.objects.filter(
            school_class=school_class, status=Student.Status.ENROLLED, name=name, birth_date=birth_date
        )[:2]
    )
    return found[0] if len(found) == 1 else None


def phone_on_class_roster(school_class: SchoolClass, phone: str) -> bool:
    """Whether the class's roster records this number for a guardian of one of its students."""
    return Guardianship.objects.filter(
        student__school_class=school_class, guardian__phone=phone, status=Guardianship.Status.CONFIRMED
    ).exists()


def guardian_on_roster(phone: str) -> Guardian | None:
    """The guardian a roster recorded with this mobile number who has no account yet."""
    return Guardian.objects.filter(phone=phone, user__isnull=True).first()


@transaction.atomic
def guardian_link_user(*, actor, user) -> Guardian | None:
    """Link the guardian the roster recorded with the user's mobile number to the user.

    The school vouched for that guardian, so their children (confirmed guardianships) appear at once.
    Returns the user's guardian record, or None when they have none and the roster knows no such number.
    """
    own = Guardian.objects.filter(user=user).first()
    if own is not None:
        return own
    guardian = Guardian.objects.select_for_update().filter(phone=user.phone, user__isnull=True).first()
    if guardian is None:
        return None
    guardian.user = user
    guardian.save(update_fields=["user"])
    audit_record(actor=actor, action="guardian.link_user", target=guardian, changes={"user": [None, user.pk]})
    forget_scope(user)
    return guardian


@transaction.atomic
def guardian_for_user(*, actor, user) -> Guardian:
    """The user's own guardian record: the roster's (by mobile number) when there is one, else a new one."""
    guardian = guardian_link_user(actor=actor, user=user)
    if guardian is not None:
        return guardian
    phone_taken = Guardian.objects.filter(phone=user.phone).exists()
    guardian = Guardian.objects.create(name=user.name, phone=None if phone_taken else user.phone, user=user)
    audit_record(actor=actor, action="guardian.create", target=guardian, changes={"user": [None, user.pk]})
    forget_scope(user)
    return guardian


@transaction.atomic
def guardian_claim_account(*, phone: str) -> User | None:
    """An account for a guardian on the roster who proved this mobile number with an SMS code (no password
    yet: they log in by code and may set one on their profile). None when the roster has no such guardian.
    """
    guardian = Guardian.objects.select_for_update().filter(phone=phone, user__isnull=True).first()
    if guardian is None or User.objects.filter(phone=phone).exists():
        return None
    user = user_create(actor=None, phone=phone, name=guardian.name)
    guardian_link_user(actor=user, user=user)
    return user


@transaction.atomic
def guardianship_request(
    *,
    actor,
    student: Student,
    guardian: Guardian,
    relationship: str,
    is_primary_carer: bool = False,
    lives_with_child: bool = True,
) -> tuple[Guardianship, bool]:
    """A guardian asks to be bound to a student; the head teacher or school admin decides.

    Returns (guardianship, created). A repeated request changes nothing: the existing binding, pending,
    confirmed or rejected, is returned as it is.
    """
    g, created = Guardianship.objects.get_or_create(
        student=student,
        guardian=guardian,
        defaults={
            "relationship": relationship,
            "is_primary_carer": is_primary_carer,
            "lives_with_child": lives_with_child,
            "status": Guardianship.Status.PENDING,
        },
    )
    if created:
        audit_record(
            actor=actor, action="guardianship.request", target=g, changes=diff({}, snapshot(g, GUARDIANSHIP_FIELDS))
        )
    return g, created
