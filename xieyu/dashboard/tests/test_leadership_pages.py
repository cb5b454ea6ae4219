"""The leadership pages and API, walked by the neighbours: another county's admin, another school's admin, a head
teacher, a guardian and anonymous see nothing (404, or the login page); lists run a fixed number of queries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from xieyu.dashboard.leadership import services
from xieyu.dashboard.leadership.models import TaskEvidence, WorkTask

from .leadership_fixtures import *  # noqa: F403
from .leadership_fixtures import PDF, client_of, due_date, event_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, county_plan, school_plan):
    task = services.task_create(actor=cast.county_admin_chen, plan=county_plan["plan"], title="开展家庭教育宣传周活动",
                                due_on=due_date(20), owner_member=county_plan["member"],
                                schools=[cast.school_a, cast.school_b])  # fmt: skip
    instance = WorkTask.objects.get(parent=task, school=cast.school_a)
    services.evidence_add(actor=cast.school_admin_liu, task=instance, kind="document",
                          file=SimpleUploadedFile("总结.pdf", PDF))  # fmt: skip
    return {
        **county_plan,
        "school_group": school_plan["group"],
        "school_plan": school_plan["plan"],
        "task": task,
        "instance": instance,
        "evidence": TaskEvidence.objects.get(task=instance),
    }


def _client(cast, neighbour, who):
    if who == "anonymous":
        return Client()
    if who.startswith("neighbour_"):
        return client_of(neighbour[who.removeprefix("neighbour_")])
    return client_of(getattr(cast, who))


def _pages(w) -> dict[str, str]:
    return {
        "county group": reverse("dashboard:leadership_group", args=[w["group"].pk]),
        "school group": reverse("dashboard:leadership_group", args=[w["school_group"].pk]),
        "county plan": reverse("dashboard:leadership_plan", args=[w["plan"].pk]),
        "school plan": reverse("dashboard:leadership_plan", args=[w["school_plan"].pk]),
        "county task": reverse("dashboard:leadership_task", args=[w["task"].pk]),
        "school instance": reverse("dashboard:leadership_task", args=[w["instance"].pk]),
        "evidence file": reverse("dashboard:leadership_evidence_file", args=[w["evidence"].pk]),
    }


# who sees what: county admin all; school admin A its own (and its instance), not the county's own pages
SEES = {
    "county_admin_chen": set(
        [
            "county group",
            "school group",
            "county plan",
            "school plan",
            "county task",
            "school instance",
            "evidence file",
        ]
    ),
    "school_admin_liu": {"school group", "school plan", "school instance", "evidence file"},
    "school_admin_wang": set(),
    "head_teacher_li": set(),
    "parent_zhang": set(),
    "neighbour_admin": set(),
    "neighbour_school_admin": set(),
}


@pytest.mark.parametrize("who", list(SEES) + ["anonymous"])
def test_every_page_is_seen_only_by_those_responsible(cast, neighbour, world, who):
    client = _client(cast, neighbour, who)
    for name, url in _pages(world).items():
        status = client.get(url).status_code
        if who == "anonymous":
            assert status == 302, name
        else:
            assert status == (200 if name in SEES[who] else 404), (who, name, status)
    lists = [reverse("dashboard:leadership_groups"), reverse("dashboard:leadership_plans")]
    progress = reverse("dashboard:leadership_progress")
    for url in lists + [progress]:
        status = client.get(url).status_code
        if who == "anonymous":
            assert status == 302
        elif who in ("head_teacher_li", "parent_zhang"):
            assert status == 404, url
        elif url == progress:
            assert status == (200 if who in ("county_admin_chen", "neighbour_admin") else 404)


def test_lists_show_nothing_of_another_county(cast, neighbour, world):
    page = client_of(neighbour["admin"]).get(reverse("dashboard:leadership_groups")).content.decode()
    assert world["group"].name not in page and "城厢小学" not in page
    progress = client_of(neighbour["admin"]).get(reverse("dashboard:leadership_progress")).content.decode()
    assert "开展家庭教育宣传周活动" not in progress


def test_phones_are_shown_only_to_the_groups_managers(cast, world):
    url = reverse("dashboard:leadership_group", args=[world["group"].pk])
    assert "0797-2632001" in client_of(cast.county_admin_chen).get(url).content.decode()
    school_url = reverse("dashboard:leadership_group", args=[world["school_group"].pk])
    assert cast.school_admin_liu.phone in client_of(cast.school_admin_liu).get(school_url).content.decode()
    assert cast.school_admin_liu.phone not in client_of(cast.county_admin_chen).get(school_url).content.decode()


@pytest.mark.parametrize("who, url_of", [
    ("school_admin_wang", lambda w: reverse("dashboard:leadership_task_complete", args=[w["instance"].pk])),
    ("school_admin_liu", lambda w: reverse("dashboard:leadership_task_remind", args=[w["task"].pk])),
    ("county_admin_chen", lambda w: reverse("dashboard:leadership_task_complete", args=[w["instance"].pk])),
    ("neighbour_admin", lambda w: reverse("dashboard:leadership_member_add", args=[w["group"].pk])),
    ("county_admin_chen", lambda w: reverse("dashboard:leadership_member_add", args=[w["school_group"].pk])),
    ("school_admin_liu", lambda w: reverse("dashboard:leadership_task_create", args=[w["plan"].pk])),
    ("head_teacher_li", lambda w: reverse("dashboard:leadership_evidence_add", args=[w["instance"].pk])),
])  # fmt: skip
def test_writes_by_those_who_may_not_answer_404_and_change_nothing(cast, neighbour, world, who, url_of):
    response = _client(cast, neighbour, who).post(url_of(world), {"name": "某人", "post": "member"})
    assert response.status_code == 404
    world["instance"].refresh_from_db()
    assert world["instance"].status == WorkTask.Status.IN_PROGRESS


def test_the_school_completes_its_instance_on_the_page(cast, world):
    client = client_of(cast.school_admin_liu)
    url = reverse("dashboard:leadership_task_complete", args=[world["instance"].pk])
    response = client.post(url, follow=True)
    assert "任务已完成" in response.content.decode()
    world["instance"].refresh_from_db()
    assert world["instance"].status == WorkTask.Status.DONE


def test_a_past_due_date_on_the_page_is_refused_in_chinese(cast, world):
    url = reverse("dashboard:leadership_task_create", args=[world["plan"].pk])
    response = client_of(cast.county_admin_chen).post(url, {"title": "补交材料", "due_on": "2020-01-01"}, follow=True)
    assert "截止日期已过" in response.content.decode()
    assert not WorkTask.objects.filter(title="补交材料").exists()


def test_the_county_assigns_on_the_page_to_every_school(cast, world):
    url = reverse("dashboard:leadership_task_create", args=[world["plan"].pk])
    client_of(cast.county_admin_chen).post(url, {"title": "开展家访", "due_on": due_date(10).isoformat(),
                                                 "all_schools": "on"})  # fmt: skip
    task = WorkTask.objects.get(title="开展家访", school__isnull=True)
    assert set(task.instances.values_list("school", flat=True)) == {cast.school_a.pk, cast.school_b.pk}


def test_evidence_events_offered_are_the_schools_own(cast, world):
    event_of(cast, cast.school_a, title="城厢小学家长会")
    event_of(cast, cast.school_b, title="二中家长会")
    page = client_of(cast.school_admin_liu).get(reverse("dashboard:leadership_task", args=[world["instance"].pk]))
    html = page.content.decode()
    assert "城厢小学家长会" in html and "二中家长会" not in html


def test_lists_run_a_fixed_number_of_queries(cast, world, django_assert_max_num_queries):
    client = client_of(cast.county_admin_chen)
    urls = [reverse("dashboard:leadership_groups"), reverse("dashboard:leadership_plans"),
            reverse("dashboard:leadership_progress"), reverse("dashboard:leadership_plan", args=[world["plan"].pk]),
            reverse("dashboard:leadership_task", args=[world["task"].pk])]  # fmt: skip
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(40) as captured:
            client.get(url)
        counts[url] = len(captured)
    for n in range(3):
        services.task_create(actor=cast.county_admin_chen, plan=world["plan"], title=f"任务{n}", due_on=due_date(5),
                             schools=[cast.school_a, cast.school_b])  # fmt: skip
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            client.get(url)


API = "/api/v1/dashboard/leadership"


@pytest.mark.parametrize("who, status", [("county_admin_chen", 200), ("school_admin_liu", 200),
                                         ("school_admin_wang", 404), ("head_teacher_li", 404), ("parent_zhang", 404),
                                         ("neighbour_admin", 404), ("anonymous", 401)])  # fmt: skip
def test_the_api_follows_the_same_rules(cast, neighbour, world, who, status):
    client = _client(cast, neighbour, who)
    assert client.get(f"{API}/groups/{world['school_group'].pk}").status_code == status
    assert client.get(f"{API}/tasks/{world['instance'].pk}").status_code == status
    assert client.get(f"{API}/plans/{world['school_plan'].pk}/tasks").status_code == status
    write = client.post(f"{API}/tasks/{world['instance'].pk}/complete", content_type="application/json")
    assert write.status_code == {"county_admin_chen": 404, "school_admin_liu": 200}.get(
        who, status if status != 200 else 404
    )
    if who in ("head_teacher_li", "parent_zhang"):
        assert client.get(f"{API}/groups").status_code == 404
    expected_progress = 200 if who in ("county_admin_chen", "neighbour_admin") else (401 if who == "anonymous" else 404)
    assert client.get(f"{API}/progress").status_code == expected_progress


def test_the_api_refuses_completing_without_evidence_in_chinese(cast, world):
    other = WorkTask.objects.get(parent=world["task"], school=cast.school_b)
    response = client_of(cast.school_admin_wang).post(
        f"{API}/tasks/{other.pk}/complete", content_type="application/json"
    )
    assert response.status_code == 422 and "证明材料" in response.json()["error"]["message"]
    event = event_of(cast, cast.school_a)
    response = client_of(cast.school_admin_wang).post(f"{API}/tasks/{other.pk}/evidence",
                                                      {"kind": "event", "event_id": event.pk},
                                                      content_type="application/json")  # fmt: skip
    assert response.status_code == 422 and not TaskEvidence.objects.filter(task=other).exists()
