"""The directory API: my children, a class roster with joined flags, the schools visible to me.

Every read goes through access.py; missing and forbidden both answer 404. Each endpoint runs a fixed number of
queries whatever the size of the data.
"""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router, Schema

from xieyu.accounts.models import mask_phone
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access

router = Router()


class SchoolRef(Schema):
    id: int
    name: str


class ClassRef(Schema):
    id: int
    name: str


class ChildOut(Schema):
    id: int
    name: str
    gender: str
    status: str
    school: SchoolRef
    school_class: ClassRef | None
    head_teacher_name: str | None


class GuardianOut(Schema):
    name: str
    relationship: str
    relationship_label: str
    phone_masked: str
    has_phone: bool
    is_primary_carer: bool
    lives_with_child: bool
    joined: bool


class RosterStudentOut(Schema):
    id: int
    name: str
    joined: bool
    needs_print: bool
    join_pending: bool
    guardians: list[GuardianOut]


class Totals(Schema):
    students: int
    joined: int
    not_joined: int
    no_phone: int


class RosterClassOut(Schema):
    id: int
    name: str
    school: SchoolRef
    head_teacher_name: str | None


class RosterOut(PageMeta):
    school_class: RosterClassOut
    totals: Totals
    items: list[RosterStudentOut]


class SchoolOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    county: str
    is_staff: bool
    students: int | None
    joined: int | None
    joined_rate: float | None


class SchoolPage(PageMeta):
    items: list[SchoolOut]


def _class_ref(school_class) -> dict | None:
    return {"id": school_class.pk, "name": str(school_class)} if school_class else None


@router.get("/children", response=list[ChildOut], summary="My own children, as a guardian")
def children(request):
    return [
        {
            "id": child.pk,
            "name": child.name,
            "gender": child.gender,
            "status": child.status,
            "school": {"id": child.school.pk, "name": child.school.name},
            "school_class": _class_ref(child.school_class),
            "head_teacher_name": child.head_teacher_name,
        }
        for child in access.children_overview(request.auth)
    ]


@router.get("/classes/{id}/roster", response=RosterOut, summary="A class roster with who has joined (staff only)")
def class_roster(
    request,
    id: int,
    show: Literal["all", "not_joined", "no_phone"] = "all",
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    school_class = access.get_class_overview_for(request.auth, id)
    students, meta = paginate(access.class_roster(school_class, show=show), page, page_size)
    return {
        **meta,
        "school_class": {
            "id": school_class.pk,
            "name": str(school_class),
            "school": {"id": school_class.school.pk, "name": school_class.school.name},
            "head_teacher_name": school_class.head_teacher_name,
        },
        "totals": access.class_roster_totals(school_class),
        "items": [
            {
                "id": s.pk,
                "name": s.name,
                "joined": s.is_joined,
                "needs_print": not s.has_phone,
                "join_pending": s.join_pending,
                "guardians": [
                    {
                        "name": g.guardian.name,
                        "relationship": g.relationship,
                        "relationship_label": g.get_relationship_display(),
                        "phone_masked": mask_phone(g.guardian.phone),
                        "has_phone": bool(g.guardian.phone),
                        "is_primary_carer": g.is_primary_carer,
                        "lives_with_child": g.lives_with_child,
                        "joined": g.guardian.user_id is not None,
                    }
                    for g in s.guardians_confirmed
                ],
            }
            for s in students
        ],
    }


@router.get("/schools", response=SchoolPage, summary="Schools visible to me; joined figures where I am staff")
def schools(
    request,
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    is_staff = access.staff_school_test(request.auth)
    items, meta = paginate(access.schools_overview_for(request.auth), page, page_size)
    out = []
    for school in items:
        staff = is_staff(school)
        out.append(
            {
                "id": school.pk,
                "name": school.name,
                "kind": school.kind,
                "kind_label": school.get_kind_display(),
                "county": school.county.name,
                "is_staff": staff,
                "students": school.students_count if staff else None,
                "joined": school.joined_count if staff else None,
                "joined_rate": round(school.joined_rate, 4) if staff and school.joined_rate is not None else None,
            }
        )
    return {**meta, "items": out}
