"""The rollups count what the rows say: registered children by category and school, grade and town, carers,
cases, services, referral timeliness, reviews and the carer survey; the scheduler and "refresh now" recompute."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.care.figures import rollups
from xieyu.care.figures.models import CareRollup
from xieyu.care.figures.services import rollup_refresh
from xieyu.care.models import Case, CaseService, Referral, RegistryEntry
from xieyu.core.scheduler import JOBS

from . import figures_data as data


@pytest.fixture
def county_rows(cast):
    """城厢小学 三年级1班: 7 registered left-behind (both parents), 2 of them also in economic difficulty; one proposed
    entry (not counted); 全南二中: 3 registered in family difficulty, one with a carer who is a relative."""
    a = data.students(cast.class_a1, 8)
    b = data.students(cast.class_b1, 3)
    entries = [data.register(s, ["left_behind_both"] + (["hardship_economic"] if i < 2 else [])) for i, s in
               enumerate(a[:7])]  # fmt: skip
    data.register(a[7], ["left_behind_both"], state=RegistryEntry.State.PROPOSED)
    entries += [data.register(s, ["hardship_family"], carer_type="relative" if i == 0 else "parent")
                for i, s in enumerate(b)]  # fmt: skip
    return entries


def table(county, name):
    return rollups.county_tables(county)[name]


def test_registered_children_by_school_and_category_count_confirmed_entries_only(cast, county_rows):
    t = table(cast.county, "registry_by_school")
    assert t.rows == ["全南县城厢小学", "全南县第二中学"]
    row_a, row_b = t.counts
    assert sum(row_a) == 9 and sum(row_b) == 3  # 7 left-behind + 2 economic; 3 family difficulty
    assert max(row_a) == 7 and sorted(row_a)[-2] == 2


def test_by_grade_and_by_town(cast, county_rows):
    grades = table(cast.county, "registry_by_grade")
    assert [sum(r) for r in grades.counts] == [9, 3]  # 三年级, 七年级
    towns = table(cast.county, "registry_by_town")
    assert towns.rows == ["城厢镇"] and sum(towns.counts[0]) == 12
    assert rollups.town_of("全南县大吉山镇中心", "全南县") == "大吉山镇"
    assert rollups.town_of("", "全南县") == rollups.UNKNOWN_TOWN


def test_carer_types(cast, county_rows):
    t = table(cast.county, "registry_by_carer")
    counts = dict(zip(t.cols, t.counts[0], strict=True))
    assert sum(counts.values()) == 10
    assert sorted(counts.values())[-3:] == [1, 2, 7]


def test_cases_services_referrals_reviews_and_survey(cast, county_rows):
    liu = cast.students["liu_xiaoyu"]
    c1 = data.case(cast, liu, state=Case.State.PLAN, risk=Case.Risk.HIGH)
    c2 = data.case(cast, cast.students["zhou_jie"], state=Case.State.CLOSED)
    data.service(c1, "counselling", CaseService.State.ACTIVE)
    data.service(c2, "material", CaseService.State.DONE)
    grandma = liu.guardianships.get(relationship="grandmother").guardian
    cons = data.consent(cast, liu, grandma)
    now = timezone.now()
    data.referral(cast, c1, cons, sent_at=now - datetime.timedelta(hours=1), decided_at=now, state="accepted")
    data.referral(cast, c1, cons, sent_at=now - datetime.timedelta(days=30))  # never accepted: overdue
    data.referral(cast, c1, cons, sent_at=now - datetime.timedelta(days=30), decided_at=now, state="accepted")
    data.referral(cast, c1, cons, state=Referral.State.REVOKED)  # revoked before anyone decided: left out
    today = timezone.localdate()
    e = county_rows
    data.review(e[0], today - datetime.timedelta(days=10), done_at=now - datetime.timedelta(days=20))
    data.review(e[1], today - datetime.timedelta(days=10), done_at=now)
    data.review(e[2], today + datetime.timedelta(days=10))
    data.review(e[3], today - datetime.timedelta(days=1))
    data.survey(e[0], ["study", "feelings"], "rarely")
    data.survey(e[1], ["study"], "weekly")

    tables = rollups.county_tables(cast.county)
    cases = tables["cases_by_state_risk"]
    states = dict(zip(cases.rows, map(sum, cases.counts), strict=True))
    assert states[str(Case.State.PLAN.label)] == 1 and states[str(Case.State.CLOSED.label)] == 1
    services = tables["services_by_kind_state"]
    assert sum(map(sum, services.counts)) == 2
    timely = tables["referrals_timeliness"]
    women = timely.counts[timely.rows.index("全南县妇联")]
    assert women == [1, 1, 0, 1]  # in time, late, waiting, overdue
    assert tables["reviews_compliance"].counts == [[1, 1, 1, 1]]
    needs = dict(zip(tables["survey_needs"].cols, tables["survey_needs"].counts[0], strict=True))
    assert sorted(needs.values())[-2:] == [1, 2]
    assert sum(tables["survey_parent_contact"].counts[0]) == 2


def test_refresh_stores_suppressed_tables_and_when(cast, county_rows):
    rollup_refresh(actor=None, county=cast.county)
    stored = CareRollup.objects.get(county=cast.county, name="registry_by_school")
    shown = stored.cells["shown"]
    row_b = shown["cells"][1]
    assert all(x[0] in ("<5", "—") for x in row_b)  # 3 in all: every cell hides
    assert shown["row_totals"][1][0] == "<5"
    assert stored.computed_at <= timezone.now()
    assert CareRollup.objects.filter(county=cast.county).count() == len(rollups.SPECS)


def test_the_scheduler_recomputes_every_fifteen_minutes(cast, county_rows, run_tasks):
    job = JOBS["care.figures"]
    assert job.every == 15 * 60
    job.enqueue()
    run_tasks()
    assert CareRollup.objects.filter(county=cast.county).count() == len(rollups.SPECS)
