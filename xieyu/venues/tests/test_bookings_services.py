"""Booking a class visit: the places of a half-day are counted across every live booking of that venue, date and
half-day (two schools asking for the last places at once cannot both win); the venue's rules refuse a past date, a
date too soon, a half-day it does not open, a group of 0 or over its largest; the contact's confirmation turns the
visit into 三年级1班's event; cancelling frees the places."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from xieyu.events import access as events_access
from xieyu.events.models import Event, Staff
from xieyu.notices.models import Delivery
from xieyu.venues.bookings import services
from xieyu.venues.models import Booking

from .venues_fixtures import next_weekday

pytestmark = pytest.mark.django_db


def book(cast, venue, *, school_class=None, date=None, part="morning", n=20, actor=None):
    return services.booking_create(
        actor=actor or cast.school_admin_liu, venue=venue, school_class=school_class or cast.class_a1,
        date=date or next_weekday(0), part=part, group_size=n,
    )  # fmt: skip


def test_places_are_counted_across_all_live_bookings_of_the_half_day(cast, red_site):
    monday = next_weekday(0)
    book(cast, red_site, n=20)
    with pytest.raises(ValidationError) as refused:
        book(cast, red_site, school_class=cast.class_b1, actor=cast.school_admin_wang, n=11)
    assert "10" in refused.value.messages[0] and "全南县革命烈士纪念馆" in refused.value.messages[0]
    assert Booking.objects.filter(school=cast.school_b).count() == 0
    book(cast, red_site, school_class=cast.class_b1, actor=cast.school_admin_wang, n=10)  # the last ten fit
    later = monday + datetime.timedelta(days=7)
    book(cast, red_site, date=later, n=30)  # another Monday has its own places
    book(cast, red_site, date=next_weekday(2), part="afternoon", n=30)  # and another half-day


def test_cancelling_frees_the_places_and_declined_ones_hold_none(cast, red_site):
    first = book(cast, red_site, n=30)
    with pytest.raises(ValidationError):
        book(cast, red_site, school_class=cast.class_a2, n=1)
    services.booking_cancel(actor=cast.school_admin_liu, booking=first)
    second = book(cast, red_site, school_class=cast.class_a2, n=30)
    services.booking_decline(actor=cast.venue_gu, booking=second, reason="当天闭馆维护")
    assert book(cast, red_site, school_class=cast.class_b1, actor=cast.school_admin_wang, n=30).is_live


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"date": datetime.date(2020, 3, 2)}, "date", "已过"),
        ({"date": "soon"}, "date", "至少提前3天"),
        ({"date": "sunday"}, "part", "不接待"),
        ({"part": "afternoon"}, "part", "不接待"),
        ({"n": 0}, "group_size", "1"),
        ({"n": 31}, "group_size", "30"),
    ],
)
def test_the_venues_rules_refuse_with_a_message_and_change_nothing(cast, red_site, change, field, words):
    from django.utils import timezone, translation

    date = change.get("date")
    if date == "soon":
        date = timezone.localdate() + datetime.timedelta(days=1)
    elif date == "sunday":
        date = next_weekday(6)
    kwargs = {"date": date or next_weekday(0), "part": change.get("part", "morning"), "n": change.get("n", 10)}
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        book(cast, red_site, **kwargs)
    assert refused.value.code == field and words in refused.value.messages[0]
    assert not Booking.objects.exists()


def test_a_venue_of_another_county_is_refused(cast, far_venue):
    with pytest.raises(ValidationError) as refused:
        book(cast, far_venue)
    assert refused.value.code == "venue" and not Booking.objects.exists()


def test_an_unpublished_venue_takes_no_booking(cast, red_site):
    red_site.published = False
    red_site.save()
    with pytest.raises(ValidationError):
        book(cast, red_site)


def test_the_contact_hears_of_the_request_and_her_confirmation_makes_the_class_event(cast, red_site, client_for):
    booking = book(cast, red_site, n=25)
    assert Delivery.objects.filter(user=cast.venue_gu, notice__topic="venues.booking").count() == 1
    services.booking_confirm(actor=cast.venue_gu, booking=booking)
    booking.refresh_from_db()
    event = booking.event
    assert booking.status == "confirmed" and event is not None
    assert (event.kind, event.school, event.audience, event.audience_class) == (
        Event.Kind.VENUE_VISIT,
        cast.school_a,
        "class",
        cast.class_a1,
    )
    assert event.status == "published" and event.starts_at.date() == booking.date
    assert Staff.objects.filter(event=event, user=cast.venue_gu, role="guide").exists()
    # 张伟's family (张小明 in 三年级1班) sees it; 孙丽's (全南二中) does not
    assert events_access.events_visible_to(cast.parent_zhang).filter(pk=event.pk).exists()
    assert not events_access.events_visible_to(cast.parent_sun).filter(pk=event.pk).exists()
    # it counts among the school's activities
    assert event in events_access.school_calendar(cast.school_admin_liu, cast.school_a)
    # the school hears back
    assert Delivery.objects.filter(user=cast.school_admin_liu, notice__topic="venues.booking").exists()
    with pytest.raises(ValidationError):
        services.booking_confirm(actor=cast.venue_gu, booking=booking)  # once only


def test_cancelling_a_confirmed_visit_cancels_its_event(cast, red_site):
    booking = services.booking_confirm(actor=cast.venue_gu, booking=book(cast, red_site))
    services.booking_cancel(actor=cast.head_teacher_li, booking=booking, reason="下雨")
    booking.event.refresh_from_db()
    assert booking.event.status == "cancelled"
    assert Delivery.objects.filter(user=cast.venue_gu, notice__topic="venues.booking").count() == 2  # asked, cancelled


def test_declining_needs_a_reason(cast, red_site):
    booking = book(cast, red_site)
    with pytest.raises(ValidationError) as refused:
        services.booking_decline(actor=cast.venue_gu, booking=booking, reason="  ")
    assert refused.value.code == "reason"
    booking.refresh_from_db()
    assert booking.status == "pending"


@pytest.mark.django_db(transaction=True)
def test_two_schools_asking_for_the_last_places_at_once_cannot_both_win(cast, red_site):
    if connection.vendor != "postgresql":
        pytest.skip("the row lock is PostgreSQL's; SQLite serialises writers by itself")
    book(cast, red_site, n=10)  # 20 places left
    barrier = threading.Barrier(2)
    results: list[str] = []

    def ask(admin, school_class):
        try:
            barrier.wait()
            services.booking_create(actor=admin, venue=red_site, school_class=school_class, date=next_weekday(0),
                                    part="morning", group_size=15)  # fmt: skip
            results.append("won")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=ask, args=(cast.school_admin_liu, cast.class_a2)),
        threading.Thread(target=ask, args=(cast.school_admin_wang, cast.class_b1)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused", "won"]
    assert sum(Booking.objects.filter(status="pending").values_list("group_size", flat=True)) == 25
