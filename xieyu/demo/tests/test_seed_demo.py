"""The demo county: the named cast plus a county's worth of made-up families, seeded once."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from xieyu.accounts.models import Membership, Role, User
from xieyu.audit.models import AuditEvent
from xieyu.demo.county import school_year_start
from xieyu.demo.personas import COUNTY_CODE, DEMO_PASSWORD, PEOPLE
from xieyu.directory.models import Guardian, Guardianship, Region, School, SchoolClass, Student
from xieyu.directory.roster.format import id_check_digit

pytestmark = pytest.mark.once

PARENTS = ["father", "mother"]
GRANDPARENTS = ["grandfather", "grandmother", "maternal_grandfather", "maternal_grandmother"]


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Region, School, SchoolClass, Student, Guardian, Guardianship, User, Membership, AuditEvent]
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture
def seeded(db):
    return seed(schools=4, students=400)


def test_a_tiny_county_has_the_cast_and_the_bulk(seeded):
    assert "Demo county ready" in seeded
    county = Region.objects.get(code=COUNTY_CODE)
    assert county.name == "全南县"
    assert all(User.objects.filter(phone=phone, name=name).exists() for phone, name, _ in PEOPLE.values())
    assert county.schools.count() == 2 + 4
    assert Student.objects.count() == 7 + 400  # the cast's seven children, then the generated ones
    assert Guardian.objects.count() > 400
    # Every generated class has a head teacher, every generated school an admin.
    assert not SchoolClass.objects.exclude(membership__role=Role.HEAD_TEACHER).exists()
    assert not School.objects.exclude(membership__role=Role.SCHOOL_ADMIN).exists()


def test_a_second_run_changes_nothing(seeded):
    before = counts()
    out = seed(schools=4, students=400)
    assert "already exists" in out
    assert DEMO_PASSWORD not in out  # `serve` prints the logins; a re-run only says nothing changed
    assert counts() == before


def test_it_refuses_outside_demo_and_debug(db, settings):
    settings.DEMO_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="XIEYU_DEMO"):
        seed(schools=1, students=10)
    assert not Region.objects.exists()


def test_left_behind_children_are_cared_for_by_grandparents_only(seeded):
    parent_at_home = Guardianship.objects.filter(
        student=OuterRef("pk"), relationship__in=PARENTS, lives_with_child=True
    )
    grandparent_carer = Guardianship.objects.filter(
        student=OuterRef("pk"), relationship__in=GRANDPARENTS, lives_with_child=True, is_primary_carer=True
    )
    left_behind = Student.objects.filter(Exists(grandparent_carer), ~Exists(parent_at_home))
    assert left_behind.count() > 30  # about a fifth of 400
    assert Guardianship.objects.filter(student__in=left_behind, relationship__in=PARENTS, lives_with_child=False)


def test_households_have_one_to_three_guardians_with_phones_joins_and_gaps(seeded):
    per_student = Student.objects.annotate(n=Count("guardianships")).values_list("n", flat=True)
    assert set(per_student) - {0} <= {1, 2, 3}
    bulk = Guardian.objects.filter(phone__startswith="139") | Guardian.objects.filter(phone=None)
    assert Guardian.objects.filter(phone=None).exists()  # reached by print and home visits
    joined = bulk.exclude(user=None)
    assert 0.5 < joined.count() / bulk.exclude(phone=None).count() < 0.9
    some = joined.select_related("user").first()
    assert some.user.phone == some.phone and some.user.check_password(DEMO_PASSWORD)
    # Generated numbers keep to their own range, clear of the cast's.
    others = Guardian.objects.exclude(phone=None).exclude(phone__startswith="139")
    assert all(phone.startswith("13800") for phone in others.values_list("phone", flat=True))


def test_children_are_as_old_as_their_grade_and_numbers_are_valid(seeded):
    year = school_year_start(timezone.localdate())
    students = Student.objects.select_related("school_class__grade")
    generated = [s for s in students if int(s.student_number[15:18]) >= 100]  # the cast's run 001, 002 …
    assert len(generated) == 400
    for s in generated:
        level = s.school_class.grade.level
        assert datetime.date(year - 6 - level, 9, 1) <= s.birth_date <= datetime.date(year - 5 - level, 8, 31)
        first17 = s.student_number[1:18]
        assert s.student_number == f"G{first17}{id_check_digit(first17)}"
        assert first17[6:14] == f"{s.birth_date:%Y%m%d}"
        assert int(first17[16]) % 2 == (1 if s.gender == "M" else 0)
    numbers = list(Student.objects.values_list("student_number", flat=True))
    assert len(numbers) == len(set(numbers))
