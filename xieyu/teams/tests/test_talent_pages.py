"""The talent pool's pages and API: 张伟 offers his 书法 with consent; 刘芳 finds him and invites him; 王强 (全南二中)
never sees 城厢小学's pool; a profile without consent is 404 everywhere; the county sees counts, no names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xieyu.teams.models import TalentInvitation, TalentProfile

from .talent_fixtures import guardian, make_world, offer, session

API = "/api/v1/teams/talent"


@pytest.fixture
def world(cast):
    return make_world(cast)


@pytest.mark.parametrize(
    "persona, status",
    [("parent_zhang", 200), ("grandma_zhao", 200), ("school_admin_liu", 404), ("community_ye", 404), (None, 302)],
)
def test_my_talent_page_is_for_guardians_of_an_enrolled_child(cast, client_for, world, persona, status):
    assert client_for(persona).get(reverse("teams:talent_mine")).status_code == status


def test_a_guardian_offers_her_skill_with_consent_on_her_page(cast, client_for, world):
    zhang = client_for("parent_zhang")
    data = {"school": cast.school_a.pk, "skills": [world.skills["书法"].pk], "description": "毛笔字",
            "slots": ["2:afternoon"], "consent": "on"}  # fmt: skip
    response = zhang.post(reverse("teams:talent_mine"), data, follow=True)
    assert response.status_code == 200
    profile = TalentProfile.objects.get()
    assert profile.consent_at is not None and profile.guardian.user == cast.parent_zhang
    page = zhang.get(reverse("teams:talent_mine")).content.decode()
    assert 'data-consent="yes"' in page


@pytest.mark.parametrize(
    "data, code_in",
    [
        ({"skills": ["OTHER"], "slots": ["2:afternoon"]}, "skills"),  # a skill of another county
        ({"skills": ["SHUFA"], "slots": ["9:afternoon"]}, "slots"),
        ({"skills": ["SHUFA"], "slots": ["2:afternoon"], "school": "B"}, "school"),  # not her child's school
        ({"skills": [], "slots": ["2:afternoon"]}, "skills"),
    ],
)
def test_bad_offers_are_refused_with_a_message_and_nothing_stored(cast, client_for, world, data, code_in):
    ids = {"OTHER": world.other_skill.pk, "SHUFA": world.skills["书法"].pk}
    post = {"school": cast.school_b.pk if data.get("school") == "B" else cast.school_a.pk,
            "skills": [ids[s] for s in data["skills"]], "slots": data["slots"], "consent": "on"}  # fmt: skip
    response = client_for("parent_zhang").post(reverse("teams:talent_mine"), post, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not TalentProfile.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [("school_admin_liu", 200), ("county_admin_chen", 200), ("school_admin_wang", 200), ("head_teacher_li", 404),
     ("parent_zhang", 404), (None, 302)],
)  # fmt: skip
def test_the_search_page_matrix(cast, client_for, world, persona, status):
    offer(cast, world)
    response = client_for(persona).get(reverse("teams:talent_search"))
    assert response.status_code == status
    if status == 200:
        assert ("张伟" in response.content.decode()) == (persona == "school_admin_liu")  # the county: counts only


@pytest.mark.parametrize(
    "persona, status",
    [("school_admin_liu", 200), ("school_admin_wang", 404), ("county_admin_chen", 404), ("head_teacher_li", 404),
     ("parent_zhang", 404), (None, 302)],
)  # fmt: skip
def test_a_profile_is_seen_by_its_school_only(cast, client_for, world, persona, status):
    profile = offer(cast, world)
    assert client_for(persona).get(reverse("teams:talent_profile", args=[profile.pk])).status_code == status


def test_without_consent_the_profile_is_absent_from_search_and_404_by_id(cast, client_for, world):
    profile = offer(cast, world, consent=False)
    liu = client_for("school_admin_liu")
    assert "张伟" not in liu.get(reverse("teams:talent_search")).content.decode()
    assert liu.get(reverse("teams:talent_profile", args=[profile.pk])).status_code == 404
    assert liu.post(reverse("teams:talent_invite_team", args=[profile.pk])).status_code == 404
    counts = client_for("county_admin_chen").get(reverse("teams:talent_search")).context["page"].object_list
    assert list(counts) == []


def test_withdrawing_consent_on_the_page_hides_him_at_once(cast, client_for, world):
    profile = offer(cast, world)
    liu = client_for("school_admin_liu")
    assert "张伟" in liu.get(reverse("teams:talent_search")).content.decode()
    client_for("parent_zhang").post(reverse("teams:talent_withdraw", args=[profile.pk]))
    assert "张伟" not in liu.get(reverse("teams:talent_search")).content.decode()
    assert liu.get(reverse("teams:talent_profile", args=[profile.pk])).status_code == 404


def test_the_school_invites_and_the_parent_answers_in_the_app(cast, client_for, world):
    profile = offer(cast, world)
    event = session(cast)
    liu, zhang = client_for("school_admin_liu"), client_for("parent_zhang")
    liu.post(reverse("teams:talent_invite_session", args=[profile.pk]), {"event": event.pk, "note": "周三下午"})
    invitation = TalentInvitation.objects.get()
    assert client_for("grandma_zhao").post(reverse("teams:talent_answer", args=[invitation.pk]),
                                           {"answer": "accept"}).status_code == 404  # fmt: skip
    zhang.post(reverse("teams:talent_answer", args=[invitation.pk]), {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == TalentInvitation.Status.AWAITING_CHECK  # never checked
    assert client_for("school_admin_wang").post(reverse("teams:talent_check", args=[invitation.pk]),
                                                {}).status_code == 404  # fmt: skip
    page = liu.get(reverse("teams:talent_search")).content.decode()
    assert f'action="{reverse("teams:talent_check", args=[invitation.pk])}"' in page
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    liu.post(reverse("teams:talent_check", args=[invitation.pk]), {
        "checked_on": today.isoformat(), "checking_unit": "全南县公安局",
        "valid_until": (today + datetime.timedelta(days=365)).isoformat(),
    })  # fmt: skip
    invitation.refresh_from_db()
    assert invitation.status == TalentInvitation.Status.PLACED


def test_the_school_creates_a_session_from_the_pool_page(cast, client_for, world):
    from xieyu.events.models import Event

    liu = client_for("school_admin_liu")
    liu.post(reverse("teams:talent_session_create"), {"title": "课后服务·科技", "starts_at": "2030-03-20T16:30",
                                                      "ends_at": "2030-03-20T17:30", "place": "科技室"})  # fmt: skip
    event = Event.objects.get()
    assert (event.kind, event.school, event.status) == ("after_school_session", cast.school_a, "published")
    response = liu.post(reverse("teams:talent_session_create"), {"title": "x", "starts_at": "bad", "ends_at": "",
                                                                 "place": ""}, follow=True)  # fmt: skip
    assert Event.objects.count() == 1 and response.context["messages"]


def _parents(cast, n: int, *, tag: str, skill_name: str):
    """n more consenting parents of 城厢小学, each with a child in 三年级2班."""
    import datetime

    from xieyu.accounts.services import user_create
    from xieyu.directory.models import Guardianship
    from xieyu.directory.services import guardian_for_phone, guardianship_add, student_create
    from xieyu.teams.models import Skill
    from xieyu.teams.talent.services import talent_profile_save

    skill = Skill.objects.get(county=cast.county, name=skill_name)
    for i in range(n):
        phone = f"139{tag}{i:04d}"
        user = user_create(actor=None, phone=phone, name=f"家长{tag}{i}", password="Demo2026xy")  # noqa: S106
        g = guardian_for_phone(name=user.name, phone=phone)
        g.user = user
        g.save(update_fields=["user"])
        kid = student_create(actor=None, school_class=cast.class_a2, name=f"学生{tag}{i}", gender="M",
                             birth_date=datetime.date(2017, 1, 1), student_number="")  # fmt: skip
        guardianship_add(actor=None, student=kid, guardian=g, relationship="father", is_primary_carer=True,
                         lives_with_child=True, status=Guardianship.Status.CONFIRMED)  # fmt: skip
        talent_profile_save(actor=user, guardian=g, school=cast.school_a, skills=[skill], slots=[(i % 7, "evening")],
                            consent=True)  # fmt: skip


def test_the_search_and_the_counts_run_a_fixed_number_of_queries(
    cast, client_for, world, django_assert_max_num_queries
):
    liu, chen = client_for("school_admin_liu"), client_for("county_admin_chen")
    _parents(cast, 2, tag="0000", skill_name="体育")
    with django_assert_max_num_queries(16) as small:
        liu.get(reverse("teams:talent_search"))
    with django_assert_max_num_queries(10) as small_county:
        chen.get(reverse("teams:talent_search"))
    _parents(cast, 12, tag="1000", skill_name="科技")
    with django_assert_max_num_queries(len(small.captured_queries)):
        liu.get(reverse("teams:talent_search"))
    with django_assert_max_num_queries(len(small_county.captured_queries)):
        chen.get(reverse("teams:talent_search"))


# --- the API ----------------------------------------------------------------------------------------------------


def test_the_api_gets_and_puts_my_profile_and_withdraws_consent(cast, client_for, world):
    zhang = client_for("parent_zhang")
    assert zhang.get(f"{API}/profiles").json() == []
    body = {"skills": [world.skills["非遗"].pk], "other_skill": "客家山歌", "slots": [{"weekday": 5, "part": "morning"}],
            "consent": True}  # fmt: skip
    response = zhang.put(f"{API}/profiles/{cast.school_a.pk}", body, content_type="application/json")
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["consent"] and out["skills"] == ["非遗"] and out["other_skill"] == "客家山歌"
    body["consent"] = False  # editing keeps the consent
    assert zhang.put(f"{API}/profiles/{cast.school_a.pk}", body, content_type="application/json").json()["consent"]
    withdrawn = zhang.post(f"{API}/profiles/{out['id']}/withdraw-consent")
    assert withdrawn.status_code == 200 and withdrawn.json()["consent"] is False


@pytest.mark.parametrize("case", ["other_county_skill", "other_school", "bad_slot", "nothing"])
def test_the_api_refuses_bad_offers_and_changes_nothing(cast, client_for, world, case):
    school = cast.school_b.pk if case == "other_school" else cast.school_a.pk
    skills = [world.other_skill.pk] if case == "other_county_skill" else [world.skills["书法"].pk]
    slots = [{"weekday": 8, "part": "noon"}] if case == "bad_slot" else [{"weekday": 1, "part": "evening"}]
    if case == "nothing":
        skills = []
    response = client_for("parent_zhang").put(f"{API}/profiles/{school}", {"skills": skills, "slots": slots},
                                              content_type="application/json")  # fmt: skip
    assert response.status_code in (400, 404)
    assert response.json()["error"]["message"]
    assert not TalentProfile.objects.exists()


def test_the_api_answers_404_for_a_profile_not_mine_and_401_anonymous(cast, client_for, world):
    profile = offer(cast, world)
    assert client_for("grandma_zhao").post(f"{API}/profiles/{profile.pk}/withdraw-consent").status_code == 404
    assert client_for(None).get(f"{API}/profiles").status_code == 401
    assert client_for("grandma_zhao").get(f"{API}/profiles").json() == []
    assert guardian(cast.parent_zhang).pk == profile.guardian_id
