"""The demo county's leadership groups, the year's work arrangement (county tasks assigned to every school, some
done with evidence, some late) and a resource report for every school; seeding twice adds nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xieyu.dashboard.leadership import access
from xieyu.dashboard.leadership.models import LeadershipGroup, LeadershipMember, TaskEvidence, WorkTask
from xieyu.dashboard.leadership.years import current_year
from xieyu.dashboard.resources.models import ResourceReport
from xieyu.deadlines.services import deadline_for
from xieyu.demo.leadership import seed_leadership
from xieyu.directory.models import School

from .leadership_fixtures import client_of

pytestmark = pytest.mark.once


def test_the_demo_groups_arrangement_and_reports(cast):
    seed_leadership(cast)
    seed_leadership(cast)
    schools = School.objects.filter(county=cast.county).count()
    assert LeadershipGroup.objects.filter(county=cast.county).count() == schools + 1
    county_group = LeadershipGroup.objects.get(county=cast.county, school__isnull=True)
    current = access.current_members(county_group)
    assert current[0].post == LeadershipMember.Post.LEADER and current[0].title == "局长"
    assert {"德育股", "安全股", "计财股", "基础教育股"} <= {m.department for m in current}
    assert access.past_members(county_group).exists()
    county_tasks = WorkTask.objects.filter(county=cast.county, school__isnull=True, plan__year=current_year())
    assert county_tasks.count() == 10 and WorkTask.objects.filter(parent__in=county_tasks).count() == 6 * schools
    done = WorkTask.objects.filter(status=WorkTask.Status.DONE)
    assert done.exists() and not done.exclude(pk__in=TaskEvidence.objects.values("task")).exists()
    late = WorkTask.objects.filter(access.late_q())
    assert late.exists() and all(deadline_for(t) is not None for t in late)
    reports = ResourceReport.objects.filter(county=cast.county, year=current_year())
    assert reports.count() == schools and reports.filter(status=ResourceReport.Status.SUBMITTED).exists()
    page = client_of(cast.county_admin_chen).get(reverse("dashboard:leadership_progress"))
    assert page.status_code == 200 and "城厢小学" in page.content.decode()
