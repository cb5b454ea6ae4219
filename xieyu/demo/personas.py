"""The named cast shared by the demo county and the tests (DESIGN.md convention 6).

全南县 has two schools: 城厢小学 (primary, 李娜's class 三年级1班) and 全南二中 (junior, 王敏's class 七年级1班).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from xieyu.accounts.models import Role, User
from xieyu.accounts.services import membership_grant, user_create
from xieyu.directory.models import Community, Guardianship, PartnerAgency, Region, School, SchoolClass, Student, Town
from xieyu.directory.roster.format import national_student_number
from xieyu.directory.services import class_create, guardian_for_phone, guardianship_add, school_create, student_create

DEMO_PASSWORD = "Demo2026xy"  # noqa: S105 — the published demo password
COUNTY_CODE = "360729"

# key: (phone, name, what they are)
PEOPLE = {
    "county_admin_chen": ("13800000001", "陈建国", "县教科体局 管理员"),
    "school_admin_liu": ("13800000011", "刘芳", "城厢小学 校长"),
    "head_teacher_li": ("13800000012", "李娜", "城厢小学 三年级1班 班主任;也是全南二中 李果果 的妈妈"),
    "teacher_he": ("13800000013", "何静", "城厢小学 任课教师"),
    "school_admin_wang": ("13800000021", "王强", "全南二中 校长"),
    "head_teacher_wang": ("13800000022", "王敏", "全南二中 七年级1班 班主任"),
    "parent_zhang": ("13800000031", "张伟", "城厢小学 张小明 的爸爸"),
    "grandma_zhao": ("13800000032", "赵秀英", "城厢小学 刘小宇 的奶奶(留守儿童的主要照料人)"),
    "parent_sun": ("13800000041", "孙丽", "全南二中 孙浩 的妈妈"),
    "expert_huang": ("13800000051", "黄志华", "家庭教育指导中心 专家"),
    "counsellor_zhou": ("13800000052", "周敏", "家庭教育指导中心 心理辅导员"),
    "volunteer_zeng": ("13800000053", "曾德福", "“五老”关爱团 志愿者"),
    "supervisor_zhong": ("13800000054", "钟慧", "家庭教育指导中心 主任(个案督导)"),
    "partner_wu": ("13800000061", "吴桂兰", "县妇联 工作人员"),
    "partner_luo": ("13800000062", "罗建华", "县民政局 儿童福利股 工作人员"),
    "community_ye": ("13800000071", "叶春梅", "城厢镇城南社区 工作人员"),
    "venue_gu": ("13800000072", "古志强", "全南县客家围屋博物馆 联络人"),
}

# The county's towns; the county seat (城厢镇) first.
TOWNS = ["城厢镇", "大吉山镇", "陂头镇", "金龙镇", "南迳镇", "龙源坝镇", "中寨乡", "社迳乡", "龙下乡"]


@dataclass
class Cast:
    county: Region
    school_a: School
    school_b: School
    class_a1: SchoolClass
    class_a2: SchoolClass
    class_b1: SchoolClass
    women_federation: PartnerAgency
    users: dict[str, User] = field(default_factory=dict)
    towns: dict[str, Town] = field(default_factory=dict)  # by name
    communities: dict[str, Community] = field(default_factory=dict)  # "south" 城南社区, "village" 雅溪村, "dajishan"
    students: dict[str, Student] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def _user(key: str, password: str) -> User:
    phone, name, _ = PEOPLE[key]
    return user_create(actor=None, phone=phone, name=name, password=password)


@transaction.atomic
def create_cast(password: str = DEMO_PASSWORD) -> Cast:
    """Create the cast; run once on an empty county (seed_demo checks first)."""
    jiangxi = Region.objects.create(name="江西省", level=Region.Level.PROVINCE, code="360000")
    ganzhou = Region.objects.create(name="赣州市", level=Region.Level.CITY, code="360700", parent=jiangxi)
    county = Region.objects.create(name="全南县", level=Region.Level.COUNTY, code=COUNTY_CODE, parent=ganzhou)
    towns = {name: Town.objects.create(county=county, name=name, order=i) for i, name in enumerate(TOWNS)}
    seat = towns[TOWNS[0]]
    school_a = school_create(
        actor=None,
        county=county,
        name="全南县城厢小学",
        kind=School.Kind.PRIMARY,
        code="3607290101",
        address="全南县城厢镇",
        town=seat,
    )
    school_b = school_create(
        actor=None,
        county=county,
        name="全南县第二中学",
        kind=School.Kind.JUNIOR,
        code="3607290201",
        address="全南县城厢镇",
        town=seat,
    )
    grade_a3 = school_a.grades.get(level=3)
    grade_b7 = school_b.grades.get(level=7)
    class_a1 = class_create(actor=None, grade=grade_a3, name="1班")
    class_a2 = class_create(actor=None, grade=grade_a3, name="2班")
    class_b1 = class_create(actor=None, grade=grade_b7, name="1班")
    women_federation = PartnerAgency.objects.create(
        county=county, name="全南县妇联", kind=PartnerAgency.Kind.WOMEN_FEDERATION
    )
    civil_affairs = PartnerAgency.objects.create(
        county=county, name="全南县民政局", kind=PartnerAgency.Kind.CIVIL_AFFAIRS
    )
    PartnerAgency.objects.create(county=county, name="全南县关工委", kind=PartnerAgency.Kind.YOUTH_COMMITTEE)
    PartnerAgency.objects.create(county=county, name="全南县残联", kind=PartnerAgency.Kind.DISABLED_FEDERATION)
    communities = {
        "south": Community.objects.create(
            county=county, name="城厢镇城南社区", kind=Community.Kind.COMMUNITY, town=seat, address="全南县城厢镇城南路"
        ),
        "village": Community.objects.create(
            county=county, name="龙下乡雅溪村", kind=Community.Kind.VILLAGE, town=towns["龙下乡"], address="全南县龙下乡雅溪村"
        ),
        "dajishan": Community.objects.create(
            county=county, name="大吉山镇大吉山社区", kind=Community.Kind.COMMUNITY, town=towns["大吉山镇"],
            address="全南县大吉山镇",
        ),
    }  # fmt: skip

    cast = Cast(county, school_a, school_b, class_a1, class_a2, class_b1, women_federation)
    cast.towns, cast.communities = towns, communities
    u = cast.users
    for key in PEOPLE:
        u[key] = _user(key, password)

    membership_grant(actor=None, user=u["county_admin_chen"], role=Role.COUNTY_ADMIN, unit=county)
    membership_grant(actor=None, user=u["school_admin_liu"], role=Role.SCHOOL_ADMIN, unit=school_a)
    membership_grant(actor=None, user=u["head_teacher_li"], role=Role.HEAD_TEACHER, unit=class_a1)
    membership_grant(actor=None, user=u["teacher_he"], role=Role.TEACHER, unit=school_a)
    membership_grant(actor=None, user=u["school_admin_wang"], role=Role.SCHOOL_ADMIN, unit=school_b)
    membership_grant(actor=None, user=u["head_teacher_wang"], role=Role.HEAD_TEACHER, unit=class_b1)
    membership_grant(actor=None, user=u["expert_huang"], role=Role.EXPERT, unit=county)
    membership_grant(actor=None, user=u["counsellor_zhou"], role=Role.COUNSELLOR, unit=county)
    membership_grant(actor=None, user=u["volunteer_zeng"], role=Role.VOLUNTEER, unit=county)
    membership_grant(actor=None, user=u["supervisor_zhong"], role=Role.COUNSELLOR, unit=county)
    membership_grant(actor=None, user=u["partner_wu"], role=Role.PARTNER, unit=women_federation)
    membership_grant(actor=None, user=u["partner_luo"], role=Role.PARTNER, unit=civil_affairs)
    membership_grant(actor=None, user=u["community_ye"], role=Role.COMMUNITY_STAFF, unit=communities["south"])
    membership_grant(actor=None, user=u["venue_gu"], role=Role.VENUE_CONTACT, unit=county)

    def child(key, school_class, name, gender, born, number):
        cast.students[key] = student_create(
            actor=None, school_class=school_class, name=name, gender=gender,
            birth_date=datetime.date.fromisoformat(born), student_number=number,
        )  # fmt: skip
        return cast.students[key]

    def bind(student, name, phone, relationship, *, user=None, primary=False, lives=True):
        guardian = guardian_for_phone(name=name, phone=phone)
        if user is not None:
            guardian.user = user
            guardian.save(update_fields=["user"])
        guardianship_add(
            actor=None, student=student, guardian=guardian, relationship=relationship,
            is_primary_carer=primary, lives_with_child=lives, status=Guardianship.Status.CONFIRMED,
        )  # fmt: skip

    m = child("zhang_xiaoming", class_a1, "张小明", "M", "2017-05-12", national_student_number("36072920170512001"))
    bind(m, "张伟", PEOPLE["parent_zhang"][0], "father", user=u["parent_zhang"], primary=True)
    bind(m, "黄丽", "13800001031", "mother")
    y = child("liu_xiaoyu", class_a1, "刘小宇", "M", "2017-09-03", national_student_number("36072920170903001"))
    bind(y, "赵秀英", PEOPLE["grandma_zhao"][0], "grandmother", user=u["grandma_zhao"], primary=True)
    bind(y, "刘军", "13800001032", "father", lives=False)
    bind(y, "陈梅", "13800001033", "mother", lives=False)
    q = child("qian_duoduo", class_a1, "钱多多", "F", "2017-02-20", national_student_number("36072920170220002"))
    bind(q, "钱桂花", None, "maternal_grandmother", primary=True)  # no phone: reached by print and visits
    z = child("zhou_jie", class_a1, "周杰", "M", "2017-07-30", national_student_number("36072920170730001"))
    bind(z, "周强", "13800001034", "father", primary=True)  # has a phone, never joined
    h = child("sun_hao", class_b1, "孙浩", "M", "2013-11-08", national_student_number("36072920131108002"))
    bind(h, "孙丽", PEOPLE["parent_sun"][0], "mother", user=u["parent_sun"], primary=True)
    g = child("li_guoguo", class_b1, "李果果", "F", "2013-04-16", national_student_number("36072920130416002"))
    bind(g, "李娜", PEOPLE["head_teacher_li"][0], "mother", user=u["head_teacher_li"], primary=True)
    child("chen_yu", class_a2, "陈雨", "F", "2017-03-05", national_student_number("36072920170305002"))
    return cast


def load_cast() -> Cast:
    """The cast as it stands in the database (after create_cast)."""
    county = Region.objects.get(code=COUNTY_CODE)
    school_a = School.objects.get(code="3607290101")
    school_b = School.objects.get(code="3607290201")
    cast = Cast(
        county,
        school_a,
        school_b,
        SchoolClass.objects.get(school=school_a, grade__level=3, name="1班"),
        SchoolClass.objects.get(school=school_a, grade__level=3, name="2班"),
        SchoolClass.objects.get(school=school_b, grade__level=7, name="1班"),
        PartnerAgency.objects.get(county=county, kind=PartnerAgency.Kind.WOMEN_FEDERATION),
    )
    cast.users = {key: User.objects.get(phone=phone) for key, (phone, _, _) in PEOPLE.items()}
    cast.towns = {t.name: t for t in Town.objects.filter(county=county)}
    names = {"south": "城厢镇城南社区", "village": "龙下乡雅溪村", "dajishan": "大吉山镇大吉山社区"}
    cast.communities = {key: Community.objects.get(county=county, name=name) for key, name in names.items()}
    return cast
