"""What counts when: 赵秀英 walks in to 城厢小学's parent-school lecture. Her family came as soon as 刘芳 checks her in
(the event's attendance, the class's participation, the families who never came); her learning record and
certificate credit the session only once it has ended."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieyu.accounts.tokens import token_create
from xieyu.directory.models import Guardian
from xieyu.events import access as events_access
from xieyu.events import services as event_services
from xieyu.events.models import Event
from xieyu.parentschool import access, services
from xieyu.parentschool.semester import semester_of


@pytest.fixture
def session(cast):
    ps = services.parent_school_establish(actor=cast.school_admin_liu, school=cast.school_a,
                                          established_on=datetime.date(2024, 9, 1), person_in_charge="刘芳")  # fmt: skip
    start = timezone.now() + datetime.timedelta(minutes=10)
    return services.session_plan(actor=cast.school_admin_liu, parent_school=ps, title="隔代教养的智慧", place="报告厅",
                                 starts_at=start, ends_at=start + datetime.timedelta(hours=2))  # fmt: skip


def _api_record(cast) -> dict:
    _t, plain = token_create(actor=cast.grandma_zhao, user=cast.grandma_zhao, name="app")
    return Client().get("/api/v1/parent-school/record", HTTP_AUTHORIZATION=f"Bearer {plain}").json()


def test_a_walk_in_counts_as_come_at_once_and_as_learning_once_the_session_ends(cast, client_for, session):
    event = session.event
    zhao = Guardian.objects.get(user=cast.grandma_zhao)
    during = event.starts_at + datetime.timedelta(minutes=5)
    with time_machine.travel(during):
        event_services.attendance_record_walk_in(actor=cast.school_admin_liu, event=event,
                                                 student=cast.students["liu_xiaoyu"], guardian=zhao)  # fmt: skip
        sem = semester_of()
        # participation counts her family now
        counts = events_access.with_counts(Event.objects.filter(pk=event.pk)).get()
        assert counts.attended_count == 1
        classes = {c.pk: c for c in access.class_participation(cast.school_admin_liu, cast.school_a, sem)}
        assert classes[cast.class_a1.pk].attended_families == 1
        reach = {s.name for s in access.unreached_families(cast.class_a1, sem)}
        assert "刘小宇" not in reach and "周杰" in reach
        effect = access.term_effectiveness(cast.school_a, sem)
        assert effect.held_count == 1 and effect.attended_total == 0  # a walk-in: participation, not the rate
        # learning credit does not, yet
        grandma = client_for("grandma_zhao")
        record = grandma.get(reverse("parentschool:record")).content.decode()
        assert 'data-record="隔代教养的智慧"' not in record and "data-pending" in record
        assert "隔代教养的智慧" not in grandma.get(reverse("parentschool:certificate")).content.decode()
        assert _api_record(cast)["activities"] == 0
    with time_machine.travel(event.ends_at):
        record = client_for("grandma_zhao").get(reverse("parentschool:record")).content.decode()
        assert 'data-record="隔代教养的智慧"' in record and "data-pending" not in record
        assert "2.0h · 赵秀英" in record
        assert "隔代教养的智慧" in client_for("grandma_zhao").get(reverse("parentschool:certificate")).content.decode()
        api = _api_record(cast)
        assert (api["activities"], api["hours"], api["items"][0]["guardian"]) == (1, 2.0, "赵秀英")
        # the figures have not moved
        assert access.class_participation(cast.school_admin_liu, cast.school_a, semester_of()).get(
            pk=cast.class_a1.pk).attended_families == 1  # fmt: skip


def test_a_family_member_not_on_the_roster_credits_the_family(cast, client_for, session):
    event = session.event
    with time_machine.travel(event.starts_at):
        event_services.attendance_record_walk_in(actor=cast.school_admin_liu, event=event,
                                                 student=cast.students["liu_xiaoyu"], guardian=None,
                                                 companion="刘小宇外公")  # fmt: skip
    with time_machine.travel(event.ends_at + datetime.timedelta(days=1)):
        record = client_for("grandma_zhao").get(reverse("parentschool:record")).content.decode()
        assert 'data-record="隔代教养的智慧"' in record and "刘小宇外公" in record
        assert _api_record(cast)["items"][0]["guardian"] == "刘小宇外公"


def test_a_cancelled_session_earns_no_credit(cast, client_for, session):
    event = session.event
    with time_machine.travel(event.starts_at):
        event_services.attendance_record_walk_in(actor=cast.school_admin_liu, event=event,
                                                 student=cast.students["liu_xiaoyu"], guardian=None)  # fmt: skip
        event_services.event_cancel(actor=cast.school_admin_liu, event=event)
    with time_machine.travel(event.ends_at + datetime.timedelta(hours=1)):
        record = client_for("grandma_zhao").get(reverse("parentschool:record")).content.decode()
        assert 'data-record="隔代教养的智慧"' not in record and "data-pending" not in record


def test_record_page_runs_a_fixed_number_of_queries(cast, client_for, session):
    from xieyu.events.tests.test_events import len_queries

    grandma = client_for("grandma_zhao")
    url = reverse("parentschool:record")
    grandma.get(url)
    before = len_queries(grandma, url)
    with time_machine.travel(session.event.starts_at):
        event_services.attendance_record_walk_in(actor=cast.school_admin_liu, event=session.event,
                                                 student=cast.students["liu_xiaoyu"], guardian=None)  # fmt: skip
    with time_machine.travel(session.event.ends_at):
        grandma.get(url)  # the session cookie is refreshed after the jump in time: not counted
        assert len_queries(grandma, url) == before
        assert 'data-record="隔代教养的智慧"' in grandma.get(url).content.decode()
