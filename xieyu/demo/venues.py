"""The demo county's venues: thirty of Quannan's kinds (red culture sites, Hakka round houses, the science museum,
library and sports hall, the youth centre, tea, orchard and farm practice bases, intangible-heritage workshops)
spread over the towns, 古志强 the contact of several (the martyrs' memorial among them); class visits over the term
(a confirmed visit of 三年级1班, a request of 全南二中 awaiting 古志强); two family days; and the lecture tour
家风家训·客家文化巡讲 of six stops through schools and villages, its past stops with families who came and 曾德福 on
the staff of four (his accepted assignments are written here, as the dispatch flow would)."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from xieyu.deadlines.workcalendar import TZ
from xieyu.directory.models import Community, Guardianship, School
from xieyu.events.models import Attendance, Registration
from xieyu.events.services import staff_add
from xieyu.teams.dispatch.models import Assignment, Need
from xieyu.teams.models import Member
from xieyu.venues.bookings.services import booking_confirm, booking_create, family_day_create
from xieyu.venues.catalogue.services import VenueFields, venue_create
from xieyu.venues.models import Venue
from xieyu.venues.tours.services import stop_add, tour_create

from .personas import Cast

SEED = 29
WEEKDAY_MORNINGS = [(d, "morning") for d in range(5)]
RED_SLOTS = WEEKDAY_MORNINGS + [(1, "afternoon"), (3, "afternoon")]
WEEKEND = [(5, "morning"), (5, "afternoon"), (6, "morning")]
# (name, type, town, themes, places per half-day, terms, the contact is 古志强)
VENUES = [
    ("全南县革命烈士纪念馆", "patriotic", "城厢镇", ["red", "family"], 60, "free", True),
    ("中共全南县委旧址", "patriotic", "城厢镇", ["red"], 40, "free", True),
    ("红军长征过全南纪念地", "patriotic", "南迳镇", ["red"], 80, "free", False),
    ("大吉山钨矿工人运动旧址", "patriotic", "大吉山镇", ["red", "labour"], 50, "free", False),
    ("陂头红色交通站旧址", "patriotic", "陂头镇", ["red"], 30, "free", False),
    ("金龙镇革命烈士陵园", "patriotic", "金龙镇", ["red", "family"], 60, "free", False),
    ("雅溪围屋", "museum", "龙下乡", ["hakka", "family"], 40, "discount", True),
    ("江东围", "museum", "龙源坝镇", ["hakka"], 30, "discount", False),
    ("全南县客家围屋博物馆", "museum", "城厢镇", ["hakka", "family"], 60, "free", True),
    ("虎头围", "museum", "中寨乡", ["hakka"], 30, "discount", False),
    ("社迳乡客家家训馆", "museum", "社迳乡", ["hakka", "family"], 40, "free", False),
    ("龙下乡宗祠家风馆", "other", "龙下乡", ["family", "hakka"], 30, "free", False),
    ("全南县科技馆", "science", "城厢镇", ["science"], 80, "free", False),
    ("全南县图书馆", "library", "城厢镇", ["reading"], 60, "free", False),
    ("全南县体育馆", "sports", "城厢镇", ["sports"], 120, "discount", False),
    ("全南县青少年校外活动中心", "youth", "城厢镇", ["science", "sports", "reading"], 100, "free", False),
    ("大吉山镇农家书屋", "library", "大吉山镇", ["reading"], 25, "free", False),
    ("全南县气象科普馆", "science", "城厢镇", ["science", "ecology"], 40, "free", False),
    ("全南县博物馆", "museum", "城厢镇", ["hakka", "red"], 80, "free", False),
    ("天龙山茶园劳动实践基地", "labour", "金龙镇", ["labour", "ecology"], 60, "paid", False),
    ("南迳脐橙果园劳动实践基地", "labour", "南迳镇", ["labour", "ecology"], 50, "discount", False),
    ("陂头生态农场", "labour", "陂头镇", ["labour", "ecology"], 60, "discount", False),
    ("龙源坝蔬菜种植基地", "labour", "龙源坝镇", ["labour"], 40, "free", False),
    ("中寨乡竹编非遗工坊", "other", "中寨乡", ["hakka", "labour"], 25, "discount", False),
    ("全南客家擂茶非遗工坊", "other", "城厢镇", ["hakka", "labour"], 25, "paid", False),
    ("龙下香火龙非遗传习所", "other", "龙下乡", ["hakka"], 30, "free", False),
    ("全南县青少年足球训练基地", "sports", "城厢镇", ["sports"], 60, "free", False),
    ("九曲河湿地自然学校", "other", "金龙镇", ["ecology", "science"], 40, "free", False),
    ("社迳乡劳动教育农场", "labour", "社迳乡", ["labour"], 50, "free", False),
    ("全南县少年宫", "youth", "城厢镇", ["sports", "reading"], 80, "free", False),
]
TERMS_TEXT = {"free": "中小学生免费,凭学校函预约", "discount": "学生半价,带队教师免费", "paid": "学生每人15元(含材料)"}


def _on(day: datetime.date, weekday: int) -> datetime.date:
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return day


def seed_venues(cast: Cast) -> None:
    with transaction.atomic():
        if Venue.objects.filter(county=cast.county).exists():
            return
        venues = _catalogue(cast)
        _bookings(cast, venues)
        _family_days(cast, venues)
        _tour(cast)


def _catalogue(cast: Cast) -> dict[str, Venue]:
    chen, gu = cast.users["county_admin_chen"], cast.users["venue_gu"]
    out = {}
    for name, kind, town, themes, capacity, terms, by_gu in VENUES:
        slots = RED_SLOTS if kind == "patriotic" else WEEKDAY_MORNINGS + ([] if kind == "labour" else WEEKEND)
        fields = VenueFields(
            name=name, kind=kind, address=f"全南县{town}", town=cast.towns[town], capacity=capacity,
            max_group=min(capacity, 50), min_days_ahead=3 if kind != "labour" else 7, terms=terms,
            terms_text=TERMS_TEXT[terms], opening_text="周二至周日 9:00–17:00,周一闭馆" if kind == "museum" else
            "周一至周五 8:30–17:30", rules_text="请至少提前预约,带队教师随行,每批学生须有安全员。",
            contact_name="古志强" if by_gu else "场馆办公室", contact_phone="0797-2660000",
            description=f"{name}位于{town},是全南县中小学生开展研学实践和家庭教育活动的场所。", published=True,
            themes=themes, slots=slots, contacts=[gu] if by_gu else [],
        )  # fmt: skip
        out[name] = venue_create(actor=chen, county=cast.county, fields=fields)
    return out


def _bookings(cast: Cast, venues: dict[str, Venue]) -> None:
    liu, wang, gu = cast.users["school_admin_liu"], cast.users["school_admin_wang"], cast.users["venue_gu"]
    today = timezone.localdate()
    memorial = venues["全南县革命烈士纪念馆"]
    # the term so far: visits that happened (asked for ahead, confirmed)
    past = [
        (venues["全南县科技馆"], cast.class_a2, liu, 40, 1),
        (venues["全南县图书馆"], cast.class_a1, liu, 35, 2),
        (venues["全南县博物馆"], cast.class_b1, wang, 28, 3),
        (venues["中共全南县委旧址"], cast.class_b1, wang, 36, 1),
    ]
    for i, (venue, school_class, actor, size, weekday) in enumerate(past):
        date = _on(today - datetime.timedelta(days=20 + 14 * i), weekday)
        b = booking_create(actor=actor, venue=venue, school_class=school_class, date=date, part="morning",
                           group_size=min(size, venue.max_group), today=date - datetime.timedelta(days=10))  # fmt: skip
        booking_confirm(actor=gu if venue.contacts.exists() else cast.users["county_admin_chen"], booking=b)
    # coming: 三年级1班's visit to the martyrs' memorial, confirmed; 全南二中's request awaiting 古志强
    visit = booking_create(actor=liu, venue=memorial, school_class=cast.class_a1,
                           date=_on(today + datetime.timedelta(days=8), 1), part="morning", group_size=42,
                           note="三年级1班 红色研学,含带队教师3人")  # fmt: skip
    booking_confirm(actor=gu, booking=visit)
    booking_create(actor=wang, venue=memorial, school_class=cast.class_b1,
                   date=_on(today + datetime.timedelta(days=10), 3), part="morning", group_size=45,
                   note="七年级1班 清明前缅怀先烈")  # fmt: skip
    booking_create(actor=liu, venue=venues["雅溪围屋"], school_class=cast.class_a2,
                   date=_on(today + datetime.timedelta(days=12), 2), part="morning", group_size=38)  # fmt: skip


def _family_days(cast: Cast, venues: dict[str, Venue]) -> None:
    gu = cast.users["venue_gu"]
    now = timezone.localdate()
    saturday = _on(now + datetime.timedelta(days=3), 5)
    start = datetime.datetime.combine(saturday, datetime.time(9, 0), tzinfo=TZ)
    family_day_create(actor=gu, venue=venues["全南县客家围屋博物馆"], title="客家围屋亲子开放日:听家训、做擂茶",
                      starts_at=start, ends_at=start + datetime.timedelta(hours=3), capacity=60,
                      description="亲子一起走进围屋,听老人讲客家家训,动手做擂茶。")  # fmt: skip
    start = datetime.datetime.combine(saturday + datetime.timedelta(days=7), datetime.time(14, 30), tzinfo=TZ)
    family_day_create(actor=cast.users["county_admin_chen"], venue=venues["全南县科技馆"],
                      title="科技馆家庭科普日", starts_at=start, ends_at=start + datetime.timedelta(hours=2, minutes=30),
                      capacity=80, town=cast.towns["城厢镇"], description="城厢镇各校家庭优先报名。")  # fmt: skip


def _tour(cast: Cast) -> None:
    rng = random.Random(SEED)
    chen, zeng = cast.users["county_admin_chen"], cast.users["volunteer_zeng"]
    tour = tour_create(actor=chen, county=cast.county, title="家风家训·客家文化巡讲", theme="家风家训·客家文化",
                       description="“五老”和专家走进学校与村落,讲客家家训故事,传承优良家风。")  # fmt: skip
    others = list(School.objects.filter(county=cast.county).exclude(pk__in=[cast.school_a.pk, cast.school_b.pk])
                  .order_by("pk")[:1])  # fmt: skip
    third = others[0] if others else cast.school_b
    today = timezone.localdate()
    plan: list[tuple[int, School | Community, bool]] = [  # (days from today, school or village, 曾德福 on the staff)
        (-40, cast.school_a, True),
        (-26, cast.communities["village"], True),
        (-12, cast.school_b, True),
        (6, cast.communities["dajishan"], False),
        (13, third, True),
        (20, cast.communities["south"], False),
    ]
    member = Member.objects.filter(user=zeng, status=Member.Status.APPROVED).first()
    for days, where, with_zeng in plan:
        day = today + datetime.timedelta(days=days)
        start = datetime.datetime.combine(day, datetime.time(15, 0), tzinfo=TZ)
        school = where if isinstance(where, School) else None
        community = where if isinstance(where, Community) else None
        stop = stop_add(actor=chen, tour=tour, starts_at=start, ends_at=start + datetime.timedelta(hours=1, minutes=30),
                        place=f"{where.name}{'报告厅' if school else '文化活动室'}", school=school,
                        community=community)  # fmt: skip
        if with_zeng and member is not None and stop.need is not None:
            a = Assignment.objects.create(need=stop.need, member=member, status=Assignment.Status.ACCEPTED,
                                          starts_at=stop.event.starts_at, ends_at=stop.event.ends_at, invited_by=chen,
                                          invited_at=start - datetime.timedelta(days=10),
                                          answered_at=start - datetime.timedelta(days=9))  # fmt: skip
            Need.objects.filter(pk=stop.need.pk).update(status=Need.Status.FILLED)
            staff_add(actor=chen, event=stop.event, user=zeng, role="instructor", source=f"teams.assignment:{a.pk}")
        if days < 0:
            _came(stop.event, rng)


def _came(event, rng: random.Random) -> None:
    """Families of the stop's audience registered and came (from the paper sign-in sheet)."""
    q = Guardianship.objects.filter(status=Guardianship.Status.CONFIRMED)
    q = (
        q.filter(student__school=event.school_id)
        if event.school_id
        else q.filter(student__school__town=event.audience_town_id)
    )
    rows = list(q.select_related("student", "guardian").order_by("student", "pk"))
    seen, picked = set(), []
    for g in rows:
        if g.student_id not in seen:
            seen.add(g.student_id)
            picked.append(g)
    picked = picked[: rng.randint(12, 30)]
    Registration.objects.bulk_create(
        [Registration(event=event, student=g.student, guardian=g.guardian, created_at=event.starts_at
                      - datetime.timedelta(days=3)) for g in picked]
    )  # fmt: skip
    came = [g for g in picked if rng.random() < 0.8]
    Attendance.objects.bulk_create(
        [Attendance(event=event, student=g.student, guardian=g.guardian, method=Attendance.Method.PAPER,
                    checked_in_at=event.starts_at) for g in came]
    )  # fmt: skip
