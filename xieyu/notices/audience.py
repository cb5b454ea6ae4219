"""A notice's audience: what the sender chose, checked against their rights, and resolved to recipients."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xieyu.accounts.models import Membership, Role
from xieyu.directory.models import Guardianship, School, Student

from . import access
from .models import NoticeTarget


@dataclass
class Audience:
    """Ids chosen by the sender. Every id is checked against access.targetable_* before anything is written."""

    counties: list[int] = field(default_factory=list)
    school_kinds: list[str] = field(default_factory=list)  # within the sender's county
    schools: list[int] = field(default_factory=list)
    grades: list[int] = field(default_factory=list)
    classes: list[int] = field(default_factory=list)
    students: list[int] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # "county:<id>:<role>" or "school:<id>:<role>"

    def is_empty(self) -> bool:
        return not any(
            (self.counties, self.school_kinds, self.schools, self.grades, self.classes, self.students, self.roles)
        )


def role_key(unit_kind: str, unit_id: int, role: str) -> str:
    return f"{unit_kind}:{unit_id}:{role}"


def _check_ids(wanted: list[int], allowed_qs: QuerySet, message: str) -> list:
    wanted = sorted({int(i) for i in wanted})
    if not wanted:
        return []
    found = {obj.pk: obj for obj in allowed_qs.filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise ValidationError(message, code="forbidden_target")
    return [found[i] for i in wanted]


def build_targets(*, actor, audience: Audience) -> tuple[list[NoticeTarget], list[str]]:
    """Unsaved NoticeTarget rows and their labels; ValidationError names what the actor may not target."""
    if audience.is_empty():
        raise ValidationError(_("Choose who should receive the notice."), code="no_audience")
    targets: list[NoticeTarget] = []
    labels: list[str] = []
    counties = _check_ids(
        audience.counties, access.targetable_counties(actor), _("Only a county admin may send to the whole county.")
    )
    for county in counties:
        targets.append(NoticeTarget(kind=NoticeTarget.Kind.COUNTY, county=county))
        labels.append(_("all of %(county)s") % {"county": county.name})
    if audience.school_kinds:
        my_counties = list(access.targetable_counties(actor))
        if not my_counties:
            raise ValidationError(_("Only a county admin may send to a type of school."), code="forbidden_target")
        valid = dict(School.Kind.choices)
        for kind in sorted(set(audience.school_kinds)):
            if kind not in valid:
                raise ValidationError(_("Unknown school type."), code="forbidden_target")
            for county in my_counties:
                targets.append(NoticeTarget(kind=NoticeTarget.Kind.SCHOOL_KIND, county=county, school_kind=kind))
                labels.append(str(valid[kind]))
    for school in _check_ids(
        audience.schools, access.targetable_schools(actor), _("You may only send to schools you manage.")
    ):
        targets.append(NoticeTarget(kind=NoticeTarget.Kind.SCHOOL, school=school))
        labels.append(school.name)
    for grade in _check_ids(
        audience.grades, access.targetable_grades(actor), _("You may only send to grades of schools you manage.")
    ):
        targets.append(NoticeTarget(kind=NoticeTarget.Kind.GRADE, grade=grade))
        labels.append(f"{grade.school.name} {grade.name}")
    for school_class in _check_ids(
        audience.classes, access.targetable_classes(actor), _("You may only send to your own classes.")
    ):
        targets.append(NoticeTarget(kind=NoticeTarget.Kind.CLASS, school_class=school_class))
        labels.append(f"{school_class.school.name} {school_class}")
    students = _check_ids(
        audience.students,
        access.targetable_students(actor),
        _("You may only send to the guardians of students in your own classes."),
    )
    for student in students:
        targets.append(NoticeTarget(kind=NoticeTarget.Kind.STUDENT, student=student))
    if students:
        names = "、".join(s.name for s in students[:5])
        labels.append(
            _("guardians of %(names)s") % {"names": names}
            if len(students) <= 5
            else _("guardians of %(names)s and %(count)d more") % {"names": names, "count": len(students) - 5}
        )
    allowed_roles = {
        role_key(kind, unit_id, role): unit_name for kind, role, unit_id, unit_name in access.targetable_roles(actor)
    }
    for key in sorted(set(audience.roles)):
        if key not in allowed_roles:
            raise ValidationError(_("You may not send to that role."), code="forbidden_target")
        unit_kind, unit_id, role = key.split(":")
        target = NoticeTarget(kind=NoticeTarget.Kind.ROLE, role=role)
        if unit_kind == "county":
            target.county_id = int(unit_id)
        else:
            target.school_id = int(unit_id)
        targets.append(target)
        labels.append(f"{allowed_roles[key]} {Role(role).label}")
    return targets, labels


# --- resolving targets --------------------------------------------------------------------------------------


def student_q(targets: list[NoticeTarget], prefix: str = "") -> Q:
    """Students (reached through `prefix`) in the audience, by the notice's targets."""
    q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    p = prefix
    for t in targets:
        if t.kind == NoticeTarget.Kind.COUNTY:
            q |= Q(**{f"{p}school__county_id": t.county_id})
        elif t.kind == NoticeTarget.Kind.SCHOOL_KIND:
            q |= Q(**{f"{p}school__county_id": t.county_id, f"{p}school__kind": t.school_kind})
        elif t.kind == NoticeTarget.Kind.SCHOOL:
            q |= Q(**{f"{p}school_id": t.school_id})
        elif t.kind == NoticeTarget.Kind.GRADE:
            q |= Q(**{f"{p}school_class__grade_id": t.grade_id})
        elif t.kind == NoticeTarget.Kind.CLASS:
            q |= Q(**{f"{p}school_class_id": t.school_class_id})
        elif t.kind == NoticeTarget.Kind.STUDENT:
            q |= Q(**{f"{p}pk": t.student_id})
    return q


def audience_guardianships(targets: list[NoticeTarget]) -> QuerySet[Guardianship]:
    """Confirmed guardianships of enrolled students in the audience."""
    return Guardianship.objects.filter(
        student_q(targets, "student__"),
        status=Guardianship.Status.CONFIRMED,
        student__status=Student.Status.ENROLLED,
    )


def audience_students(targets: list[NoticeTarget]) -> QuerySet[Student]:
    return Student.objects.filter(student_q(targets), status=Student.Status.ENROLLED)


def audience_staff(targets: list[NoticeTarget]) -> QuerySet[Membership]:
    """Active memberships reached by the notice's role targets."""
    q = Q(pk__in=[])
    found = False
    for t in targets:
        if t.kind != NoticeTarget.Kind.ROLE:
            continue
        found = True
        unit = "school_class__school" if t.role == Role.HEAD_TEACHER else "school"
        if t.school_id:
            q |= Q(role=t.role, **{unit: t.school_id})
        else:
            q |= Q(role=t.role, **{f"{unit}__county": t.county_id})
    if not found:
        return Membership.objects.none()
    return Membership.objects.filter(q, is_active=True, user__is_active=True)
