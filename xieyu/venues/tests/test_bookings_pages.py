"""Booking pages and API, read as stories: 刘芳 asks for 三年级1班's visit from the venue's page; 古志强 answers it from
his home and the booking's page; 王强 (the neighbour school) cannot see or cancel it, another venue's contact cannot
confirm it, guardians see no bookings, anonymous visitors are sent to log in (401 on the API)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieyu.venues.bookings import services
from xieyu.venues.models import Booking, FamilyDay

from .venues_fixtures import next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(cast, red_site):
    return services.booking_create(actor=cast.school_admin_liu, venue=red_site, school_class=cast.class_a1,
                                   date=next_weekday(0), part="morning", group_size=25)  # fmt: skip


def _form(cast, **over):
    return {"school_class": cast.class_a1.pk, "date": next_weekday(0).isoformat(), "part": "morning",
            "group_size": 20, **over}  # fmt: skip


def test_liu_fang_books_from_the_venue_page_and_over_capacity_is_refused(cast, client_for, red_site):
    liu = client_for("school_admin_liu")
    page = liu.get(reverse("venues:detail", args=[red_site.pk])).content.decode()
    assert 'id="booking-form"' in page and "三年级1班" in page
    response = liu.post(reverse("venues:booking_create", args=[red_site.pk]), _form(cast))
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("venues:booking_detail", args=[booking.pk])
    refused = liu.post(reverse("venues:booking_create", args=[red_site.pk]),
                       _form(cast, school_class=cast.class_a2.pk, group_size=15), follow=True)  # fmt: skip
    assert "只剩10个名额" in refused.content.decode() and Booking.objects.count() == 1
    bad = liu.post(reverse("venues:booking_create", args=[red_site.pk]), _form(cast, group_size=0), follow=True)
    assert Booking.objects.count() == 1 and "messages" in bad.content.decode()


def test_a_head_teacher_books_for_her_class_only(cast, client_for, red_site):
    li = client_for("head_teacher_li")
    assert li.post(reverse("venues:booking_create", args=[red_site.pk]), _form(cast)).status_code == 302
    other = li.post(reverse("venues:booking_create", args=[red_site.pk]), _form(cast, school_class=cast.class_a2.pk))
    assert other.status_code == 302 and Booking.objects.count() == 1  # 三年级2班 is not a choice of hers
    assert client_for("parent_zhang").post(reverse("venues:booking_create", args=[red_site.pk]),
                                           _form(cast)).status_code == 404  # fmt: skip


@pytest.mark.parametrize(
    "persona, status",
    [("school_admin_liu", 200), ("head_teacher_li", 200), ("venue_gu", 200), ("county_admin_chen", 200),
     ("school_admin_wang", 404), ("head_teacher_wang", 404), ("other_contact", 404), ("parent_zhang", 404),
     ("teacher_he", 404), (None, 302)],
)  # fmt: skip
def test_a_booking_is_seen_by_its_school_its_venue_and_the_county(cast, client_for, asked, other_contact, persona,
                                                                   status):  # fmt: skip
    if persona == "other_contact":
        from django.test import Client

        client = Client()
        client.force_login(other_contact, backend="django.contrib.auth.backends.ModelBackend")
    else:
        client = client_for(persona)
    assert client.get(reverse("venues:booking_detail", args=[asked.pk])).status_code == status


def test_wang_qiang_cannot_cancel_and_another_contact_cannot_confirm(cast, client_for, asked, other_contact):
    from django.test import Client

    assert client_for("school_admin_wang").post(reverse("venues:booking_cancel", args=[asked.pk])).status_code == 404
    deng = Client()
    deng.force_login(other_contact, backend="django.contrib.auth.backends.ModelBackend")
    assert deng.post(reverse("venues:booking_confirm", args=[asked.pk])).status_code == 404
    assert client_for("school_admin_liu").post(reverse("venues:booking_confirm", args=[asked.pk])).status_code == 404
    asked.refresh_from_db()
    assert asked.status == "pending"


def test_gu_confirms_from_his_home_and_the_class_sees_the_event(cast, client_for, asked):
    gu = client_for("venue_gu")
    home = gu.get("/").content.decode()
    assert f'data-booking="{asked.pk}"' in home and "全南县革命烈士纪念馆" in home
    gu.post(reverse("venues:booking_confirm", args=[asked.pk]))
    asked.refresh_from_db()
    assert asked.status == "confirmed"
    event_page = client_for("parent_zhang").get(reverse("events:detail", args=[asked.event_id]))
    assert event_page.status_code == 200 and "全南县革命烈士纪念馆" in event_page.content.decode()
    assert client_for("parent_sun").get(reverse("events:detail", args=[asked.event_id])).status_code == 404


def test_declining_without_a_reason_changes_nothing(cast, client_for, asked):
    gu = client_for("venue_gu")
    gu.post(reverse("venues:booking_decline", args=[asked.pk]), {"reason": ""})
    asked.refresh_from_db()
    assert asked.status == "pending"
    gu.post(reverse("venues:booking_decline", args=[asked.pk]), {"reason": "当天布展闭馆"})
    asked.refresh_from_db()
    assert (asked.status, asked.reason) == ("declined", "当天布展闭馆")


def test_the_list_shows_each_side_its_bookings(cast, client_for, asked):
    assert (
        f'data-booking="{asked.pk}"' in client_for("school_admin_liu").get(reverse("venues:bookings")).content.decode()
    )
    gu = client_for("venue_gu").get(reverse("venues:bookings")).content.decode()
    assert 'id="awaiting"' in gu and f'data-booking="{asked.pk}"' in gu
    assert (
        f'data-booking="{asked.pk}"'
        not in client_for("school_admin_wang").get(reverse("venues:bookings")).content.decode()
    )
    assert client_for("parent_zhang").get(reverse("venues:bookings")).status_code == 404
    assert client_for(None).get(reverse("venues:bookings")).status_code == 302


@pytest.mark.parametrize("persona", ["venue_gu", "county_admin_chen"])
def test_the_list_and_home_run_a_fixed_number_of_queries(cast, client_for, red_site, django_assert_max_num_queries,
                                                         persona):  # fmt: skip
    def book(n, start=0):
        for i in range(start, start + n):
            services.booking_create(actor=cast.school_admin_liu, venue=red_site, school_class=cast.class_a1,
                                    date=next_weekday(0, after_days=5 + 7 * i), part="morning", group_size=5)  # fmt: skip

    client = client_for(persona)
    book(2)
    for url in (reverse("venues:bookings"), "/"):
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        book(1, start=100 + len(small.captured_queries))  # keep dates distinct
        book(12, start=200 + len(small.captured_queries))
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert client.get(url).status_code == 200


def test_a_family_day_is_posted_by_the_contact_and_offered_to_families(cast, client_for, red_site):
    gu = client_for("venue_gu")
    day = next_weekday(5)
    gu.post(reverse("venues:family_day_create", args=[red_site.pk]),
            {"title": "红色家风亲子开放日", "date": day.isoformat(), "start": "09:00", "end": "11:30", "capacity": 40})  # fmt: skip
    fd = FamilyDay.objects.get()
    assert (fd.event.kind, fd.event.audience, fd.event.capacity) == ("venue_visit", "county", 40)
    assert (
        "红色家风亲子开放日"
        in client_for("parent_zhang").get(reverse("venues:detail", args=[red_site.pk])).content.decode()
    )
    assert "红色家风亲子开放日" in client_for("parent_zhang").get("/").content.decode()
    assert client_for("parent_zhang").post(reverse("venues:family_day_create", args=[red_site.pk]),
                                           {"title": "x"}).status_code == 404  # fmt: skip


API = "/api/v1/venues/bookings"


def _post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_the_api_books_confirms_and_declines_by_the_same_rules(cast, client_for, red_site, far_venue):
    liu = client_for("school_admin_liu")
    body = {"venue_id": red_site.pk, "class_id": cast.class_a1.pk, "date": next_weekday(0).isoformat(),
            "part": "morning", "group_size": 25}  # fmt: skip
    created = _post(liu, API, body)
    assert created.status_code == 201 and created.json()["status"] == "pending"
    over = _post(liu, API, {**body, "class_id": cast.class_a2.pk, "group_size": 6})
    assert over.status_code == 400 and "5" in over.json()["error"]["message"]
    assert _post(liu, API, {**body, "part": "evening"}).status_code == 400
    assert _post(liu, API, {**body, "venue_id": far_venue.pk}).status_code == 404
    assert _post(client_for("school_admin_wang"), API, {**body, "group_size": 1}).status_code == 404  # not his class
    assert _post(client_for("parent_zhang"), API, body).status_code == 404
    assert _post(client_for(None), API, body).status_code == 401
    pk = created.json()["id"]
    assert _post(client_for("school_admin_liu"), f"{API}/{pk}/confirm").status_code == 404
    confirmed = _post(client_for("venue_gu"), f"{API}/{pk}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["event_id"]
    assert _post(client_for("venue_gu"), f"{API}/{pk}/confirm").status_code == 400
    second = _post(liu, API, {**body, "class_id": cast.class_a2.pk, "group_size": 5}).json()["id"]
    assert _post(client_for("venue_gu"), f"{API}/{second}/decline", {"reason": ""}).status_code == 400
    declined = _post(client_for("venue_gu"), f"{API}/{second}/decline", {"reason": "名额已满"})
    assert declined.json()["status"] == "declined"
