"""No input answers 500: ids that are not numbers, out of range or negative, page numbers past any end, NUL
characters in forms and addresses. A bad id reads as "not found", like an id the caller may not see."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

HUGE = "99999999999999999999"


def page_routes(ident: str = HUGE) -> list[str]:
    """Every page route of the site with its parameters filled, except the API and the admin."""
    routes: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            if not isinstance(p.pattern, RoutePattern):
                continue
            route = prefix + str(p.pattern)
            if route.startswith(("api/", "admin/", "logout/")):  # logging out would end the walk's session
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                routes.append("/" + re.sub(r"<(?:int|id):\w+>", ident, re.sub(r"<str:\w+>", "ABCDEFGH", route)))

    walk(get_resolver().url_patterns, "")
    return sorted(set(routes))


GARBAGE = {
    "page": HUGE, "year": HUGE, "days": "abc", "school": "abc", "county": "abc", "show": "x", "status": "x",
    "category": "x", "q": "家长" * 60, "s": HUGE, "t": "x", "next": "//evil.example", "title": "x", "body": "x",
}  # fmt: skip


@pytest.mark.parametrize("ident", [HUGE, "1"])
@pytest.mark.parametrize("persona", ["county_admin_chen", "head_teacher_li", "parent_zhang"])
def test_no_page_answers_500_to_huge_ids_and_garbage_parameters(cast, client_for, persona, ident):
    client = client_for(persona)
    client.raise_request_exception = False
    failures = []
    for route in page_routes(ident):
        for method in ("get", "post"):
            response = getattr(client, method)(route, GARBAGE)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {route} → {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", ["county_admin_chen", "head_teacher_li", "parent_zhang", None])
def test_no_page_answers_500_to_nul_characters(cast, client_for, persona):
    client = client_for(persona)
    client.raise_request_exception = False
    nul = {key: "1\x00" for key in [*GARBAGE, "form", "action", "code", "phone", "name", "reply", "text"]}
    failures = []
    for route in [*page_routes("1"), "/join/AB\x00CDEFG/"]:
        for method in ("get", "post"):
            response = getattr(client, method)(route, nul)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {route!r} → {response.status_code}")
    assert not failures, "\n".join(failures)


# --- ids in forms: the known 500s, now 404s ---------------------------------------------------------------------

BAD_IDS = ["abc", "-1", "0", "1.5", HUGE, "１２", "²", "", "1\x00"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_county_calendar_day_that_cannot_be_an_id_is_404(cast, client_for, bad):
    import datetime

    from xieyu.deadlines.models import CalendarDay
    from xieyu.deadlines.services import calendar_day_add

    calendar_day_add(actor=cast.county_admin_chen, county=cast.county, date=datetime.date(2026, 12, 2),
                     kind=CalendarDay.Kind.DAY_OFF, note="县运动会")  # fmt: skip
    chen = client_for("county_admin_chen")
    assert chen.post("/deadlines/calendar/", {"action": "remove_day", "day": bad}).status_code == 404
    assert chen.post("/deadlines/calendar/", {"action": "confirm_year", "year": bad}).status_code == 404
    # a NUL in the query string is refused before any view (core.middleware): 400, as bad a request as can be
    expected = {200, 404} if bad == "" else {400} if "\x00" in bad else {404}
    assert chen.get("/deadlines/calendar/", {"county": bad}).status_code in expected
    assert CalendarDay.objects.count() == 1


def test_a_schedule_year_outside_the_calendar_is_404(cast, client_for):
    from xieyu.deadlines.models import ScheduleYear

    chen = client_for("county_admin_chen")
    for year in ("32768", "99999", "1"):
        assert chen.post("/deadlines/calendar/", {"action": "confirm_year", "year": year}).status_code == 404
    assert not ScheduleYear.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_rules_document_that_cannot_be_an_id_is_404(cast, client_for, bad):
    import datetime

    from xieyu.parentschool import services
    from xieyu.parentschool.models import RulesDocument

    ps = services.parent_school_establish(actor=cast.school_admin_liu, school=cast.school_a,
                                          established_on=datetime.date(2024, 9, 1), person_in_charge="刘芳")  # fmt: skip
    services.rules_add(actor=cast.school_admin_liu, parent_school=ps, title="家长学校管理制度", text="第一条")
    url = f"/parent-school/school/{cast.school_a.pk}/"
    response = client_for("school_admin_liu").post(url, {"form": "rules_remove", "document": bad})
    assert response.status_code == 404
    assert RulesDocument.objects.count() == 1


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_registration_that_cannot_be_an_id_is_404(cast, client_for, bad):
    import datetime

    from xieyu.events.models import Attendance
    from xieyu.events.tests.test_events import _lecture

    lecture = _lecture(cast, start_in=datetime.timedelta(minutes=10))
    response = client_for("school_admin_liu").post(f"/events/{lecture.pk}/attendance/", {"registration": bad})
    assert response.status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("bad", ["abc", "-1", HUGE])
def test_an_overview_school_that_cannot_be_an_id_is_404(cast, client_for, bad):
    assert client_for("county_admin_chen").get("/questions/overview/", {"school": bad}).status_code == 404


@pytest.mark.parametrize(
    "value, expected",
    [("1", 1), (" 42 ", 42), (7, 7), (str(2**63 - 1), 2**63 - 1), (str(2**63), None), (HUGE, None), ("0", None),
     ("-1", None), (-1, None), ("abc", None), ("1e3", None), ("１２", None), ("", None), (None, None), (True, None),
     ("1\x00", None), (1.0, None)],
)  # fmt: skip
def test_parse_id_takes_only_ids_the_database_can_hold(value, expected):
    from xieyu.core.viewhelpers import parse_id

    assert parse_id(value) == expected


# --- page numbers -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [HUGE, "-1", "abc", "0", "1e9"])
def test_a_page_number_past_the_end_answers_a_page(cast, client_for, page):
    response = client_for("head_teacher_li").get(f"/classes/{cast.class_a1.pk}/", {"page": page})
    assert response.status_code == 200


# --- NUL characters in forms ------------------------------------------------------------------------------------


def test_a_nul_character_in_a_form_is_a_form_error_and_nothing_is_stored(cast, client_for):
    from xieyu.notices.models import Notice

    response = client_for("head_teacher_li").post(
        "/notices/new/",
        {"title": "通\x00知", "body": "内容", "receipt_mode": "read", "classes": [cast.class_a1.pk]},
    )
    assert response.status_code in (200, 400)
    assert "title" in response.context["form"].errors
    assert not Notice.objects.exists()
