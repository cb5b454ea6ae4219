"""The member's side of the hours API (/api/v1/teams/hours): 曾德福 checks in and out from the app, reads his records
and total of a year and disputes a record once; 黄志华 cannot touch his; anonymous callers get 401; bad years and
refused writes answer with a Chinese message and change nothing."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from xieyu.teams.models import ServiceRecord, Team

from .hours_fixtures import at, member, past_records, service

M = datetime.timedelta(minutes=1)
BASE = "/api/v1/teams/hours"


def _post(client, url, payload=None):
    return client.post(url, json.dumps(payload or {}), content_type="application/json")


def test_he_checks_in_and_out_from_the_app(cast, client_for):
    start = timezone.now().replace(second=0, microsecond=0) + 45 * M
    s = service(cast, starts_at=start, minutes=60)
    zeng = client_for("volunteer_zeng")
    with at(start - 40 * M):
        early = _post(zeng, f"{BASE}/assignments/{s.assignment.pk}/check-in")
    assert early.status_code == 422 and "签到将于" in early.json()["error"]["message"]
    with at(start - 5 * M):
        response = _post(zeng, f"{BASE}/assignments/{s.assignment.pk}/check-in")
        assert response.status_code == 200 and response.json()["status"] == "open"
        again = _post(zeng, f"{BASE}/assignments/{s.assignment.pk}/check-in")
        assert again.status_code == 422 and "已经签到" in again.json()["error"]["message"]
    with at(start + 30 * M):
        response = _post(zeng, f"{BASE}/assignments/{s.assignment.pk}/check-out")
    body = response.json()
    assert response.status_code == 200 and (body["status"], body["minutes"]) == ("pending", 30)


def test_check_out_before_check_in_is_refused(cast, client_for):
    s = service(cast, starts_at=timezone.now() - 10 * M)
    response = _post(client_for("volunteer_zeng"), f"{BASE}/assignments/{s.assignment.pk}/check-out")
    assert response.status_code == 422 and "请先签到" in response.json()["error"]["message"]
    assert not ServiceRecord.objects.exists()


def test_mine_gives_his_records_and_total_of_a_year(cast, client_for):
    zeng = member(cast, cast.volunteer_zeng)
    past_records(cast, zeng, 2, minutes=90)
    past_records(cast, zeng, 1, signed=False, first_day=4)
    year = timezone.localdate().year
    body = client_for("volunteer_zeng").get(f"{BASE}/mine", {"year": year}).json()
    assert (body["year"], body["signed_minutes"], body["signed_hours"]) == (year, 180, 3.0)
    assert sorted(r["status"] for r in body["records"]) == ["pending", "signed", "signed"]
    assert {r["recording_unit"] for r in body["records"]} == {"全南县城厢小学"}
    assert client_for("volunteer_zeng").get(f"{BASE}/mine", {"year": year - 5}).json()["records"] == []
    other = client_for("expert_huang").get(f"{BASE}/mine").json()
    assert other["records"] == [] and other["signed_minutes"] == 0


@pytest.mark.parametrize("year", ["abc", "99999", "1999"])
def test_a_bad_year_is_named(cast, client_for, year):
    response = client_for("volunteer_zeng").get(f"{BASE}/mine", {"year": year})
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"


def test_he_disputes_a_record_once(cast, client_for):
    record = past_records(cast, member(cast, cast.volunteer_zeng), 1)[0]
    zeng = client_for("volunteer_zeng")
    url = f"{BASE}/records/{record.pk}/dispute"
    blank = _post(zeng, url, {"reason": "  "})
    assert blank.status_code == 422 and "说明" in blank.json()["error"]["message"]
    response = _post(zeng, url, {"reason": "实际服务了两个小时。"})
    assert response.status_code == 200 and response.json()["status"] == "disputed"
    second = _post(zeng, url, {"reason": "再说一次。"})
    assert second.status_code == 422 and "只能提出一次异议" in second.json()["error"]["message"]
    record.refresh_from_db()
    assert record.dispute_reason == "实际服务了两个小时。"


def test_another_volunteer_cannot_touch_his_assignment_or_record(cast, client_for):
    member(cast, cast.expert_huang, Team.Kind.EXPERT)
    s = service(cast, starts_at=timezone.now() + 10 * M)
    record = past_records(cast, s.zeng, 1)[0]
    huang = client_for("expert_huang")
    assert _post(huang, f"{BASE}/assignments/{s.assignment.pk}/check-in").status_code == 404
    assert _post(huang, f"{BASE}/assignments/{s.assignment.pk}/check-out").status_code == 404
    assert _post(huang, f"{BASE}/records/{record.pk}/dispute", {"reason": "x"}).status_code == 404
    assert _post(huang, f"{BASE}/assignments/99999999999999999999/check-in").status_code == 404
    assert ServiceRecord.objects.count() == 1


def test_anonymous_callers_get_401(cast, client_for):
    s = service(cast)
    anonymous = client_for(None)
    assert anonymous.get(f"{BASE}/mine").status_code == 401
    assert _post(anonymous, f"{BASE}/assignments/{s.assignment.pk}/check-in").status_code == 401
    assert _post(anonymous, f"{BASE}/records/1/dispute", {"reason": "x"}).status_code == 401
