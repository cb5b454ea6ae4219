"""The demo county's bulk: about 40 schools, 30,000 students and 50,000 guardians for each unit of scale.

`seed_demo` calls `create_cast()` (the named personas) and then `seed_bulk()` here, in one transaction, so the
county either exists whole or not at all. The bulk is made-up, plausible and deterministic (one seeded random
generator): schools named after the county's towns, grades by school type, classes of 40–45, children whose
birth dates match their grade, households of one to three guardians, about a fifth of them left-behind
(parents away, a grandparent the primary carer at home), some guardians without a phone, most of the others
joined (a user account linked to their guardian record).

Speed over ceremony: rows go in with `bulk_create`, every joined guardian shares one precomputed password hash,
and no per-row audit events are written. The audit log records what real people do to real children's records;
generated demo rows are neither, and a county's worth of audit rows would only slow the seeding down.

The cast's two schools grow with the scale (a big town-centre school at scale 10), so the pages the benchmarks
count queries on are really larger in the large database.
"""

from __future__ import annotations

import datetime
import random
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from xieyu.accounts.models import Membership, Role, User
from xieyu.directory.models import (
    ClassHistory,
    Grade,
    Guardian,
    Guardianship,
    Relationship,
    School,
    SchoolClass,
    Student,
)
from xieyu.directory.roster.format import national_student_number
from xieyu.directory.services import school_create
from xieyu.directory.tallies import tallies_refresh

from .awards import seed_awards
from .awards_votes import EXTRA_LOGINS, seed_awards_votes
from .burden import seed_burden
from .care import seed_care
from .committees import seed_committees
from .dashboard import seed_dashboard
from .evaluation import seed_evaluation
from .gaokao_cases import seed_gaokao_cases
from .leadership import seed_leadership
from .parentschool import seed_parent_schools
from .personas import COUNTY_CODE, DEMO_PASSWORD, PEOPLE, TOWNS, Cast, create_cast
from .publicity import seed_publicity
from .questions import seed_questions
from .surveys import seed_surveys
from .teams_communities import seed_teams_communities
from .teams_dispatch import seed_teams_dispatch
from .teams_hours import seed_teams_hours
from .teams_members import seed_teams_members
from .teams_talent import seed_teams_talent
from .venues import seed_venues

SCHOOLS_PER_SCALE = 40
STUDENTS_PER_SCALE = 30_000
SEED = 360729
CLASS_SIZE = (40, 45)
CHUNK_HOUSEHOLDS = 2_000
BATCH = 1_000

# Village names are made from these halves (江头, 上坪, 石坑 …).
VILLAGE_HEADS = "上下大小新老江河石竹桃茶龙金长高黄樟"
VILLAGE_TAILS = ["坑", "岭", "坪", "塘", "坝", "田", "口", "溪", "湾", "埠", "岗", "背", "圩", "头", "水", "陂"]

# Common surnames of the Hakka south of Jiangxi, roughly weighted.
SURNAMES = {
    "刘": 9, "陈": 8, "李": 7, "黄": 7, "钟": 6, "曾": 6, "王": 5, "张": 5, "赖": 5, "谢": 4, "廖": 4,
    "温": 3, "邱": 3, "罗": 3, "朱": 3, "杨": 3, "林": 3, "郭": 2, "何": 2, "肖": 2, "吴": 2, "徐": 2,
    "胡": 2, "叶": 2, "彭": 2, "蓝": 1, "卢": 1, "邓": 1, "欧阳": 1, "巫": 1, "潘": 1, "江": 1,
}  # fmt: skip
# Characters for two-character given names, by generation and gender.
GIVEN = {
    ("child", "M"): "子浩宇轩梓俊博文辰睿泽思晨逸皓奕铭嘉明杰锦航然阳豪鑫承宏安乐毅",
    ("child", "F"): "欣怡梓涵诗雨可馨思语佳琪萱悦彤若依婉晴雅心妍梦瑶紫嘉蕊芷沐",
    ("parent", "M"): "建伟志国华军明勇强辉海平斌东文俊林峰春荣德金发永新红小",
    ("parent", "F"): "丽芳红梅燕霞玲娟秀琴英兰萍敏静婷慧艳桂云凤丹小春晓",
    ("elder", "M"): "德福贵生发明荣才富根水金春林有元财长寿兴",
    ("elder", "F"): "秀桂英兰凤玉珍莲花娣春梅招香菊娇冬银",
}


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    kind: str
    code: str
    town: str
    size: float  # relative size of each grade


@dataclass
class Seat:
    class_id: int
    school_id: int
    level: int


@dataclass
class Stats:
    schools: int = 0
    classes: int = 0
    students: int = 0
    guardians: int = 0
    guardians_without_phone: int = 0
    joined: int = 0
    left_behind_households: int = 0
    households: int = 0
    staff: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def school_year_start(today: datetime.date) -> int:
    """The calendar year in which the current school year began (1 September)."""
    return today.year if today.month >= 9 else today.year - 1


def birth_date_for(level: int, school_year: int, rng: random.Random) -> datetime.date:
    """Children start 一年级 (level 1) at six by 31 August; kindergarten levels -2..0 follow the same rule."""
    start = datetime.date(school_year - 6 - level, 9, 1)
    return start + datetime.timedelta(days=rng.randrange(365))


class PhoneBook:
    """Unique, scattered-looking mobile numbers in one prefix range (a bijection of a counter)."""

    def __init__(self, prefix: str, taken: set[str]):
        self.prefix, self.taken, self.n = prefix, taken, 0

    def next(self) -> str:
        while True:
            self.n += 1
            phone = f"{self.prefix}{(self.n * 37_654_321 + 4_311_337) % 10**8:08d}"
            if phone not in self.taken:
                return phone


class Names:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.surnames, self.weights = list(SURNAMES), list(SURNAMES.values())

    def surname(self) -> str:
        return self.rng.choices(self.surnames, self.weights)[0]

    def given(self, generation: str, gender: str) -> str:
        return "".join(self.rng.sample(GIVEN[(generation, gender)], 2))


def school_specs(n: int, rng: random.Random) -> list[SchoolSpec]:
    """n schools over the towns: for each 40, 22 primary, 8 kindergartens, 8 junior, 2 nine-year schools."""
    pattern = "PKPJPKPJPNPKPJPKPJPP"
    kinds = {
        "P": School.Kind.PRIMARY,
        "K": School.Kind.KINDERGARTEN,
        "J": School.Kind.JUNIOR,
        "N": School.Kind.NINE_YEAR,
    }
    villages = {town: [h + t for h in VILLAGE_HEADS for t in VILLAGE_TAILS] for town in TOWNS}
    for names in villages.values():
        rng.shuffle(names)
    seen: Counter[str] = Counter()
    specs = []
    for i in range(n):
        kind = kinds[pattern[i % len(pattern)]]
        town = TOWNS[seen[kind] % len(TOWNS)]
        centre = seen[kind] < len(TOWNS)
        seen[kind] += 1
        place = f"{town}中心" if centre else town + villages[town].pop()
        name = {
            School.Kind.PRIMARY: f"全南县{place}小学",
            School.Kind.KINDERGARTEN: f"全南县{place}幼儿园",
            School.Kind.JUNIOR: f"全南县{town[:-1]}中学" if centre else f"全南县{place}初级中学",
            School.Kind.NINE_YEAR: f"全南县{place}九年一贯制学校",
        }[kind]
        size = (3.0 if town == TOWNS[0] else 2.0) if centre else rng.uniform(0.5, 1.3)
        specs.append(SchoolSpec(name=name, kind=kind, code=f"360729{5000 + i}", town=town, size=size))
    return specs


GRADE_WEIGHT: dict[str, float] = {
    School.Kind.KINDERGARTEN: 0.7,
    School.Kind.PRIMARY: 1.0,
    School.Kind.JUNIOR: 1.2,
    School.Kind.NINE_YEAR: 0.5,
}


def allocate(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split total into integer parts proportional to weights (largest remainder), each at least minimum."""
    if not weights:
        return []
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest <= 0:
        return base
    w = sum(weights)
    exact = [rest * x / w for x in weights]
    parts = [int(e) for e in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [b + p for b, p in zip(base, parts, strict=True)]


def class_sizes(n_classes: int, n_students: int, rng: random.Random) -> list[int]:
    sizes = [rng.randint(*CLASS_SIZE) for _ in range(n_classes)]
    diff = n_students - sum(sizes)
    i = 0
    while diff and n_classes:
        step = 1 if diff > 0 else -1
        if sizes[i % n_classes] + step >= 1:
            sizes[i % n_classes] += step
            diff -= step
        i += 1
    return sizes


def join_codes(rng: random.Random, taken: set[str]) -> Iterator[str]:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        code = "".join(rng.choice(alphabet) for _ in range(8))
        if code not in taken:
            taken.add(code)
            yield code


def household_plan(rng: random.Random) -> tuple[bool, list[tuple[Relationship, bool, bool]]]:
    """(left behind?, [(relationship, lives with the child, primary carer)]): one to three guardians."""
    r = rng.random()
    grandma, grandpa = Relationship.GRANDMOTHER, Relationship.GRANDFATHER
    father, mother = Relationship.FATHER, Relationship.MOTHER
    if rng.random() < 0.20:  # left behind: parents work away, grandparents care for the child at home
        if r < 0.45:
            return True, [(grandma, True, True), (father, False, False), (mother, False, False)]
        if r < 0.70:
            return True, [(rng.choice([grandma, grandma, grandpa]), True, True), (father, False, False)]
        if r < 0.85:
            return True, [(grandma, True, True), (grandpa, True, False)]
        return True, [(Relationship.MATERNAL_GRANDMOTHER, True, True), (mother, False, False)]
    mother_primary = rng.random() < 0.7
    if r < 0.45:
        return False, [(mother, True, mother_primary), (father, True, not mother_primary)]
    if r < 0.70:
        return False, [(mother, True, True)]
    if r < 0.82:
        return False, [(father, True, True)]
    elder = rng.choice([grandma, grandpa, Relationship.MATERNAL_GRANDMOTHER])
    return False, [(mother, True, mother_primary), (father, True, not mother_primary), (elder, True, False)]


def seed_bulk(
    cast: Cast,
    *,
    scale: float = 1.0,
    schools: int | None = None,
    students: int | None = None,
    today: datetime.date | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> Stats:
    """Fill the cast's county with schools, classes, staff, students and their guardians."""
    rng = random.Random(SEED)
    names = Names(rng)
    stats = Stats()
    started = time.monotonic()
    n_schools = schools if schools is not None else max(1, round(SCHOOLS_PER_SCALE * scale))
    n_students = students if students is not None else round(STUDENTS_PER_SCALE * scale)
    year = school_year_start(today or timezone.localdate())
    password_hash = make_password(DEMO_PASSWORD)  # one hash for every demo account: hashing is the slow part
    persona_phones = {phone for phone, _, _ in PEOPLE.values()}
    taken = persona_phones | set(User.objects.values_list("phone", flat=True).filter(phone__regex=r"^13[79]"))
    taken |= {p for p in Guardian.objects.filter(phone__regex=r"^13[79]").values_list("phone", flat=True) if p}
    guardian_phones, staff_phones = PhoneBook("139", taken), PhoneBook("137", taken)

    # Schools (through the service, which creates the grades by school type).
    specs = school_specs(n_schools, rng)
    for spec in specs:
        school_create(actor=None, county=cast.county, name=spec.name, kind=spec.kind, code=spec.code,
                      address=f"全南县{spec.town}", town=cast.towns[spec.town])  # fmt: skip
    stats.schools = len(specs)
    size_by_code = {spec.code: spec.size for spec in specs}
    cast_size = 3.0 * max(1.0, scale)
    size_by_code |= {cast.school_a.code: cast_size, cast.school_b.code: cast_size}
    progress(f"{stats.schools} schools")

    # Classes: the cast's three classes are topped up to 40–45; the rest go to new classes by grade weight.
    existing = dict(
        SchoolClass.objects.filter(school__county=cast.county).annotate(n=Count("students")).values_list("pk", "n")
    )
    cast_classes = [cast.class_a1, cast.class_a2, cast.class_b1]
    top_up = {c.pk: max(0, rng.randint(*CLASS_SIZE) - existing.get(c.pk, 0)) for c in cast_classes}
    top_up = {pk: n for pk, n in top_up.items() if n} if n_students >= sum(top_up.values()) else {}
    remaining = n_students - sum(top_up.values())
    grades = list(
        Grade.objects.filter(school__county=cast.county)
        .select_related("school")
        .annotate(n_classes=Count("classes"))
        .order_by("school__code", "level")
    )
    weights = [size_by_code[g.school.code] * GRADE_WEIGHT.get(g.school.kind, 1.0) for g in grades]
    n_classes = max(1, round(remaining / sum(CLASS_SIZE) * 2)) if remaining and grades else 0
    minimum = 1 if n_classes >= 2 * len(grades) else 0
    per_grade = allocate(n_classes, weights, minimum) if n_classes else [0] * len(grades)
    codes = join_codes(rng, set(SchoolClass.objects.values_list("join_code", flat=True)))
    new_classes = [
        SchoolClass(school_id=g.school_id, grade=g, name=f"{g.n_classes + k + 1}班", join_code=next(codes))
        for g, count in zip(grades, per_grade, strict=True)
        for k in range(count)
    ]
    SchoolClass.objects.bulk_create(new_classes, batch_size=BATCH)
    stats.classes = len(new_classes)
    level_of = {c.pk: c.grade.level for c in cast_classes}
    seats = [
        Seat(pk, c.school_id, level_of[pk]) for c in cast_classes if (pk := c.pk) in top_up for _ in range(top_up[pk])
    ]
    for c, size in zip(new_classes, class_sizes(len(new_classes), remaining, rng), strict=True):
        seats.extend(Seat(c.pk, c.school_id, c.grade.level) for _ in range(size))
    progress(f"{stats.classes} classes for {len(seats)} students")

    # Staff: a school admin for each new school, a head teacher for each class that has none.
    with_head = set(
        Membership.objects.filter(role=Role.HEAD_TEACHER, school_class__school__county=cast.county).values_list(
            "school_class_id", flat=True
        )
    )
    units = [(Role.SCHOOL_ADMIN, "school_id", s.pk) for s in School.objects.filter(code__in=[sp.code for sp in specs])]
    units += [
        (Role.HEAD_TEACHER, "school_class_id", pk)
        for pk in SchoolClass.objects.filter(school__county=cast.county).values_list("pk", flat=True)
        if pk not in with_head
    ]
    staff = [
        User(phone=staff_phones.next(), name=names.surname() + names.given("parent", rng.choice("MFF")),
             password=password_hash)
        for _ in units
    ]  # fmt: skip
    User.objects.bulk_create(staff, batch_size=BATCH)
    Membership.objects.bulk_create(
        [Membership(user=u, role=role, **{unit: pk}) for u, (role, unit, pk) in zip(staff, units, strict=True)],
        batch_size=BATCH,
    )
    stats.staff = len(staff)
    stats.seconds["schools_classes_staff"] = round(time.monotonic() - started, 1)
    progress(f"{stats.staff} school admins and head teachers")

    # Households: one child, or two siblings (twins when in the same grade).
    rng.shuffle(seats)
    households: list[list[Seat]] = []
    i = 0
    while i < len(seats):
        size = 2 if rng.random() < 0.15 and i + 1 < len(seats) else 1
        households.append(seats[i : i + size])
        i += size
    numbers: defaultdict[tuple[datetime.date, str], int] = defaultdict(int)

    def student_number(born: datetime.date, gender: str) -> str:
        n = numbers[(born, gender)]
        numbers[(born, gender)] += 1
        seq = 100 + 2 * n + (1 if gender == "M" else 0)  # odd for boys, as in identity numbers
        if seq > 999:
            raise ValueError("too many demo children born on one day; lower the scale")
        return national_student_number(f"{COUNTY_CODE}{born:%Y%m%d}{seq:03d}")

    for start in range(0, len(households), CHUNK_HOUSEHOLDS):
        chunk = households[start : start + CHUNK_HOUSEHOLDS]
        new_students: list[Student] = []
        new_users: list[User] = []
        new_guardians: list[Guardian] = []
        links: list[tuple[int, int, str, bool, bool]] = []  # (household student index, guardian index, …)
        for household in chunk:
            father_surname, mother_surname = names.surname(), names.surname()
            child_surname = father_surname if rng.random() < 0.95 else mother_surname
            twin_birth: dict[int, datetime.date] = {}
            first = len(new_students)
            for seat in household:
                gender = "M" if rng.random() < 0.52 else "F"
                born = twin_birth.setdefault(seat.level, birth_date_for(seat.level, year, rng))
                new_students.append(
                    Student(name=child_surname + names.given("child", gender), gender=gender, birth_date=born,
                            student_number=student_number(born, gender), school_id=seat.school_id,
                            school_class_id=seat.class_id)
                )  # fmt: skip
            left_behind, plan = household_plan(rng)
            stats.left_behind_households += left_behind
            for relationship, lives, primary in plan:
                surname, gender, generation = {
                    Relationship.FATHER: (father_surname, "M", "parent"),
                    Relationship.MOTHER: (mother_surname, "F", "parent"),
                    Relationship.GRANDFATHER: (father_surname, "M", "elder"),
                    Relationship.GRANDMOTHER: (names.surname(), "F", "elder"),
                    Relationship.MATERNAL_GRANDMOTHER: (names.surname(), "F", "elder"),
                }[relationship]
                name = surname + names.given(generation, gender)
                no_phone = rng.random() < (0.22 if generation == "elder" else 0.005)
                guardian = Guardian(name=name, phone=None if no_phone else guardian_phones.next())
                if guardian.phone and rng.random() < 0.70:
                    user = User(phone=guardian.phone, name=name, password=password_hash)
                    new_users.append(user)
                    guardian.user = user
                new_guardians.append(guardian)
                for k in range(first, len(new_students)):
                    links.append((k, len(new_guardians) - 1, relationship, lives, primary))
        # Plain bulk inserts and deliberately no audit rows: made-up demo data (see the module docstring).
        Student.objects.bulk_create(new_students, batch_size=BATCH)
        ClassHistory.objects.bulk_create(
            [
                ClassHistory(student=s, from_class=None, to_class_id=s.school_class_id, note="enrol")
                for s in new_students
            ],
            batch_size=BATCH,
        )
        User.objects.bulk_create(new_users, batch_size=BATCH)
        for g in new_guardians:
            if g.user is not None:
                g.user_id = g.user.pk  # the user got its primary key from the insert above
        Guardian.objects.bulk_create(new_guardians, batch_size=BATCH)
        Guardianship.objects.bulk_create(
            [
                Guardianship(student=new_students[s], guardian=new_guardians[g], relationship=rel,
                             lives_with_child=lives, is_primary_carer=primary, status=Guardianship.Status.CONFIRMED)
                for s, g, rel, lives, primary in links
            ],
            batch_size=BATCH,
        )  # fmt: skip
        stats.households += len(chunk)
        stats.students += len(new_students)
        stats.guardians += len(new_guardians)
        stats.guardians_without_phone += sum(1 for g in new_guardians if not g.phone)
        stats.joined += len(new_users)
        progress(f"students {stats.students}/{len(seats)}, guardians {stats.guardians}")
    tallies_refresh(School.objects.filter(county=cast.county).values_list("pk", flat=True))  # bulk: no signals
    stats.seconds["total"] = round(time.monotonic() - started, 1)
    return stats


@transaction.atomic
def seed_county(**options) -> tuple[Cast, Stats]:
    """The cast and the bulk, in one transaction."""
    cast = create_cast()
    stats = seed_bulk(cast, **options)
    seed_parent_schools(cast)
    seed_questions(cast)
    seed_care(cast)
    seed_committees(cast)
    seed_burden(cast)
    seed_teams_members(cast)
    seed_teams_dispatch(cast)
    seed_teams_hours(cast)
    seed_teams_talent(cast)
    seed_teams_communities(cast)
    seed_venues(cast)
    seed_publicity(cast)
    seed_gaokao_cases(cast)
    seed_awards(cast)
    seed_awards_votes(cast)
    seed_leadership(cast)
    seed_surveys(cast)
    seed_evaluation(cast)
    seed_dashboard(cast)  # last: the figures of everything above
    return cast, stats


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def logins_table() -> str:
    """The demo logins (the named cast), as an aligned plain-text table."""
    rows = [("phone", "name", "who", "password")]
    rows += [(phone, name, who, DEMO_PASSWORD) for phone, name, who in [*PEOPLE.values(), *EXTRA_LOGINS]]
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
