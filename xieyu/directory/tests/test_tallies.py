"""The county admin's home reads each school's tally, not its students: every write that changes a school's counts
(a student added, moved or leaving, a guardian joining, a guardianship confirmed, a roster import) shows on the
page at once, the tally always equals a direct count, and the page costs the same queries however many students."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieyu.accounts.services import user_create
from xieyu.directory import access
from xieyu.directory.models import Guardianship, School, SchoolTally, Student
from xieyu.directory.services import (
    guardian_for_phone,
    guardian_link_user,
    guardianship_add,
    guardianship_decide,
    student_create,
    student_transfer,
)
from xieyu.directory.tallies import tallies_refresh_all

from .roster_files import xlsx
from .test_roster import THREE_CHILDREN, commit, upload_and_check

pytestmark = pytest.mark.django_db


def _counts(client) -> tuple[int, int]:
    html = client.get("/").content.decode()
    found = {k: int(re.search(rf'data-count="{k}"[^>]*>\s*<strong>(\d+)</strong>', html)[1]) for k in ("students", "joined")}
    return found["students"], found["joined"]


def _direct(school: School) -> tuple[int, int, int]:
    t = access.school_totals(school)
    return t["students"], t["joined"], t["no_phone"]


def _tally(school: School) -> tuple[int, int, int]:
    t = SchoolTally.objects.get(school=school)
    return t.students, t.joined, t.no_phone


def test_every_write_shows_on_the_county_home_at_once(cast, client_for, run_tasks):
    chen = client_for("county_admin_chen")
    students, joined = _counts(chen)
    child = student_create(actor=cast.school_admin_liu, school_class=cast.class_a1, name="陈小新", gender="F",
                           birth_date=datetime.date(2017, 3, 1), student_number="G3607290000001")  # fmt: skip
    assert _counts(chen) == (students + 1, joined)

    guardian = guardian_for_phone(name="陈妈妈", phone="13900000077")
    link = guardianship_add(actor=cast.school_admin_liu, student=child, guardian=guardian, relationship="mother",
                            status=Guardianship.Status.PENDING)  # fmt: skip
    mum = user_create(actor=None, phone="13900000077", name="陈妈妈", password="Demo2026xy")
    guardian_link_user(actor=mum, user=mum)
    assert _counts(chen) == (students + 1, joined)  # her link is not confirmed yet
    guardianship_decide(actor=cast.head_teacher_li, guardianship=link, confirm=True)
    assert _counts(chen) == (students + 1, joined + 1)

    student_transfer(actor=cast.school_admin_liu, student=child, to_class=cast.class_b1)
    assert _tally(cast.school_a) == _direct(cast.school_a) and _tally(cast.school_b) == _direct(cast.school_b)
    student_transfer(actor=cast.school_admin_wang, student=child, to_class=None)  # leaves the county's schools
    assert _counts(chen) == (students, joined)

    imp = upload_and_check(client_for("school_admin_liu"), cast.school_a, xlsx(THREE_CHILDREN), run_tasks)
    commit(client_for("school_admin_liu"), imp, run_tasks)
    assert _counts(chen)[0] == students + 3  # the import's bulk writes recounted the school
    for school in School.objects.all():
        assert _tally(school) == _direct(school)


def test_the_nightly_recount_puts_right_what_a_bulk_write_skipped(cast):
    Student.objects.bulk_create([
        Student(name=f"批量{i}", gender="M", birth_date=datetime.date(2016, 1, 1), student_number=f"G36072900001{i:02d}",
                school=cast.school_b, school_class=cast.class_b1, status=Student.Status.ENROLLED)
        for i in range(3)
    ])  # fmt: skip
    assert _tally(cast.school_b) != _direct(cast.school_b)
    tallies_refresh_all()
    assert _tally(cast.school_b) == _direct(cast.school_b)


def test_the_county_home_costs_the_same_queries_for_more_students(cast, client_for):
    chen = client_for("county_admin_chen")
    chen.get("/")
    with CaptureQueriesContext(connection) as few:
        chen.get("/")
    for i in range(30):
        student_create(actor=cast.school_admin_liu, school_class=cast.class_a2, name=f"加测{i}", gender="M",
                       birth_date=datetime.date(2016, 5, 1), student_number=f"G36072900002{i:02d}")  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        chen.get("/")
    assert len(many) == len(few)
    assert not any("directory_student" in q["sql"] for q in many.captured_queries)  # tallies, not students
