"""The committee pages and the guardian's API walked as the cast: the unit's guardians and staff see the committee,
its members, the charter in force and the published minutes; the other school's parent and admin get 404; only
the writers (chair, secretary, school admin) change anything; a fixed number of queries whatever the history."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from xieyu.committees.bodies import services
from xieyu.committees.models import CharterVersion

from . import bodies_fixtures as fx
from .bodies_fixtures import V2, held_meeting

bodies = fx.bodies

pytestmark = pytest.mark.django_db

READERS = [("parent_zhang", 200), ("grandma_zhao", 200), ("school_admin_liu", 200), ("head_teacher_li", 200),
           ("county_admin_chen", 200), ("parent_sun", 404), ("school_admin_wang", 404), ("head_teacher_wang", 404),
           ("partner_wu", 404)]  # fmt: skip


def _published(cast, bodies):
    services.meeting_minutes_save(actor=cast.parent_zhang, meeting=bodies.held, minutes="全体到会,通过章程第一版。")
    services.meeting_publish(actor=cast.parent_zhang, meeting=bodies.held)


@pytest.mark.parametrize("persona, status", READERS + [(None, 302)])
def test_the_committee_page_charter_and_minutes_are_for_the_unit(cast, bodies, client_for, persona, status):
    _published(cast, bodies)
    client = client_for(persona)
    for url in [reverse("committees:detail", args=[bodies.a.pk]), reverse("committees:charter", args=[bodies.a.pk]),
                reverse("committees:charter_version", args=[bodies.v1.pk]),
                reverse("committees:meeting_detail", args=[bodies.held.pk])]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == status, url
        if status == 200:
            assert "张伟" in response.content.decode() or "charter" in url


@pytest.mark.parametrize(
    "persona, status",
    [
        ("parent_zhang", 200),
        ("school_admin_liu", 200),
        ("head_teacher_li", 200),
        ("grandma_zhao", 404),
        ("parent_sun", 404),
        ("school_admin_wang", 404),
    ],
)
def test_drafts_and_unpublished_meetings_are_for_members_and_staff(cast, bodies, client_for, persona, status):
    """赵秀英 is a member: she sees them; here she is taken off first, and is then an ordinary parent of the school."""
    services.member_end(actor=cast.school_admin_liu, member=bodies.zhao, reason="resigned")
    draft = services.charter_draft(actor=cast.parent_zhang, committee=bodies.a, text=V2)
    client = client_for(persona)
    assert client.get(reverse("committees:charter_version", args=[draft.pk])).status_code == status
    assert client.get(reverse("committees:meeting_detail", args=[bodies.held.pk])).status_code == status


def test_the_guardian_sees_her_committees_members_charter_and_minutes(cast, bodies, client_for):
    _published(cast, bodies)
    page = client_for("grandma_zhao").get(reverse("committees:mine")).content.decode()
    assert "城厢小学家长委员会" in page and "全南二中" not in page
    assert "张伟" in page and "主任" in page and "第 1 版" in page and bodies.held.title in page
    sun = client_for("parent_sun").get(reverse("committees:mine")).content.decode()
    assert "全南二中家长委员会" in sun and "城厢小学家长委员会" not in sun
    assert client_for(None).get(reverse("committees:mine")).status_code == 302


@pytest.mark.parametrize(
    "persona, status",
    [
        ("school_admin_liu", 200),
        ("school_admin_wang", 200),
        ("county_admin_chen", 200),
        ("head_teacher_li", 200),
        ("parent_zhang", 404),
        ("partner_wu", 404),
        (None, 302),
    ],
)
def test_the_staff_list(cast, bodies, client_for, persona, status):
    response = client_for(persona).get(reverse("committees:list"))
    assert response.status_code == status
    if persona == "school_admin_wang":
        text = response.content.decode()
        assert "全南二中家长委员会" in text and "城厢小学家长委员会" not in text


def test_a_school_admin_creates_a_class_committee_and_seats_a_parent(cast, bodies, client_for):
    liu = client_for("school_admin_liu")
    response = liu.post(reverse("committees:create"), {"level": "class", "name": "三年级1班家委会",
                                                       "school_class": cast.class_a1.pk})  # fmt: skip
    committee = cast.class_a1.committees.get()
    assert response.status_code == 302 and response.url == reverse("committees:detail", args=[committee.pk])
    today = timezone.localdate()
    form = {"phone": "13800000032", "role": "secretary", "term_start": today.isoformat(),
            "term_end": (today + datetime.timedelta(days=365)).isoformat(), "chosen": "election",
            "votes_for": 30, "votes_against": 1, "votes_abstain": 0, "voters": 31}  # fmt: skip
    liu.post(reverse("committees:member_add", args=[committee.pk]), form)
    assert committee.members.get().guardian.name == "赵秀英"
    refused = liu.post(reverse("committees:member_add", args=[committee.pk]), {**form, "phone": "13800000041"},
                       follow=True).content.decode()  # fmt: skip
    assert "孙丽 不是" in refused and committee.members.count() == 1
    bad = liu.post(reverse("committees:member_add", args=[committee.pk]), {**form, "term_end": "明天"}, follow=True)
    assert "任期结束日期" in bad.content.decode()


@pytest.mark.parametrize(
    "persona, status",
    [("school_admin_wang", 404), ("head_teacher_li", 404), ("parent_zhang", 404), ("parent_sun", 404)],
)
def test_only_the_school_s_admin_manages_seats(cast, bodies, client_for, persona, status):
    response = client_for(persona).post(reverse("committees:member_end", args=[bodies.zhao.pk]), {"reason": "removed"})
    assert response.status_code == status
    bodies.zhao.refresh_from_db()
    assert bodies.zhao.ended_at is None


@pytest.mark.parametrize(
    "persona, changed",
    [
        ("parent_zhang", True),
        ("school_admin_liu", True),
        ("grandma_zhao", False),
        ("head_teacher_li", False),
        ("parent_sun", False),
        ("school_admin_wang", False),
    ],
)
def test_only_writers_draft_the_charter(cast, bodies, client_for, persona, changed):
    response = client_for(persona).post(reverse("committees:charter_draft", args=[bodies.a.pk]), {"text": V2})
    assert CharterVersion.objects.filter(number=2).exists() == changed
    assert response.status_code == (302 if changed else 404)


def test_the_chair_runs_a_meeting_from_plan_to_published_minutes(cast, bodies, client_for):
    zhang = client_for("parent_zhang")
    starts = timezone.localtime() + datetime.timedelta(days=3)
    r = zhang.post(reverse("committees:meeting_new", args=[bodies.a.pk]), {"title": "期中会议", "agenda": "1. 作业",
                   "place": "会议室", "starts_at": starts.strftime("%Y-%m-%dT%H:%M")})  # fmt: skip
    meeting = bodies.a.meetings.get(title="期中会议")
    assert r.url == reverse("committees:meeting_detail", args=[meeting.pk])
    zhang.post(reverse("committees:meeting_invite", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.event is not None
    client_for("grandma_zhao").post(reverse("committees:meeting_rsvp", args=[meeting.pk]))
    page = zhang.get(reverse("committees:meeting_detail", args=[meeting.pk])).content.decode()
    assert "已回复出席" in page
    # after the meeting: minutes, a resolution, an action item, publication
    meeting.starts_at = timezone.now() - datetime.timedelta(minutes=30)
    meeting.save(update_fields=["starts_at"])
    zhang.post(reverse("committees:meeting_minutes", args=[meeting.pk]), {"minutes": "讨论作业负担。"})
    zhang.post(reverse("committees:resolution_add", args=[meeting.pk]),
               {"text": "建议学校控制书面作业时间", "votes_for": 3, "votes_against": 0, "votes_abstain": 0})  # fmt: skip
    zhang.post(reverse("committees:action_add", args=[meeting.pk]),
               {"text": "收集家长意见", "owner": str(bodies.zhao.pk),
                "due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat()})  # fmt: skip
    zhang.post(reverse("committees:meeting_publish", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == "published" and meeting.resolutions.get().passed
    assert meeting.action_items.get().owner_user == cast.grandma_zhao
    assert client_for("parent_sun").get(reverse("committees:meeting_detail", args=[meeting.pk])).status_code == 404
    home = client_for("grandma_zhao").get("/").content.decode()
    assert "收集家长意见" in home


def test_the_diff_marks_lines_in_words(cast, bodies, client_for):
    v2 = services.charter_draft(actor=cast.parent_zhang, committee=bodies.a, text=V2)
    r = services.resolution_add(actor=cast.parent_zhang, meeting=held_meeting(cast.parent_zhang, bodies.a),
                                text="通过第二版", votes_for=3, votes_against=0, votes_abstain=0)  # fmt: skip
    services.charter_adopt(actor=cast.parent_zhang, version=v2, resolution=r)
    page = client_for("grandma_zhao").get(reverse("committees:charter_diff", args=[bodies.a.pk])).content.decode()
    assert "新增" in page and "删除" in page and "可连任一次" in page and "<ins>" in page
    assert client_for("parent_sun").get(reverse("committees:charter_diff", args=[bodies.a.pk])).status_code == 404


def _grow(cast, bodies, n: int, first: int = 0) -> None:
    for i in range(first, first + n):
        m = held_meeting(cast.parent_zhang, bodies.a, title=f"会议{i}", ago=datetime.timedelta(days=i + 1))
        services.resolution_add(actor=cast.parent_zhang, meeting=m, text="x", votes_for=2, votes_against=0,
                                votes_abstain=0)  # fmt: skip
        services.action_add(actor=cast.parent_zhang, meeting=m, text=f"事项{i}",
                            due_on=timezone.localdate() + datetime.timedelta(days=5), owner_member=bodies.zhao)  # fmt: skip
        services.meeting_minutes_save(actor=cast.parent_zhang, meeting=m, minutes="纪要")
        services.meeting_publish(actor=cast.parent_zhang, meeting=m)
        services.charter_draft(actor=cast.parent_zhang, committee=bodies.a, text=f"章程 {i}")


@pytest.mark.parametrize(
    "persona, url_name",
    [
        ("parent_zhang", "committees:detail"),
        ("school_admin_liu", "committees:detail"),
        ("grandma_zhao", "committees:mine"),
        ("parent_zhang", "committees:charter"),
    ],
)
def test_pages_take_a_fixed_number_of_queries(
    cast, bodies, client_for, django_assert_max_num_queries, persona, url_name
):
    client = client_for(persona)
    url = reverse(url_name, args=[bodies.a.pk]) if url_name != "committees:mine" else reverse(url_name)
    _grow(cast, bodies, 1)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    _grow(cast, bodies, 6, first=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# --- the API --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona, status", READERS + [(None, 401)])
def test_the_api_charter_and_minutes_follow_the_page(cast, bodies, client_for, persona, status):
    _published(cast, bodies)
    client = client_for(persona)
    charter = client.get(f"/api/v1/committees/{bodies.a.pk}/charter")
    minutes = client.get(f"/api/v1/committees/{bodies.a.pk}/minutes")
    assert (charter.status_code, minutes.status_code) == (status, status)
    if status == 200:
        assert charter.json()["version"] == 1 and "任期两年" in charter.json()["text"]
        item = minutes.json()["items"][0]
        assert item["resolutions"][0]["passed"] and item["minutes"].startswith("全体到会")


def test_the_api_lists_my_committees_and_my_role(cast, bodies, client_for):
    data = client_for("parent_zhang").get("/api/v1/committees/mine").json()
    assert [c["name"] for c in data["items"]] == ["城厢小学家长委员会"]
    assert data["items"][0]["my_role"] == "chair" and data["items"][0]["charter_version"] == 1
    assert {m["name"] for m in data["items"][0]["members"]} == {"张伟", "赵秀英", "黄丽"}
    assert client_for("parent_sun").get("/api/v1/committees/mine").json()["items"][0]["name"] == "全南二中家长委员会"
    assert client_for("school_admin_wang").get("/api/v1/committees/mine").json()["items"] == []
    assert client_for(None).get("/api/v1/committees/mine").status_code == 401
    unseen = client_for("parent_sun").get("/api/v1/committees/99999999/charter")
    assert unseen.status_code == 404
