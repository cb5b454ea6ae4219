"""Hot topics on the dashboard: the topics most families asked for, each with its lecture, on the county's and each
school's page, in the export, the report and the API; a school sees only its own list; the page reads the stored list
in a fixed number of queries however many topics there are."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xieyu.dashboard.figures.models import HotTopic
from xieyu.dashboard.figures.services import figures_refresh
from xieyu.questions.topics.models import TopicRequest

from .leadership_fixtures import event_of

pytestmark = pytest.mark.django_db


def _topic(school, title, votes, status=TopicRequest.Status.OPEN, event=None):
    return TopicRequest.objects.create(school=school, title=title, votes_count=votes, status=status,
                                       scheduled_event_id=event.pk if event else None)  # fmt: skip


@pytest.fixture
def topics(cast):
    lecture = event_of(cast, cast.school_a, title="如何陪孩子度过青春期")
    _topic(cast.school_a, "青春期沟通", 40, TopicRequest.Status.SCHEDULED, lecture)
    _topic(cast.school_a, "手机使用约定", 25)
    _topic(cast.school_a, "不该出现的话题", 90, TopicRequest.Status.DECLINED)
    _topic(cast.school_a, "没人投票", 0)
    _topic(cast.school_b, "隔代教育", 30)
    figures_refresh(actor=None, county=cast.county)
    return cast


def test_the_county_lists_its_hot_topics_with_their_lectures(topics, client_for):
    page = client_for("county_admin_chen").get(reverse("dashboard:county", args=[topics.county.pk])).content.decode()
    hot = page[page.index('id="hot-topics"'):]
    hot = hot[: hot.index("</table>")]
    assert hot.index("青春期沟通") < hot.index("隔代教育") < hot.index("手机使用约定")  # most families first
    assert "如何陪孩子度过青春期" in hot  # the lecture planned on it
    assert topics.school_b.name in hot
    assert "不该出现的话题" not in hot  # declined
    assert "没人投票" not in hot


def test_a_school_sees_only_its_own_topics(topics, client_for):
    page = client_for("school_admin_liu").get(reverse("dashboard:school", args=[topics.school_a.pk])).content.decode()
    assert "青春期沟通" in page and "手机使用约定" in page
    assert "隔代教育" not in page
    assert client_for("school_admin_liu").get(reverse("dashboard:school", args=[topics.school_b.pk])).status_code == 404


def test_the_export_report_and_api_carry_the_list(topics, client_for):
    chen = client_for("county_admin_chen")
    data = chen.get(reverse("dashboard:export", args=["county", topics.county.pk])).content
    sheet = load_workbook(io.BytesIO(data))["热点课题"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == ["青春期沟通", "隔代教育", "手机使用约定"]
    assert rows[0][4] == "如何陪孩子度过青春期"
    api = client_for("school_admin_liu").get(f"/api/v1/dashboard/figures?level=school&unit={topics.school_a.pk}")
    assert [t["title"] for t in api.json()["hot_topics"]] == ["青春期沟通", "手机使用约定"]
    assert chen.get(reverse("dashboard:report", args=[topics.county.pk])).status_code == 200


def test_a_refresh_replaces_the_list(topics):
    TopicRequest.objects.filter(title="手机使用约定").update(votes_count=80)
    figures_refresh(actor=None, county=topics.county)
    county = HotTopic.objects.filter(county=topics.county, level="county").order_by("position")
    assert [t.title for t in county] == ["手机使用约定", "青春期沟通", "隔代教育"]


def test_the_list_costs_the_same_queries_for_many_topics(topics, client_for):
    client = client_for("county_admin_chen")
    path = reverse("dashboard:county", args=[topics.county.pk])
    client.get(path)
    with CaptureQueriesContext(connection) as small:
        client.get(path)
    for i in range(40):
        _topic(topics.school_b, f"话题{i}", i + 1)
    figures_refresh(actor=None, county=topics.county)
    with CaptureQueriesContext(connection) as large:
        page = client.get(path).content.decode()
    assert len(large) == len(small)
    assert page.count("data-topic") == 10  # the county's ten
