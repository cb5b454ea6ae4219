"""The demo county's service hours: a record for every past accepted assignment — most from check-in and check-out,
some entered by the organiser from the paper sign-in sheet — signed off by the unit that ran the service; a few at
城厢小学 still await 刘芳's sign-off, one of 曾德福's is disputed, and one of 黄志华's ended with no record yet.

The past assignments come from the dispatch demo; 曾德福 and 黄志华 (and a handful of others) get past lectures and
after-school sessions of their own here, so that 曾德福 has about forty signed hours this year and the county's
totals have something to show. Rows are written with bulk_create; the yearly rollup is rebuilt at the end."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from xieyu.accounts.models import Role
from xieyu.accounts.scope import holders
from xieyu.events.models import Event
from xieyu.events.services import event_create, staff_add
from xieyu.teams.dispatch.services import need_create
from xieyu.teams.hours.services import organising_unit, overlap, rollup_rebuild, service_times, signing_unit
from xieyu.teams.models import Assignment, Member, Need, ServiceRecord, Team

from .personas import Cast

SEED = 14
M = datetime.timedelta(minutes=1)
ZENG_THIS_YEAR = 23  # two-hour sessions: 21 signed (42 hours), one pending at 城厢小学, one disputed
SLOTS = [(9, 0), (14, 30), (19, 0)]
TOPICS = ["家风家训讲座:客家围屋里的好家风", "红色故事进校园", "留守儿童课后陪伴", "书法课后服务", "传统节日与家庭教育",
          "隔代教育经验分享", "老党员讲长征路上的故事", "非遗剪纸课后服务"]  # fmt: skip
EXPERT_TOPICS = ["青春期亲子沟通", "家庭教育指导师讲座", "学习习惯与家庭陪伴", "生涯规划家长课堂"]
NOTES = ["纸质签到表", "组织方现场记录", "签到表(班主任拍照上传)"]


def seed_teams_hours(cast: Cast) -> None:
    with transaction.atomic():
        _seed(cast)


def _member(cast: Cast, user, kind: str) -> Member | None:
    return Member.objects.filter(
        team__county=cast.county, team__school=None, team__kind=kind, user=user, status=Member.Status.APPROVED
    ).first()


def _day_at(day: datetime.date, slot: tuple[int, int]) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, *slot, tzinfo=timezone.get_default_timezone())


def _session(cast: Cast, members: list[Member], start: datetime.datetime, minutes: int, topic: str, *, school,
             kind: str = Event.Kind.FAMILY_TRADITION) -> list[Assignment]:  # fmt: skip
    """A past event at a school (or the county's), its need, and accepted assignments placing the members as staff."""
    admin = cast.school_admin_liu if school == cast.school_a else cast.school_admin_wang if school else None
    actor = admin or cast.county_admin_chen
    end = start + minutes * M
    place = f"{school.name}多功能厅" if school else "全南县家庭教育指导中心报告厅"
    event = event_create(
        actor=actor, kind=kind, title=topic, starts_at=start, ends_at=end, place=place, publish=True,
        audience=Event.Audience.SCHOOL if school else Event.Audience.COUNTY, school=school,
        county=None if school else cast.county,
    )  # fmt: skip
    need = need_create(
        actor=actor, kind=Need.Kind.LECTURE if kind != Event.Kind.AFTER_SCHOOL_SESSION else Need.Kind.AFTER_SCHOOL,
        topic=topic, starts_at=start, ends_at=end, place=place, county=cast.county, school=school,
        people=len(members), event=event,
    )  # fmt: skip
    Need.objects.filter(pk=need.pk).update(status=Need.Status.DONE)
    out = []
    for m in members:
        out.append(Assignment.objects.create(
            need=need, member=m, status=Assignment.Status.ACCEPTED, starts_at=start, ends_at=end, invited_by=actor,
            invited_at=start - datetime.timedelta(days=10), answered_at=start - datetime.timedelta(days=9),
        ))  # fmt: skip
        staff_add(actor=actor, event=event, user=m.user,
                  role="instructor" if kind != Event.Kind.AFTER_SCHOOL_SESSION else "helper",
                  source=f"teams.assignment:{out[-1].pk}")  # fmt: skip
    return out


def _own_sessions(cast: Cast, rng: random.Random) -> list[Assignment]:
    """Past services of 曾德福, 黄志华 and a few others, on (day, slot) pairs no two of one person's share."""
    today = timezone.localdate()
    zeng = _member(cast, cast.users["volunteer_zeng"], Team.Kind.ELDERS)
    huang = _member(cast, cast.users["expert_huang"], Team.Kind.EXPERT)
    made: list[Assignment] = []
    if zeng is not None:
        span = (today - today.replace(month=1, day=1)).days  # days of this year already past
        # the dispatch and tour demos already gave him some services this year: top up to about forty hours
        year_start = datetime.datetime(today.year, 1, 1, tzinfo=timezone.get_current_timezone())
        done = sum(
            (a.ends_at - a.starts_at).total_seconds() / 3600
            for a in Assignment.objects.filter(member__user=zeng.user_id, status=Assignment.Status.ACCEPTED,
                                               starts_at__gte=year_start, ends_at__lt=timezone.now())
        )  # fmt: skip
        sessions = max(2, ZENG_THIS_YEAR - round(done / 2))
        for i in range(sessions):
            # spread over the year so far (early in January, three a day); the latest are a few days back
            back = 1 + (i * (span - 1)) // sessions if span > sessions else 1 + i // 3
            day = today - datetime.timedelta(days=back)
            school = cast.school_a if i % 4 != 3 else (cast.school_b if i % 8 == 3 else None)
            made += _session(cast, [zeng], _day_at(day, SLOTS[i % 3]), 120, TOPICS[i % len(TOPICS)], school=school)
        for i in range(6):  # last year
            day = today.replace(year=today.year - 1, month=1, day=1) + datetime.timedelta(days=40 + 50 * i)
            made += _session(cast, [zeng], _day_at(day, SLOTS[0]), 120, TOPICS[i % len(TOPICS)], school=cast.school_a)
    if huang is not None:
        for i in range(8):
            day = today - datetime.timedelta(days=3 + 19 * i)
            made += _session(cast, [huang], _day_at(day, SLOTS[1]), 90, EXPERT_TOPICS[i % len(EXPERT_TOPICS)],
                             school=cast.school_a if i % 2 == 0 else None, kind=Event.Kind.LECTURE)  # fmt: skip
    # the others: after-school sessions with two or three members of one team each
    others = list(
        Member.objects.filter(team__county=cast.county, team__school=None, status=Member.Status.APPROVED)
        .exclude(user__in=[cast.users["volunteer_zeng"], cast.users["expert_huang"]])
        .order_by("pk")[:18]
    )
    for i in range(12):
        group = rng.sample(others, min(len(others), rng.randint(2, 3))) if others else []
        if not group:
            break
        day = today - datetime.timedelta(days=2 + 11 * i)
        made += _session(cast, group, _day_at(day, SLOTS[2]), rng.choice([60, 90, 120]), "课后服务:阅读与手工",
                         school=cast.school_a if i % 2 == 0 else cast.school_b, kind=Event.Kind.AFTER_SCHOOL_SESSION)  # fmt: skip
    return made


def _signer(cast: Cast, assignment: Assignment, cache: dict):
    """Who signs off: the admin of the school that ran it, the community's staff, or the county admin."""
    need = assignment.need
    event = need.event
    school_id = event.school_id if event else need.school_id
    community_id = event.community_id if event else need.community_id
    key = (school_id, community_id)
    if key not in cache:
        who = None
        if event is not None and event.organiser == Event.Organiser.COMMUNITY and community_id:
            who = holders(Role.COMMUNITY_STAFF, community_id=community_id).first()
        elif school_id:
            who = holders(Role.SCHOOL_ADMIN, school_id=school_id).first()
        cache[key] = who or cast.county_admin_chen
    return cache[key]


def _seed(cast: Cast) -> None:
    rng = random.Random(SEED)
    now = timezone.now()
    _own_sessions(cast, rng)
    past = [
        a
        for a in Assignment.objects.filter(
            status=Assignment.Status.ACCEPTED, need__county=cast.county, ends_at__lt=now, service_record__isnull=True
        )
        .select_related("need__event__school", "need__event__community", "need__school", "need__community",
                        "need__county", "member__user")
        .order_by("starts_at", "pk")
        if service_times(a)[1] < now
    ]  # fmt: skip
    zeng_user, huang_user = cast.users["volunteer_zeng"], cast.users["expert_huang"]
    zeng_recent = [a for a in past if a.member.user_id == zeng_user.pk and a.need.school_id == cast.school_a.pk]
    pending_ids = {a.pk for a in zeng_recent[-1:]}  # his latest at 城厢小学 awaits 刘芳
    disputed_id = zeng_recent[-2].pk if len(zeng_recent) >= 2 else None
    others_a = [a for a in past if a.need.school_id == cast.school_a.pk and a.member.user_id != zeng_user.pk]
    pending_ids |= {a.pk for a in others_a[-2:]}
    huang_a = [a for a in past if a.member.user_id == huang_user.pk and a.need.school_id == cast.school_a.pk]
    missing_id = huang_a[-1].pk if huang_a else None  # he forgot to check in: 刘芳 enters it from the sheet

    signers: dict = {}
    busy: dict[int, list[tuple[datetime.datetime, datetime.datetime]]] = {}
    records = []
    for a in past:
        if a.pk == missing_id:
            continue
        start, end = service_times(a)
        spans = busy.setdefault(a.member.user_id, [])
        if any(overlap(start, end, s, e) for s, e in spans):
            continue  # one person, two services at once: the dispatch demo's clash rule keeps this from happening
        spans.append((start, end))
        signer = _signer(cast, a, signers)
        from_checkin = rng.random() < 0.75
        arrived: datetime.datetime | None = None
        left: datetime.datetime | None = None
        if from_checkin:
            arrived = start - rng.randint(3, 25) * M
            left = end + rng.randint(0, 20) * M
            if a.member.user_id not in (zeng_user.pk, huang_user.pk) and rng.random() < 0.2:
                left = end - rng.randint(10, 30) * M  # left early: only the part he was there counts
            s, e = overlap(arrived, left, start, end) or (start, end)
        else:
            s, e = start, end
        status = ServiceRecord.Status.SIGNED
        if a.pk in pending_ids:
            status = ServiceRecord.Status.PENDING
        signed = status == ServiceRecord.Status.SIGNED
        signed_at = min(end + datetime.timedelta(days=rng.randint(1, 3)), now) if signed else None
        record = ServiceRecord(
            member=a.member, assignment=a, event=a.need.event, description=a.need.topic[:120], started_at=s,
            ended_at=e, minutes=int((e - s).total_seconds() // 60),
            source=ServiceRecord.Source.CHECKIN if from_checkin else ServiceRecord.Source.ORGANISER,
            source_note="" if from_checkin else rng.choice(NOTES), status=status,
            recorded_by=a.member.user if from_checkin else signer,
            recording_unit=(signing_unit(signer, a) if signed else organising_unit(a))[:80],
            signed_by=signer if signed else None, signed_at=signed_at, checked_in_at=arrived, checked_out_at=left,
            created_at=left or end,
        )  # fmt: skip
        if a.pk == disputed_id:
            record.status = ServiceRecord.Status.DISPUTED
            record.dispute_reason = "我讲完后又留下来陪孩子们练了半小时书法,签退时忘了点。"
            record.disputed_at = min((signed_at or end) + datetime.timedelta(days=1), now)
        records.append(record)
    ServiceRecord.objects.bulk_create(records, batch_size=500)
    rollup_rebuild(county_id=cast.county.pk)
