"""Demo data: the care registry (建档立卡).

刘小宇 (城厢小学 三年级1班) is registered as left behind by both parents (they work in 广东省东莞市 since March
2021), with his grandmother 赵秀英 as the entrusted carer, living in 龙下乡雅溪村; the facts come from the school
survey and 妇联; one review was done last semester and one is open. Through the services, like a real entry.

Then a few hundred of the generated left-behind households (about one in sixteen, whatever the scale) go in
directly, as made-up demo rows without audit rows: a mix of categories and carer types, some proposals awaiting the
school admin, reviews open on the deadline engine (some overdue), carer surveys for about half. Bulk inserts, a
handful of queries per thousand rows; skipped when the county has no generated schools (small test seeds).
Deterministic: one seeded random.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from xieyu.accounts.models import Membership, Role
from xieyu.care.models import (
    AbsentParent,
    CarerSurvey,
    RegistryCategory,
    RegistryChange,
    RegistryEntry,
    RegistryReview,
)
from xieyu.care.registry import services
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_prepare, policy_get
from xieyu.deadlines.workcalendar import calendar_for
from xieyu.directory.models import Community, Guardianship, Relationship, School, Student

from .personas import Cast

SEED = 20260310
SHARE = 1 / 4  # of the generated left-behind households (enough that most schools show counts of 5 or more)
CHUNK = 500
VILLAGES = ["上村", "下村", "新村", "东坑村", "西坑村", "塘背村", "石门村", "高峰村", "大岭村", "水口村"]
GRANDPARENTS = {
    Relationship.GRANDFATHER,
    Relationship.GRANDMOTHER,
    Relationship.MATERNAL_GRANDFATHER,
    Relationship.MATERNAL_GRANDMOTHER,
}


def previous_semester_end(today: datetime.date) -> datetime.date:
    """The last day of the semester before today's."""
    end = services.semester_end(today)
    return services.semester_end(end.replace(day=1) - datetime.timedelta(days=200))


@transaction.atomic
def seed_registry(cast: Cast) -> None:
    if RegistryEntry.objects.filter(county=cast.county).exists():
        return
    _seed_liu_xiaoyu(cast)
    _seed_bulk(cast)


def _seed_liu_xiaoyu(cast: Cast) -> None:
    liu = cast.students["liu_xiaoyu"]
    today = timezone.localdate()
    last_end = previous_semester_end(today)
    noted = last_end - datetime.timedelta(days=120)
    village = Community.objects.filter(county=cast.county, name="龙下乡雅溪村").first()
    entry = services.entry_propose(
        actor=cast.head_teacher_li,
        student=liu,
        categories=[
            {
                "category": "left_behind_both",
                "source": "school_survey",
                "noted_on": noted,
                "detail": "父母自 2021 年 3 月起在广东省东莞市务工,春节回家",
            },
        ],  # fmt: skip
        carer={
            "carer_name": "赵秀英",
            "carer_relationship": "奶奶",
            "carer_type": "grandparent",
            "carer_phone": "13800000032",
            "carer_source": "women_federation",
            "carer_noted_on": noted,
        },  # fmt: skip
        village="龙下乡雅溪村",
        community=village,
        absent_parents=[
            {
                "who": "father",
                "name": "刘军",
                "phone": "13800001032",
                "works_in": "广东省东莞市",
                "away_since": datetime.date(2021, 3, 1),
                "source": "school_survey",
                "noted_on": noted,
            },
            {
                "who": "mother",
                "name": "陈梅",
                "phone": "13800001033",
                "works_in": "广东省东莞市",
                "away_since": datetime.date(2021, 3, 1),
                "source": "school_survey",
                "noted_on": noted,
            },
        ],  # fmt: skip
        note="学期初留守儿童摸排",
    )
    # Registered last semester: its review then was done; the open one is due at the end of this semester.
    services.entry_confirm(actor=cast.school_admin_liu, entry=entry, note="摸排属实")
    done_at = timezone.make_aware(datetime.datetime.combine(last_end - datetime.timedelta(days=20), datetime.time(15)))
    RegistryReview.objects.create(
        entry=entry, due_on=last_end, done_at=done_at, done_by=cast.head_teacher_li,
        note="家访:奶奶身体尚好,孩子作业能按时完成;每周和父母视频一次,想念妈妈。", created_at=done_at,
    )  # fmt: skip
    CarerSurvey.objects.create(
        entry=entry, needs=["study", "parent_contact", "screen"], parent_contact="weekly", carer_age=67,
        carer_reads=True, note="希望学会辅导作业,也想知道孩子玩手机怎么管", recorded_by=cast.partner_wu,
        answered_at=done_at,
    )  # fmt: skip


def _carer_type(relationship: str) -> str:
    if relationship in GRANDPARENTS:
        return "grandparent"
    if relationship in (Relationship.FATHER, Relationship.MOTHER):
        return "parent"
    return "relative"


def _seed_bulk(cast: Cast) -> None:
    cast_schools = (cast.school_a.pk, cast.school_b.pk)
    if not School.objects.filter(county=cast.county).exclude(pk__in=cast_schools).exists():
        return
    rng = random.Random(SEED)
    today = timezone.localdate()
    now = timezone.now()
    named = {s.pk for s in cast.students.values()}
    away: dict[int, list[tuple[str, str, str | None]]] = defaultdict(list)
    rows = (
        Guardianship.objects.filter(
            student__school__county=cast.county, status=Guardianship.Status.CONFIRMED, lives_with_child=False,
            relationship__in=[Relationship.FATHER, Relationship.MOTHER], student__status=Student.Status.ENROLLED,
        )
        .order_by("student_id", "relationship")
        .values_list("student_id", "relationship", "guardian__name", "guardian__phone")
    )  # fmt: skip
    for student_id, relationship, name, phone in rows:
        if student_id not in named:
            away[student_id].append((relationship, name, phone))
    chosen = sorted(sid for sid in away if rng.random() < SHARE)
    if not chosen:
        return
    students: dict[int, tuple[int, int | None, str]] = {}
    carers: dict[int, tuple[str, str, str | None]] = {}
    for i in range(0, len(chosen), CHUNK):
        ids = chosen[i : i + CHUNK]
        for pk, school_pk, class_pk, address in Student.objects.filter(pk__in=ids).values_list(
            "pk", "school_id", "school_class_id", "school__address"
        ):
            students[pk] = (school_pk, class_pk, address.removeprefix("全南县"))
        for student_id, relationship, name, phone in (
            Guardianship.objects.filter(student__in=ids, lives_with_child=True, status=Guardianship.Status.CONFIRMED)
            .order_by("student_id", "-is_primary_carer", "pk")
            .values_list("student_id", "relationship", "guardian__name", "guardian__phone")
        ):
            carers.setdefault(student_id, (relationship, name, phone))
    head_teachers = dict(
        Membership.objects.filter(role=Role.HEAD_TEACHER, school_class__school__county=cast.county, is_active=True)
        .order_by("-pk")
        .values_list("school_class_id", "user_id")
    )
    last_end, this_end = previous_semester_end(today), services.semester_end(today)

    entries, plans = [], []
    for sid in chosen:
        school_id, class_id, town = students[sid]
        parents = away[sid]
        carer = carers.get(sid)
        proposed = rng.random() < 0.15
        state = RegistryEntry.State.PROPOSED if proposed else RegistryEntry.State.CONFIRMED
        overdue = not proposed and rng.random() < 0.15
        noted = last_end - datetime.timedelta(days=rng.randint(10, 150))
        entry = RegistryEntry(
            student_id=sid, county_id=cast.county.pk, school_id=school_id, state=state,
            village=f"{town}{rng.choice(VILLAGES)}",
            carer_name=carer[1] if carer else "", carer_phone=(carer[2] or "") if carer else "",
            carer_relationship=str(Relationship(carer[0]).label) if carer else "",
            carer_type=_carer_type(carer[0]) if carer else "none",
            carer_source="school_survey", carer_noted_on=noted,
            proposed_at=now - datetime.timedelta(days=rng.randint(1, 20) if proposed else 200),
            decided_at=None if proposed else now - datetime.timedelta(days=180),
            next_review_on=None if proposed else (last_end if overdue else this_end),
        )  # fmt: skip
        entries.append(entry)
        plans.append((parents, proposed, overdue, noted, class_id))
    RegistryEntry.objects.bulk_create(entries, batch_size=CHUNK)
    if entries[0].pk is None:  # a database that does not return the new keys
        by_student = dict(RegistryEntry.objects.filter(student__in=chosen).values_list("student_id", "pk"))
        for e in entries:
            e.pk = by_student[e.student_id]  # type: ignore[assignment]

    categories, parents_rows, changes, reviews, surveys = [], [], [], [], []
    extra = [("hardship_economic", 0.12, "civil_affairs", "低保家庭"), ("divorced_single", 0.06, "women_federation", ""),
             ("disability", 0.03, "school_survey", "听力残疾"), ("behaviour", 0.03, "head_teacher", "经常逃课"),
             ("hardship_illness", 0.04, "civil_affairs", "奶奶长期患病")]  # fmt: skip
    for entry, (parents, proposed, overdue, noted, _class_id) in zip(entries, plans, strict=True):
        both = len(parents) >= 2
        categories.append(RegistryCategory(
            entry=entry, category="left_behind_both" if both else "left_behind_one",
            detail="父母在外务工" if both else "父亲或母亲在外务工", source="school_survey", noted_on=noted,
        ))  # fmt: skip
        for category, share, source, detail in extra:
            if rng.random() < share:
                categories.append(
                    RegistryCategory(entry=entry, category=category, source=source, detail=detail, noted_on=noted)
                )
        for relationship, name, phone in parents:
            parents_rows.append(AbsentParent(
                entry=entry, who=relationship, name=name, phone=phone or "",
                works_in=rng.choice(["广东省东莞市", "广东省深圳市", "广东省佛山市", "浙江省义乌市", "福建省厦门市"]),
                away_since=datetime.date(rng.randint(2016, 2024), rng.randint(1, 12), 1), source="school_survey",
                noted_on=noted,
            ))  # fmt: skip
        changes.append(RegistryChange(entry=entry, at=entry.proposed_at, actor_role="head_teacher", action="propose",
                                      reason="学期初留守儿童摸排"))  # fmt: skip
        if proposed:
            continue
        changes.append(RegistryChange(entry=entry, at=now - datetime.timedelta(days=180), actor_role="school_admin",
                                      action="confirm",
                                      reason="摸排属实"))  # fmt: skip
        if not overdue:
            done = timezone.make_aware(datetime.datetime.combine(last_end - datetime.timedelta(days=15),
                                                                 datetime.time(16)))  # fmt: skip
            reviews.append(RegistryReview(entry=entry, due_on=last_end, done_at=done, note="电话回访,情况稳定。",
                                          created_at=done))  # fmt: skip
        reviews.append(RegistryReview(entry=entry, due_on=last_end if overdue else this_end))
        if rng.random() < 0.5:
            needs = rng.sample(["study", "feelings", "safety", "health", "parent_contact", "screen", "policy"],
                               rng.randint(1, 3))  # fmt: skip
            surveys.append(CarerSurvey(
                entry=entry, needs=needs, parent_contact=rng.choice(["daily", "weekly", "weekly", "monthly", "rarely"]),
                carer_age=rng.randint(45, 80), carer_reads=rng.random() < 0.7, answered_at=now - datetime.timedelta(
                    days=rng.randint(5, 120)),
            ))  # fmt: skip
    RegistryCategory.objects.bulk_create(categories, batch_size=CHUNK)
    AbsentParent.objects.bulk_create(parents_rows, batch_size=CHUNK)
    RegistryChange.objects.bulk_create(changes, batch_size=CHUNK)
    RegistryReview.objects.bulk_create(reviews, batch_size=CHUNK)
    CarerSurvey.objects.bulk_create(surveys, batch_size=CHUNK)
    _review_deadlines(cast, entries, plans, head_teachers, now)


def _review_deadlines(cast: Cast, entries, plans, head_teachers, now) -> None:
    """The open reviews' clocks, computed as deadline_start computes them (one calendar, one policy) and inserted
    in bulk; the overdue ones escalate at the scheduler's next sweep."""
    policy = policy_get(services.REVIEW_POLICY)
    cal = calendar_for(cast.county.pk)
    class_of = {e.pk: class_id for e, (*_rest, class_id) in zip(entries, plans, strict=True)}
    school_of = {e.pk: e.school_id for e in entries}
    open_reviews = RegistryReview.objects.filter(entry__in=[e.pk for e in entries], done_at__isnull=True).values_list(
        "pk", "entry_id", "due_on"
    )
    deadlines = []
    label = RegistryReview._meta.label_lower
    starts: dict[datetime.date, datetime.datetime] = {}
    for review_id, entry_id, due_on in open_reviews:
        if due_on not in starts:
            starts[due_on] = services.review_clock_start(cal, policy, due_on)
        d = Deadline(
            target_type=label, target_id=str(review_id), title="建档回访", county_id=cast.county.pk,
            school_id=school_of[entry_id], school_class_id=class_of[entry_id],
            owner_id=head_teachers.get(class_of[entry_id]), policy=policy, targets=policy.targets(),
            started_at=starts[due_on],
        )  # fmt: skip
        deadlines.append(deadline_prepare(d, cal, now))
    Deadline.objects.bulk_create(deadlines, batch_size=CHUNK)
