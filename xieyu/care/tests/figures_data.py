"""Rows for the figures and rights tests, written with the ORM (the registry, case and referral pages are built
alongside): registered children with categories, cases, services, referrals, reviews, carer surveys; and a second
county with a 妇联 partner for the neighbour who must see nothing."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant, user_create
from xieyu.care.models import (
    CarerSurvey,
    Case,
    CaseService,
    Consent,
    Referral,
    RegistryCategory,
    RegistryEntry,
    RegistryReview,
)
from xieyu.directory.models import Guardian, PartnerAgency, Region, School, SchoolClass, Student
from xieyu.directory.services import class_create, school_create

_serial = itertools.count(1)


def students(school_class: SchoolClass, n: int) -> list[Student]:
    return [
        Student.objects.create(
            name=f"学生{next(_serial)}",
            gender="M",
            birth_date=datetime.date(2017, 1, 1),
            school=school_class.school,
            school_class=school_class,
        )  # fmt: skip
        for _ in range(n)
    ]


def register(student: Student, categories, *, carer_type="grandparent", state=RegistryEntry.State.CONFIRMED,
             carer_name="", village="") -> RegistryEntry:  # fmt: skip
    entry = RegistryEntry.objects.create(
        student=student, county=student.school.county, school=student.school, state=state, carer_type=carer_type,
        carer_name=carer_name, village=village,
    )  # fmt: skip
    for category in categories:
        RegistryCategory.objects.create(entry=entry, category=category, source="school_survey")
    return entry


def case(cast, student: Student, *, state=Case.State.INTAKE, risk=Case.Risk.MEDIUM, entry=None) -> Case:
    return Case.objects.create(
        student=student, county=student.school.county, school=student.school, entry=entry, title="关爱个案",
        origin=Case.Origin.HEAD_TEACHER, owner=cast.counsellor_zhou, supervisor=cast.supervisor_zhong, risk=risk,
        state=state,
    )  # fmt: skip


def service(c: Case, kind="counselling", state=CaseService.State.ACTIVE) -> CaseService:
    return CaseService.objects.create(case=c, kind=kind, provider="县家庭教育指导中心", state=state)


def consent(cast, student: Student, guardian: Guardian, *, sections=("family_support",), agency=None) -> Consent:
    now = timezone.now()
    return Consent.objects.create(
        student=student, guardian=guardian, purpose="家庭支持转介", agency=agency or cast.women_federation,
        sections=list(sections), method=Consent.Method.APP_SMS, given_at=now, expires_at=now + datetime.timedelta(days=365),
    )  # fmt: skip


def referral(cast, c: Case, cons: Consent, *, sent_at=None, decided_at=None, state=Referral.State.SENT,
             agency=None) -> Referral:  # fmt: skip
    return Referral.objects.create(
        case=c, consent=cons, county=c.county, agency=agency or cast.women_federation, service_kind="family_contact",
        request="请协助亲情沟通", sections=list(cons.sections), state=state, sent_by=cast.counsellor_zhou,
        sent_at=sent_at or timezone.now(), decided_at=decided_at,
    )  # fmt: skip


def review(entry: RegistryEntry, due_on: datetime.date, done_at=None) -> RegistryReview:
    return RegistryReview.objects.create(entry=entry, due_on=due_on, done_at=done_at)


def survey(entry: RegistryEntry, needs, contact="weekly") -> CarerSurvey:
    return CarerSurvey.objects.create(entry=entry, needs=list(needs), parent_contact=contact)


def other_county():
    """A second county (大余县) with a school, a class, a 妇联 and its partner, a counsellor and a county admin."""
    county = Region.objects.create(name="大余县", level=Region.Level.COUNTY, code="360723",
                                   parent=Region.objects.get(code="360700"))  # fmt: skip
    school = school_create(actor=None, county=county, name="大余县南安小学", kind=School.Kind.PRIMARY,
                           code="3607230101", address="大余县南安镇")  # fmt: skip
    school_class = class_create(actor=None, grade=school.grades.get(level=3), name="1班")
    agency = PartnerAgency.objects.create(county=county, name="大余县妇联", kind=PartnerAgency.Kind.WOMEN_FEDERATION)
    people = {}
    for key, phone, name, role, unit in [
        ("partner", "13800009061", "何秀", Role.PARTNER, agency),
        ("counsellor", "13800009052", "谢红", Role.COUNSELLOR, county),
        ("county_admin", "13800009001", "曾强", Role.COUNTY_ADMIN, county),
    ]:
        people[key] = user_create(actor=None, phone=phone, name=name, password="Demo2026xy")  # noqa: S106
        membership_grant(actor=None, user=people[key], role=role, unit=unit)
    return {"county": county, "school": school, "class": school_class, "agency": agency, **people}
