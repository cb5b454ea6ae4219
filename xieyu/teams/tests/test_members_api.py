"""The member's side of the API: 曾德福 lists the teams he may see and his memberships with his check's validity;
何静 applies to her school's team once (a second time, a skill of another county or a weekday out of range answer
400 naming it); 王强 of the neighbour school gets 404 for 城厢小学's team; anonymous 401."""

from __future__ import annotations

import json

import pytest

from xieyu.directory.models import Region
from xieyu.teams.models import BackgroundCheck, Member, Skill

from . import members_fixtures as fx

centre = fx.centre

BASE = "/api/v1/teams"


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_zeng_reads_his_memberships_with_his_check(cast, centre, client_for):
    zeng = client_for("volunteer_zeng")
    me = zeng.get(f"{BASE}/me").json()
    until = BackgroundCheck.objects.get(user=cast.volunteer_zeng).valid_until
    assert [(m["team_id"], m["status"], m["check_valid_until"], m["check_valid_today"]) for m in me] == [
        (centre.teams["elders"].pk, "approved", until.isoformat(), True)
    ]
    teams = {t["id"]: t for t in zeng.get(f"{BASE}/teams").json()["items"]}
    assert teams[centre.teams["parent"].pk]["can_apply"] is True
    assert teams[centre.teams["elders"].pk]["can_apply"] is False
    assert centre.school_team.pk not in teams


@pytest.mark.parametrize("persona, status", [("teacher_he", 201), ("school_admin_wang", 404), ("parent_zhang", 404),
                                             ("volunteer_zeng", 404), (None, 401)])  # fmt: skip
def test_applying_to_the_school_team_follows_the_page(cast, centre, client_for, persona, status):
    payload = {"town_ids": [cast.towns["城厢镇"].pk], "introduction": "城厢小学语文教师。",
               "availability": [{"weekday": 2, "part": "afternoon"}]}  # fmt: skip
    response = _post(client_for(persona), f"{BASE}/teams/{centre.school_team.pk}/apply", payload)
    assert response.status_code == status
    assert Member.objects.filter(team=centre.school_team).count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    "change, message",
    [({"availability": [{"weekday": 9, "part": "morning"}]}, "星期"), ({"skill_ids": ["foreign"]}, "专长"),
     ({"town_ids": []}, "乡镇"), ({"introduction": ""}, "个人简介")],
)  # fmt: skip
def test_bad_input_answers_400_naming_it(cast, centre, client_for, change, message):
    other = Region.objects.create(name="龙南市", level=Region.Level.COUNTY, code="360727", parent=cast.county.parent)
    foreign = Skill.objects.create(county=other, name="心理")
    payload = {"town_ids": [cast.towns["城厢镇"].pk], "introduction": "城厢小学语文教师。", **change}
    if change.get("skill_ids"):
        payload["skill_ids"] = [foreign.pk]
    response = _post(client_for("teacher_he"), f"{BASE}/teams/{centre.school_team.pk}/apply", payload)
    assert response.status_code == 400 and message in response.json()["error"]["message"]
    assert not Member.objects.filter(user=cast.teacher_he).exists()


def test_applying_twice_answers_400(cast, centre, client_for):
    he = client_for("teacher_he")
    payload = {"town_ids": [cast.towns["城厢镇"].pk], "introduction": "城厢小学语文教师。"}
    assert _post(he, f"{BASE}/teams/{centre.school_team.pk}/apply", payload).status_code == 201
    again = _post(he, f"{BASE}/teams/{centre.school_team.pk}/apply", payload)
    assert again.status_code == 400 and "已经申请" in again.json()["error"]["message"]
    assert Member.objects.filter(user=cast.teacher_he).count() == 1


def test_anonymous_gets_401(client_for):
    assert client_for(None).get(f"{BASE}/me").status_code == 401
    assert client_for(None).get(f"{BASE}/teams").status_code == 401
