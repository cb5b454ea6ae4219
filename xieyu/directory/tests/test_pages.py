"""The pages by role: who sees which home, roster, school and record, with what figures, in how many queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant, user_create
from xieyu.audit.models import AccessEvent
from xieyu.directory.models import Grade, Guardianship, School, SchoolClass, Student
from xieyu.directory.services import (
    class_create,
    guardian_for_phone,
    guardianship_add,
    school_create,
    student_create,
    student_transfer,
)

# --- helpers ------------------------------------------------------------------------------------------------


def _page_text(response) -> str:
    """The page as the visitor reads it: the per-render CSRF token masked (it differs on every page)."""
    return re.sub(r"[A-Za-z0-9]{64}", "<csrf>", response.content.decode())


def _children(html: str, attr: str) -> list[str]:
    return re.findall(rf'{attr}="([^"]*)"', html)


def _count(html: str, name: str) -> int:
    match = re.search(rf'data-count="{name}"[^>]*>\s*<strong>(\d+)</strong>', html)
    assert match, f"no {name} count on the page"
    return int(match.group(1))


def _rates(html: str) -> list[str]:
    return re.findall(r"<b data-rate>(\d+%)</b>", html)


def _queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx), response.content.decode()


_serial = iter(range(10_000))


def grow(cast, *, students: int = 30, schools: int = 4) -> None:
    """More data everywhere: students with guardians in class_a1 (some joined, some without a phone), more classes
    in school_a with head teachers, more schools in the county, class moves, reads of a record."""
    for i in range(students):
        n = next(_serial)
        student = student_create(
            actor=None, school_class=cast.class_a1, name=f"学生{n}", gender="M",
            birth_date=datetime.date(2017, 1, 1), student_number=f"X{n:05d}",
        )  # fmt: skip
        guardian = guardian_for_phone(name=f"家长{n}", phone=None if i % 3 == 0 else f"139{n:08d}")
        if i % 2:
            guardian.user = user_create(actor=None, phone=f"137{n:08d}", name=f"家长{n}")
            guardian.save(update_fields=["user"])
        guardianship_add(actor=None, student=student, guardian=guardian, relationship="mother", is_primary_carer=True)
        guardianship_add(
            actor=None, student=student, guardian=guardian_for_phone(name=f"父{n}", phone=f"136{n:08d}"),
            relationship="father", lives_with_child=False,
        )  # fmt: skip
    grade = Grade.objects.get(school=cast.school_a, level=4)
    for _ in range(3):
        n = next(_serial)
        school_class = class_create(actor=None, grade=grade, name=f"{n}班")
        teacher = user_create(actor=None, phone=f"135{n:08d}", name=f"老师{n}")
        membership_grant(actor=None, user=teacher, role=Role.HEAD_TEACHER, unit=school_class)
        student_create(
            actor=None, school_class=school_class, name=f"学生{n}", gender="F",
            birth_date=datetime.date(2016, 1, 1), student_number=f"Y{n:05d}",
        )  # fmt: skip
    for _ in range(schools):
        n = next(_serial)
        school = school_create(
            actor=None, county=cast.county, name=f"全南县第{n}小学", kind=School.Kind.PRIMARY, code=f"99{n:05d}"
        )
        school_class = class_create(actor=None, grade=school.grades.get(level=1), name="1班")
        student_create(
            actor=None, school_class=school_class, name=f"学生{n}", gender="F",
            birth_date=datetime.date(2019, 1, 1), student_number=f"Z{n:05d}",
        )  # fmt: skip
    zhang = cast.students["zhang_xiaoming"]
    student_transfer(actor=None, student=zhang, to_class=cast.class_a2, note="test")
    student_transfer(actor=None, student=zhang, to_class=cast.class_a1, note="test")


def assert_fixed_queries(client, url, cast, django_assert_max_num_queries, grow_kwargs=None) -> tuple[str, str]:
    """The page runs no more queries with much more data than with the cast alone."""
    small, small_html = _queries(client, url)
    grow(cast, **(grow_kwargs or {}))
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200
    return small_html, response.content.decode()


# --- the home page by role --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client_for):
    for url in ("/", "/classes/1/", "/schools/1/", "/students/1/"):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_user_with_no_role_sees_the_empty_home(cast, client):
    stranger = user_create(actor=None, phone="13900000000", name="路人")
    client.force_login(stranger, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/")
    assert response.status_code == 200
    assert "directory/home_empty.html" in [t.name for t in response.templates]


def test_a_parent_sees_their_child_school_class_and_head_teacher(cast, client_for):
    html = client_for("parent_zhang").get("/").content.decode()
    assert _children(html, "data-child") == ["张小明"]
    assert "全南县城厢小学" in html and "三年级1班" in html
    assert re.search(r"<dd data-head-teacher>([^<]*)</dd>", html).group(1) == "李娜"
    assert "孙浩" not in html and "刘小宇" not in html


def test_a_grandmother_sees_her_left_behind_grandson(cast, client_for):
    html = client_for("grandma_zhao").get("/").content.decode()
    assert _children(html, "data-child") == ["刘小宇"]
    assert reverse("directory:student_detail", args=[cast.students["liu_xiaoyu"].pk]) in html


def test_a_parent_is_told_when_a_join_request_is_pending(cast, client_for):
    guardian = cast.parent_zhang.guardian
    guardianship_add(
        actor=None, student=cast.students["chen_yu"], guardian=guardian, relationship="father",
        status=Guardianship.Status.PENDING,
    )  # fmt: skip
    html = client_for("parent_zhang").get("/").content.decode()
    assert _children(html, "data-pending") == ["陈雨"]
    assert _children(html, "data-child") == ["张小明"]  # not a child of theirs until confirmed


def test_the_head_teacher_who_is_also_a_mother_sees_her_daughter_as_a_parent(cast, client_for):
    client = client_for("head_teacher_li")
    client.post(reverse("accounts:switch_role"), {"role": "guardian"})
    html = client.get("/").content.decode()
    assert _children(html, "data-child") == ["李果果"]
    assert "王敏" in html  # her daughter's head teacher


def test_the_head_teacher_sees_her_roster_and_who_has_not_joined(cast, client_for):
    html = client_for("head_teacher_li").get("/").content.decode()
    assert (_count(html, "students"), _count(html, "joined"), _count(html, "not_joined")) == (4, 2, 2)
    assert _count(html, "no_phone") == 1
    rows = re.findall(r'data-joined="(yes|no)" data-student="([^"]+)"', html)
    assert rows[:2] == [("no", "钱多多"), ("no", "周杰")]  # not joined first
    assert {name for _, name in rows[2:]} == {"张小明", "刘小宇"}
    qian = html.split('data-student="钱多多"')[1].split("</li>\n    </ul>")[0]
    assert "data-needs-print" in qian
    zhou = html.split('data-student="周杰"')[1].split('data-student="')[0]
    assert "data-needs-print" not in zhou  # has a phone, simply not joined
    assert "138****0032" in html and "13800000032" not in html  # masked phones on the roster
    assert reverse("directory:class_poster", args=[cast.class_a1.pk]) in html
    assert reverse("directory:join_requests") in html
    assert "50%" in _rates(html)
    assert "孙浩" not in html and "李果果" not in html


def test_the_roster_filters_in_place_with_htmx(cast, client_for):
    client = client_for("head_teacher_li")
    response = client.get("/?show=not_joined", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="roster")
    html = response.content.decode()
    assert response.status_code == 200
    assert not html.lstrip().startswith("<!doctype")  # only the partial
    assert re.findall(r'data-student="([^"]+)"', html) == ["钱多多", "周杰"]
    html = client.get(f"/classes/{cast.class_a1.pk}/?show=no_phone").content.decode()
    assert re.findall(r'data-student="([^"]+)"', html) == ["钱多多"]


def test_the_school_admin_sees_classes_with_joined_rates(cast, client_for):
    html = client_for("school_admin_liu").get("/").content.decode()
    assert (_count(html, "students"), _count(html, "joined"), _count(html, "classes")) == (5, 2, 2)
    assert _rates(html) == ["40%", "50%", "0%"]  # school, 三年级1班, 三年级2班
    assert "李娜" in html  # class_a1's head teacher
    assert reverse("directory:roster_import") in html and reverse("directory:join_requests") in html
    assert reverse("directory:class_roster", args=[cast.class_a1.pk]) in html
    assert 'name="grade"' in html and 'name="name"' in html


def test_the_county_admin_sees_schools_lowest_joined_rate_first(cast, client_for):
    html = client_for("county_admin_chen").get("/").content.decode()
    assert _children(html, "data-school") == ["全南县城厢小学", "全南县第二中学"]
    assert _rates(html) == ["57%", "40%", "100%"]  # county 4/7, then each school
    assert (_count(html, "schools"), _count(html, "students"), _count(html, "joined")) == (2, 7, 4)
    assert reverse("directory:school_overview", args=[cast.school_a.pk]) in html


@pytest.mark.parametrize(
    "persona, template",
    [
        ("counsellor_zhou", "care/cases/home_counsellor.html"),
        ("partner_wu", "care/referrals/home_partner.html"),
        ("expert_huang", "teams/dispatch/home_member.html"),
        ("volunteer_zeng", "teams/dispatch/home_member.html"),
        ("community_ye", "teams/communities/home.html"),
        ("venue_gu", "venues/bookings/home_contact.html"),
    ],
)
def test_a_role_whose_tools_live_above_the_directory_gets_the_home_its_app_registered(
    cast, client_for, persona, template
):
    response = client_for(persona).get("/")
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert "directory/home_staff.html" not in [t.name for t in response.templates]


def test_navigation_reaches_each_page_of_the_role(cast, client_for):
    html = client_for("head_teacher_li").get("/").content.decode()
    nav = html.split('<nav class="mainnav"')[1].split("</nav>")[0]
    assert reverse("directory:class_poster", args=[cast.class_a1.pk]) in nav
    assert reverse("directory:join_requests") in nav
    nav = client_for("school_admin_liu").get("/").content.decode().split('<nav class="mainnav"')[1]
    assert reverse("directory:roster_import") in nav.split("</nav>")[0]


# --- class_roster ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [
        ("head_teacher_li", 200),  # her class
        ("school_admin_liu", 200),  # the school's admin
        ("county_admin_chen", 200),  # the county
        ("head_teacher_wang", 404),  # a neighbour: another school's head teacher
        ("school_admin_wang", 404),  # a neighbour: another school's admin
        ("teacher_he", 404),  # a lower role in the same school
        ("parent_zhang", 404),  # a parent of a child in the class
        ("expert_huang", 404),
    ],
)
def test_a_class_roster_is_seen_only_by_the_staff_responsible(cast, client_for, persona, status):
    response = client_for(persona).get(reverse("directory:class_roster", args=[cast.class_a1.pk]))
    assert response.status_code == status
    if status == 200:
        assert _count(response.content.decode(), "not_joined") == 2


def test_a_missing_class_and_a_forbidden_class_look_alike(cast, client_for):
    client = client_for("head_teacher_wang")
    missing = client.get(reverse("directory:class_roster", args=[999999]))
    forbidden = client.get(reverse("directory:class_roster", args=[cast.class_a1.pk]))
    assert missing.status_code == forbidden.status_code == 404
    assert _page_text(missing) == _page_text(forbidden)


def test_the_roster_paginates(cast, client_for, settings):
    from xieyu.directory import views

    grow(cast, students=60, schools=0)
    client = client_for("head_teacher_li")
    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()
    names_1 = re.findall(r'data-student="([^"]+)"', first)
    names_2 = re.findall(r'data-student="([^"]+)"', second)
    assert len(names_1) == views.ROSTER_PAGE_SIZE
    assert len(names_1) + len(names_2) == 64 and not set(names_1) & set(names_2)
    assert _count(second, "students") == 64


# --- school_overview ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [
        ("school_admin_liu", 200),
        ("county_admin_chen", 200),
        ("school_admin_wang", 404),  # a neighbour
        ("head_teacher_li", 404),  # a lower role: sees her class, not the school's figures
        ("teacher_he", 404),
        ("parent_zhang", 404),
        ("partner_wu", 404),
    ],
)
def test_a_school_overview_is_seen_only_by_those_who_oversee_the_school(cast, client_for, persona, status):
    response = client_for(persona).get(reverse("directory:school_overview", args=[cast.school_a.pk]))
    assert response.status_code == status


def test_a_missing_school_and_a_forbidden_school_look_alike(cast, client_for):
    client = client_for("school_admin_wang")
    missing = client.get(reverse("directory:school_overview", args=[999999]))
    forbidden = client.get(reverse("directory:school_overview", args=[cast.school_a.pk]))
    assert missing.status_code == forbidden.status_code == 404
    assert _page_text(missing) == _page_text(forbidden)


def test_the_county_admin_drills_down_to_a_school(cast, client_for):
    html = client_for("county_admin_chen").get(reverse("directory:school_overview", args=[cast.school_b.pk])).content
    html = html.decode()
    assert (_count(html, "students"), _count(html, "joined")) == (2, 2)
    assert _rates(html) == ["100%", "100%"]
    assert "王敏" in html


def test_a_school_admin_adds_a_class(cast, client_for):
    grade = Grade.objects.get(school=cast.school_a, level=1)
    url = reverse("directory:school_overview", args=[cast.school_a.pk])
    response = client_for("school_admin_liu").post(url, {"grade": grade.pk, "name": " 5班 ", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert SchoolClass.objects.filter(grade=grade, name="5班").exists()


def test_adding_a_class_with_htmx_updates_the_panel_and_names_the_problem(cast, client_for):
    grade = Grade.objects.get(school=cast.school_a, level=3)
    url = reverse("directory:school_overview", args=[cast.school_a.pk])
    client = client_for("school_admin_liu")
    response = client.post(url, {"grade": grade.pk, "name": "1班"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="school-panel"')
    assert "errorlist" in html
    assert SchoolClass.objects.filter(grade=grade, name="1班").count() == 1
    response = client.post(url, {"grade": grade.pk, "name": "9班"}, HTTP_HX_REQUEST="true")
    assert "msg-success" in response.content.decode()
    assert _count(response.content.decode(), "classes") == 3


@pytest.mark.parametrize("persona", ["school_admin_wang", "head_teacher_li", "teacher_he", "parent_zhang"])
def test_only_those_who_manage_the_school_may_add_a_class(cast, client_for, persona):
    grade = Grade.objects.get(school=cast.school_a, level=1)
    url = reverse("directory:school_overview", args=[cast.school_a.pk])
    response = client_for(persona).post(url, {"grade": grade.pk, "name": "7班"})
    assert response.status_code == 404
    assert not SchoolClass.objects.filter(grade=grade, name="7班").exists()


def test_a_class_cannot_be_added_to_another_schools_grade(cast, client_for):
    other_grade = Grade.objects.get(school=cast.school_b, level=7)
    url = reverse("directory:school_overview", args=[cast.school_a.pk])
    response = client_for("school_admin_liu").post(url, {"grade": other_grade.pk, "name": "8班"})
    assert response.status_code == 400
    assert not SchoolClass.objects.filter(name="8班").exists()


def test_adding_a_class_needs_the_csrf_token(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.school_admin_liu, backend="django.contrib.auth.backends.ModelBackend")
    grade = Grade.objects.get(school=cast.school_a, level=1)
    response = client.post(
        reverse("directory:school_overview", args=[cast.school_a.pk]), {"grade": grade.pk, "name": "6班"}
    )
    assert response.status_code == 403


# --- student_detail -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [
        ("parent_zhang", 200),  # his son
        ("head_teacher_li", 200),  # her class
        ("school_admin_liu", 200),
        ("county_admin_chen", 200),
        ("parent_sun", 404),  # a neighbour: another family
        ("grandma_zhao", 404),  # a neighbour in the same class
        ("head_teacher_wang", 404),  # a neighbour: another school's head teacher
        ("teacher_he", 404),  # a lower role
        ("expert_huang", 404),
    ],
)
def test_a_students_record_is_seen_only_by_those_responsible(cast, client_for, persona, status):
    student = cast.students["zhang_xiaoming"]
    response = client_for(persona).get(reverse("directory:student_detail", args=[student.pk]))
    assert response.status_code == status
    events = AccessEvent.objects.filter(target_type="directory.student", target_id=str(student.pk))
    assert events.count() == (1 if status == 200 else 0)


def test_a_missing_student_and_a_forbidden_student_look_alike(cast, client_for):
    client = client_for("parent_sun")
    missing = client.get(reverse("directory:student_detail", args=[999999]))
    forbidden = client.get(reverse("directory:student_detail", args=[cast.students["zhang_xiaoming"].pk]))
    assert missing.status_code == forbidden.status_code == 404
    assert _page_text(missing) == _page_text(forbidden)


def test_every_read_of_a_record_is_logged_and_staff_see_who_read_it(cast, client_for):
    student = cast.students["liu_xiaoyu"]
    url = reverse("directory:student_detail", args=[student.pk])
    client_for("grandma_zhao").get(url, REMOTE_ADDR="10.0.0.8")
    html = client_for("head_teacher_li").get(url).content.decode()
    event = AccessEvent.objects.filter(actor=cast.grandma_zhao).get()
    assert (event.target_type, event.target_id, event.purpose, event.ip) == (
        "directory.student", str(student.pk), "student.detail", "10.0.0.8"
    )  # fmt: skip
    assert _children(html, "data-viewer") == ["李娜", "赵秀英"]  # newest first, this read included


def test_the_access_log_shows_the_last_twenty_reads(cast, client_for):
    student = cast.students["zhou_jie"]
    url = reverse("directory:student_detail", args=[student.pk])
    client = client_for("school_admin_liu")
    for _ in range(25):
        client.get(url)
    html = client.get(url).content.decode()
    assert len(_children(html, "data-viewer")) == 20


def test_staff_see_full_phones_and_parents_see_them_masked_and_no_access_log(cast, client_for):
    student = cast.students["liu_xiaoyu"]
    url = reverse("directory:student_detail", args=[student.pk])
    staff = client_for("head_teacher_li").get(url).content.decode()
    assert "13800001032" in staff and 'id="access-log"' in staff
    assert student.student_number in staff  # the student number, to staff only
    parent = client_for("grandma_zhao").get(url).content.decode()
    assert "13800001032" not in parent and "138****1032" in parent
    assert 'id="access-log"' not in parent and student.student_number not in parent
    assert _children(parent, "data-guardian") == ["赵秀英", "刘军", "陈梅"]  # primary carer first


def test_a_head_teacher_reading_her_own_daughters_record_is_a_parent_there(cast, client_for):
    url = reverse("directory:student_detail", args=[cast.students["li_guoguo"].pk])
    html = client_for("head_teacher_li").get(url).content.decode()
    assert "138****0012" in html and 'id="access-log"' not in html


def test_the_record_shows_class_history(cast, client_for):
    student = cast.students["zhang_xiaoming"]
    student_transfer(actor=cast.school_admin_liu, student=student, to_class=cast.class_a2)
    html = client_for("school_admin_liu").get(reverse("directory:student_detail", args=[student.pk])).content
    assert html.decode().count("三年级2班") >= 2  # current class and the move


def test_a_transferred_student_leaves_the_roster(cast, client_for):
    student_transfer(actor=None, student=cast.students["zhou_jie"], to_class=None)
    html = client_for("head_teacher_li").get("/").content.decode()
    assert "周杰" not in html and _count(html, "students") == 3
    assert Student.objects.get(pk=cast.students["zhou_jie"].pk).status == Student.Status.TRANSFERRED


# --- a fixed number of queries, whatever the data ---------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, url",
    [
        ("parent_zhang", "/"),
        ("head_teacher_li", "/"),
        ("head_teacher_li", "/?show=not_joined"),
        ("school_admin_liu", "/"),
        ("county_admin_chen", "/"),
        ("expert_huang", "/"),
    ],
)
def test_home_pages_run_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries, persona, url):
    small, large = assert_fixed_queries(client_for(persona), url, cast, django_assert_max_num_queries)
    if persona == "head_teacher_li" and "show" not in url:
        assert _count(large, "students") == 34 > _count(small, "students")
    if persona == "county_admin_chen":
        assert _count(large, "schools") == 6


def test_the_pages_run_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries):
    pages = [
        ("county_admin_chen", reverse("directory:class_roster", args=[cast.class_a1.pk])),
        ("county_admin_chen", reverse("directory:school_overview", args=[cast.school_a.pk])),
        ("head_teacher_li", reverse("directory:student_detail", args=[cast.students["zhang_xiaoming"].pk])),
        ("parent_zhang", reverse("directory:student_detail", args=[cast.students["zhang_xiaoming"].pk])),
    ]
    small = [_queries(client_for(persona), url)[0] for persona, url in pages]
    grow(cast, students=30, schools=3)
    for _ in range(25):  # the record's access log fills up too
        client_for("school_admin_liu").get(pages[2][1])
    for (persona, url), limit in zip(pages, small, strict=True):
        client = client_for(persona)
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200
