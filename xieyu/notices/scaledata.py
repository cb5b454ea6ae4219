"""A synthetic county of N guardians, written with bulk inserts, for the fan-out benchmark and crash test.

    python -m xieyu.notices.scaledata --guardians 50000 [--send]   (against XIEYU_DATABASE_URL)

Shape: one student per 1.25 guardians; every student has a primary guardian, a fifth of them a second one,
and 4 % of guardians care for two children (one delivery each, not two). About one guardian in ten has no
phone. Noise the fan-out must skip: guardians whose only link is still pending, and a class of students who
transferred out. Never run against a real county's database: it refuses when the county code exists.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys

COUNTY_CODE = "999901"


def build(guardians: int = 50_000, *, classes_per_school: int = 12, class_size: int = 50) -> dict:
    """Create the county; returns {"county": id, "admin": user id, "expected": guardians in the audience}."""
    from django.db import transaction

    from xieyu.accounts.models import Role
    from xieyu.accounts.services import membership_grant, user_create
    from xieyu.directory.models import Grade, Guardian, Guardianship, Region, School, SchoolClass, Student

    if Region.objects.filter(code=COUNTY_CODE).exists():
        raise SystemExit("the synthetic county already exists in this database")
    twins = guardians // 25  # guardians with two children
    seconds = guardians // 5  # second guardians
    primaries = guardians - seconds - twins
    students = primaries + 2 * twins
    per_school = classes_per_school * class_size
    school_count = -(-students // per_school) + 1  # one more school for the transferred-out class
    birth = datetime.date(2016, 1, 1)
    with transaction.atomic():
        county = Region.objects.create(name="压测县", level=Region.Level.COUNTY, code=COUNTY_CODE)
        schools = School.objects.bulk_create(
            [
                School(county=county, name=f"压测小学{i:03d}", kind=School.Kind.PRIMARY, code=f"{COUNTY_CODE}{i:04d}")
                for i in range(school_count)
            ]
        )
        grades = Grade.objects.bulk_create(
            [
                Grade(school=s, name=f"{level}年级", level=level, stage="primary_upper")
                for s in schools
                for level in (3, 4)
            ]
        )
        by_school: dict[int, list[Grade]] = {}
        for g in grades:
            by_school.setdefault(g.school_id, []).append(g)
        class_rows = []
        for s in schools:
            for c in range(classes_per_school):
                grade = by_school[s.pk][c % 2]
                class_rows.append(
                    SchoolClass(school=s, grade=grade, name=f"{c + 1}班", join_code=f"Z{s.pk:04d}{c:03d}")
                )
        all_classes = SchoolClass.objects.bulk_create(class_rows, batch_size=2000)
        student_rows = []
        for i in range(students):
            sc = all_classes[i // class_size]
            student_rows.append(
                Student(name=f"学生{i}", gender="M" if i % 2 else "F", birth_date=birth, student_number=f"S{i:08d}",
                        school_id=sc.school_id, school_class=sc)
            )  # fmt: skip
        # Noise: one class of students who transferred out (with guardians of their own).
        gone_class = all_classes[-1]
        gone = [
            Student(name=f"转出{i}", gender="F", birth_date=birth, student_number=f"T{i:08d}", school_id=gone_class.school_id,
                    school_class=gone_class, status=Student.Status.TRANSFERRED)
            for i in range(class_size)
        ]  # fmt: skip
        all_students = Student.objects.bulk_create(student_rows + gone, batch_size=2000)
        kids, gone_kids = all_students[:students], all_students[students:]

        def phone(n: int) -> str | None:
            return None if n % 10 == 7 else f"15{n:09d}"

        noise = len(gone_kids) + 500
        guardian_rows = [Guardian(name=f"家长{n}", phone=phone(n)) for n in range(guardians + noise)]
        all_guardians = Guardian.objects.bulk_create(guardian_rows, batch_size=2000)
        links = []
        confirmed, pending = Guardianship.Status.CONFIRMED, Guardianship.Status.PENDING
        for i in range(primaries):
            links.append(
                Guardianship(student=kids[i], guardian=all_guardians[i], relationship="mother", status=confirmed)
            )
        for j in range(seconds):
            links.append(
                Guardianship(student=kids[j % primaries], guardian=all_guardians[primaries + j], relationship="father",
                             status=confirmed)
            )  # fmt: skip
        for t in range(twins):
            twin_guardian = all_guardians[primaries + seconds + t]
            for k in (primaries + 2 * t, primaries + 2 * t + 1):
                links.append(
                    Guardianship(student=kids[k], guardian=twin_guardian, relationship="grandmother", status=confirmed)
                )
        for n, kid in enumerate(gone_kids):
            links.append(
                Guardianship(
                    student=kid, guardian=all_guardians[guardians + n], relationship="mother", status=confirmed
                )
            )
        for n in range(500):
            links.append(
                Guardianship(student=kids[n], guardian=all_guardians[guardians + len(gone_kids) + n], relationship="other",
                             status=pending)
            )  # fmt: skip
        Guardianship.objects.bulk_create(links, batch_size=2000)
        admin = user_create(actor=None, phone="19999990001", name="压测管理员")
        membership_grant(actor=None, user=admin, role=Role.COUNTY_ADMIN, unit=county)
    return {"county": county.pk, "admin": admin.pk, "expected": guardians}


def send(county_id: int, admin_id: int) -> int:
    """A county-wide notice; the fan-out job is queued with it."""
    from xieyu.accounts.models import User

    from .audience import Audience
    from .services import notice_create

    notice = notice_create(
        actor=User.objects.get(pk=admin_id),
        title="全县家长告知书",
        body="请各位家长关注孩子假期安全。",
        receipt_mode="confirm",
        audience=Audience(counties=[county_id]),
    )
    return notice.pk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guardians", type=int, default=50_000)
    parser.add_argument("--send", action="store_true", help="also queue a county-wide notice")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xieyu.settings")
    import django

    django.setup()
    out = build(args.guardians)
    if args.send:
        out["notice"] = send(out["county"], out["admin"])
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
