"""A whole county's worth of students (30,000 rows) through the real worker: checked, then imported at once."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xieyu.directory.models import Guardian, Guardianship, RosterImport, Student
from xieyu.directory.services import class_create

from .roster_files import excel_like_xlsx, number, row

pytestmark = pytest.mark.once("postgresql")

ROWS = 30_000
FIRST_DAY = datetime.date(2010, 1, 1)  # the numbers' birth dates: a thousand a day, clear of the cast's
PREFIX = "G36072920100"


def _roster(grade_names: dict[int, str]) -> list[list]:
    rows = []
    for i in range(ROWS):
        level = i % 6 + 1
        sibling = i - i % 2  # every two children share a father (brothers and sisters)
        rows.append(
            row(
                number(f"{FIRST_DAY + datetime.timedelta(days=i // 1000):%Y%m%d}", i % 1000),
                f"学生{i}",
                grade=grade_names[level],
                school_class=f"{i // 6 % 10 + 1}班",
                gender="男" if i % 2 else "女",
                born=f"{2011 + 6 - level}-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                guardians=[
                    ("父亲" + str(sibling), f"139{sibling:08d}", "父亲", "是", "是"),
                    ("母亲" + str(i), f"137{i:08d}", "母亲", "否", "否" if i % 5 == 0 else "是"),
                ],
            )
        )
    return rows


def test_thirty_thousand_rows_are_checked_and_imported_by_the_worker(cast, client_for, run_tasks):
    started = time.monotonic()
    school = cast.school_a
    grades = {g.level: g for g in school.grades.all()}
    for level, grade in grades.items():
        for k in range(1, 11):
            if not (level == 3 and k <= 2):  # 三年级1班 and 2班 exist already
                class_create(actor=None, grade=grade, name=f"{k}班")
    data = excel_like_xlsx(_roster({level: g.name for level, g in grades.items()}))
    students_before, guardians_before = Student.objects.count(), Guardian.objects.count()

    client = client_for("school_admin_liu")
    response = client.post(
        reverse("directory:roster_upload", args=[school.pk]), {"file": SimpleUploadedFile("全县.xlsx", data)}
    )
    assert response.status_code == 302
    imp = RosterImport.objects.get(pk=int(re.search(r"/imports/(\d+)/", response["Location"])[1]))
    assert imp.total_rows == ROWS  # the estimate shown while the worker has not started

    run_tasks()
    imp.refresh_from_db()
    assert imp.status == RosterImport.Status.VALID, imp.errors[:5]
    assert imp.summary["students_new"] == ROWS and imp.summary["guardians_new"] == ROWS + ROWS // 2
    assert Student.objects.count() == students_before  # checking changes nothing

    response = client.post(reverse("directory:import_commit", args=[imp.pk]))
    assert response.status_code == 302
    run_tasks()
    imp.refresh_from_db()
    assert imp.status == RosterImport.Status.DONE, imp.message
    assert Student.objects.count() - students_before == ROWS
    assert Student.objects.filter(school=school, student_number__startswith=PREFIX).count() == ROWS
    assert Guardian.objects.count() - guardians_before == ROWS + ROWS // 2
    assert Guardianship.objects.filter(student__student_number__startswith=PREFIX).count() == 2 * ROWS
    total = time.monotonic() - started
    print(
        f"\n30,000 rows: validate {imp.validate_seconds:.1f} s, commit {imp.commit_seconds:.1f} s, "
        f"whole test {total:.1f} s"
    )
