"""Campaign pages and API: the county's list and control, a family's campaign page (nominate, the 公示 list with
its objection form, the result), the school's review queue, the experts' score queue, certificates; the neighbour
matrix (the other county's admin, the other school's admin, a guardian, anonymous), bad input, query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xieyu.awards.campaigns import services
from xieyu.awards.campaigns.models import Campaign, Nomination, NominationMaterial, Objection

from .campaigns_fixtures import *  # noqa: F403
from .campaigns_fixtures import STATEMENT, advance, campaign_fields, end_publicity, nominate, recommend_all, score

pytestmark = pytest.mark.django_db
FACTS = "2026年5月该家长在校门口多次辱骂其他学生家长,班主任和多名家长在场,可以作证。"


def _text(response) -> str:
    return response.content.decode()


def _login(user):
    from django.test import Client

    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


# --- creating and running a campaign ----------------------------------------------------------------------------


def _create_form(**over):
    base = {"kind": "excellent_parent", "nominee": "guardian", "title": "2026年全南县优秀家长评选",
            "description": "", "school_kinds": ["primary", "junior"], "quota": "5",
            "rubric": "家庭教育理念 40\n家校共育参与 30\n示范带动 30", "has_vote": "on", "expert_weight": "70",
            "vote_weight": "30", "nomination_days": "10", "review_days": "5", "vote_days": "5",
            "publicity_days": "5"}  # fmt: skip
    base.update(over)
    return base


def test_the_county_admin_creates_and_opens_a_campaign(cast, client_for):
    chen = client_for("county_admin_chen")
    r = chen.post(reverse("awards:campaign_create"), _create_form(), follow=True)
    c = Campaign.objects.get()
    assert (c.phase, c.expert_weight, c.vote_weight, c.rubric[0]) == ("draft", 70, 30, {"name": "家庭教育理念",
                                                                                         "max": 40})  # fmt: skip
    assert "草稿" in _text(r)
    assert client_for("parent_zhang").get(reverse("awards:campaign_detail", args=[c.pk])).status_code == 404
    chen.post(reverse("awards:campaign_open", args=[c.pk]))
    c.refresh_from_db()
    assert c.phase == "nomination"
    assert client_for("parent_zhang").get(reverse("awards:campaign_detail", args=[c.pk])).status_code == 200


@pytest.mark.parametrize("over, message", [
    ({"expert_weight": "70", "vote_weight": "20"}, "相加须等于100"),
    ({"rubric": "家风建设"}, "格式不对"),
    ({"quota": "0"}, "评选名额须为1到500的整数"),
    ({"publicity_days": "3"}, "公示期为5到60个工作日"),
    ({"title": ""}, "请填写评选名称"),
])  # fmt: skip
def test_bad_campaign_input_is_refused_with_a_message(cast, client_for, over, message):
    r = client_for("county_admin_chen").post(reverse("awards:campaign_create"), _create_form(**over), follow=True)
    assert message in _text(r) and not Campaign.objects.exists()


def test_only_a_county_admin_creates(cast, client_for):
    for persona in ("school_admin_liu", "parent_zhang", "expert_huang"):
        assert client_for(persona).post(reverse("awards:campaign_create"), _create_form()).status_code == 404
    assert client_for(None).get(reverse("awards:campaign_create")).status_code == 302
    assert not Campaign.objects.exists()


# --- the neighbour matrix -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona, status", [
    ("county_admin_chen", 200), ("school_admin_wang", 200), ("parent_zhang", 200), ("expert_huang", 200),
    ("other_admin", 404), (None, 302),
])  # fmt: skip
def test_who_sees_the_campaign(cast, client_for, campaign, other_county, persona, status):
    client = _login(other_county[1]) if persona == "other_admin" else client_for(persona)
    assert client.get(reverse("awards:campaign_detail", args=[campaign.pk])).status_code == status
    listing = client.get(reverse("awards:campaign_list"))
    assert listing.status_code == (200 if persona == "other_admin" else status)  # her own county's, empty
    if listing.status_code == 200:
        assert (campaign.title in _text(listing)) == (persona != "other_admin")


def test_the_control_actions_are_the_county_admins_alone(cast, client_for, campaign, other_county):
    chen_page = _text(client_for("county_admin_chen").get(reverse("awards:campaign_detail", args=[campaign.pk])))
    assert 'id="control"' in chen_page
    parent_page = _text(client_for("parent_zhang").get(reverse("awards:campaign_detail", args=[campaign.pk])))
    assert 'id="control"' not in parent_page and 'id="nominate"' in parent_page
    for client in (client_for("school_admin_liu"), client_for("parent_zhang"), _login(other_county[1])):
        assert client.post(reverse("awards:campaign_advance", args=[campaign.pk])).status_code == 404
        assert client.post(reverse("awards:campaign_cancel", args=[campaign.pk]), {"reason": "x"}).status_code == 404
    campaign.refresh_from_db()
    assert campaign.phase == "nomination"


def test_the_other_countys_admin_cannot_decide_an_objection(cast, client_for, in_publicity, other_county):
    campaign, noms = in_publicity
    o = services.objection_submit(actor=cast.parent_sun, nomination=noms["sun_hao"], real_name="孙丽",
                                  phone="13800000041", facts=FACTS)  # fmt: skip
    for client in (_login(other_county[1]), client_for("school_admin_wang"), client_for("parent_sun")):
        r = client.post(reverse("awards:objection_decide", args=[o.pk]), {"outcome": "dismiss", "reason": "不属实"})
        assert r.status_code == 404
    o.refresh_from_db()
    assert o.status == "pending"


# --- nominating ---------------------------------------------------------------------------------------------------------


def test_a_parent_nominates_their_own_family_with_materials(cast, client_for, campaign):
    png = SimpleUploadedFile("全家福.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
    r = client_for("parent_zhang").post(reverse("awards:nominate", args=[campaign.pk]), {
        "by": "self", "nominee": cast.students["zhang_xiaoming"].pk, "statement": STATEMENT, "materials": [png],
    }, follow=True)  # fmt: skip
    n = Nomination.objects.get()
    assert "推荐已提交" in _text(r) and n.display_name == "张小明家庭" and n.nominated_by == cast.parent_zhang
    m = NominationMaterial.objects.get()
    assert m.name == "全家福.png"
    assert client_for("school_admin_liu").get(reverse("awards:material_download", args=[m.token])).status_code == 200
    assert client_for("school_admin_wang").get(reverse("awards:material_download", args=[m.token])).status_code == 404
    assert client_for("grandma_zhao").get(reverse("awards:nomination_detail", args=[n.pk])).status_code == 404


def test_a_nomination_outside_the_scope_or_bad_is_refused_and_nothing_changes(cast, client_for, campaign):
    zhang = client_for("parent_zhang")
    url = reverse("awards:nominate", args=[campaign.pk])
    r = zhang.post(url, {"by": "self", "nominee": cast.students["chen_yu"].pk, "statement": STATEMENT}, follow=True)
    assert "不在本次评选的范围内" in _text(r)
    r = zhang.post(url, {"by": "self", "nominee": cast.students["liu_xiaoyu"].pk, "statement": STATEMENT}, follow=True)
    assert "不能以这种方式推荐" in _text(r)
    r = zhang.post(url, {"by": "self", "nominee": cast.students["zhang_xiaoming"].pk, "statement": "好"}, follow=True)
    assert "20到5000字" in _text(r)
    exe = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00" + b"\0" * 64, content_type="application/pdf")
    r = zhang.post(url, {"by": "self", "nominee": cast.students["zhang_xiaoming"].pk, "statement": STATEMENT,
                         "materials": [exe]}, follow=True)  # fmt: skip
    assert "证明.pdf" in _text(r)
    r = zhang.post(url, {"by": "school", "nominee": cast.students["zhang_xiaoming"].pk, "statement": STATEMENT},
                   follow=True)  # fmt: skip
    assert "请选择以什么身份推荐" in _text(r)
    assert not Nomination.objects.exists() and not NominationMaterial.objects.exists()


def test_the_nominate_page_closes_with_the_phase(cast, client_for, campaign):
    advance(cast, campaign)
    assert client_for("parent_zhang").get(reverse("awards:nominate", args=[campaign.pk])).status_code == 404


# --- reviewing and scoring ------------------------------------------------------------------------------------------


def test_the_school_reviews_from_its_queue(cast, client_for, campaign):
    a, b = nominate(cast, campaign, "zhang_xiaoming"), nominate(cast, campaign, "sun_hao")
    advance(cast, campaign)
    liu = client_for("school_admin_liu")
    queue = _text(liu.get(reverse("awards:review_queue")))
    assert "张小明家庭" in queue and "孙浩家庭" not in queue
    r = liu.post(reverse("awards:school_review", args=[a.pk]), {"decision": "reject", "note": ""}, follow=True)
    assert "请说明学校不推荐的理由" in _text(r)
    liu.post(reverse("awards:school_review", args=[a.pk]), {"decision": "recommend", "note": "事迹属实"})
    assert liu.post(reverse("awards:school_review", args=[b.pk]), {"decision": "recommend"}).status_code == 404
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("recommended", "submitted")
    assert client_for("parent_zhang").get(reverse("awards:review_queue")).status_code == 404


def test_the_expert_scores_from_the_score_queue(cast, client_for, campaign):
    n = nominate(cast, campaign, "zhang_xiaoming")
    advance(cast, campaign)
    recommend_all(cast, campaign)
    advance(cast, campaign)
    huang = client_for("expert_huang")
    assert "张小明家庭" in _text(huang.get(reverse("awards:score_queue")))
    assert 'id="score-form"' in _text(huang.get(reverse("awards:nomination_detail", args=[n.pk])))
    r = huang.post(reverse("awards:score_submit", args=[n.pk]), {"c0": "45", "c1": "20", "c2": "20"}, follow=True)
    assert "“家风建设”的分数须在0到40分之间" in _text(r)
    huang.post(reverse("awards:score_submit", args=[n.pk]), {"c0": "36", "c1": "27", "c2": "27.5"})
    n.refresh_from_db()
    assert str(n.expert_score) == "90.50"
    zhou = client_for("counsellor_zhou")
    assert zhou.get(reverse("awards:score_queue")).status_code == 404
    assert zhou.post(reverse("awards:score_submit", args=[n.pk]), {"c0": "1", "c1": "1", "c2": "1"}).status_code == 404


# --- 公示 and objections ------------------------------------------------------------------------------------------------


def test_the_publicity_list_and_an_objection_from_a_parent(cast, client_for, in_publicity):
    campaign, noms = in_publicity
    sun = client_for("parent_sun")
    page = _text(sun.get(reverse("awards:campaign_detail", args=[campaign.pk])))
    assert "公示名单" in page and "张小明家庭" in page and "综合得分 90.00" in page
    url = reverse("awards:objection_submit", args=[campaign.pk, noms["liu_xiaoyu"].pk])
    r = sun.post(url, {"real_name": "孙丽", "phone": "13800000041", "facts": ""}, follow=True)
    assert "请写明异议的事实" in _text(r)
    r = sun.post(url, {"real_name": "孙丽", "phone": "123", "facts": FACTS}, follow=True)
    assert "11位手机号码" in _text(r)
    assert not Objection.objects.exists()
    r = sun.post(url, {"real_name": "孙丽", "phone": "13800000041", "facts": FACTS}, follow=True)
    assert "您的异议已收到" in _text(r) and Objection.objects.get().nomination == noms["liu_xiaoyu"]


def test_the_county_upholds_an_objection_and_the_list_changes(cast, client_for, in_publicity):
    campaign, noms = in_publicity
    o = services.objection_submit(actor=cast.parent_sun, nomination=noms["liu_xiaoyu"], real_name="孙丽",
                                  phone="13800000041", facts=FACTS)  # fmt: skip
    chen = client_for("county_admin_chen")
    r = chen.post(reverse("awards:objection_decide", args=[o.pk]), {"outcome": "remove", "reason": ""}, follow=True)
    assert "请填写核实结论的理由" in _text(r)
    chen.post(reverse("awards:objection_decide", args=[o.pk]), {"outcome": "remove", "reason": "经调查属实。"})
    page = _text(client_for("parent_zhang").get(reverse("awards:campaign_detail", args=[campaign.pk])))
    assert "因异议取消入选资格:刘小宇家庭" in page and "孙丽" not in page
    end_publicity(campaign)
    chen.post(reverse("awards:campaign_advance", args=[campaign.pk]))
    result = _text(client_for("parent_zhang").get(reverse("awards:campaign_result", args=[campaign.pk])))
    assert "周杰家庭" in result and "刘小宇家庭" not in result and "成立1条" in result and "孙丽" not in result


def test_result_and_certificates(cast, client_for, in_publicity, other_county):
    campaign, noms = in_publicity
    end_publicity(campaign)
    advance(cast, campaign)
    n = Nomination.objects.get(pk=noms["zhang_xiaoming"].pk)
    assert n.status == "selected" and n.certificate_no
    url = reverse("awards:certificate", args=[n.pk])
    for persona in ("county_admin_chen", "school_admin_liu", "parent_zhang"):
        r = client_for(persona).get(url)
        assert r.status_code == 200 and r.content.startswith(b"%PDF")
    for persona in ("school_admin_wang", "grandma_zhao", "expert_huang"):
        assert client_for(persona).get(url).status_code == 404
    assert _login(other_county[1]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    page = _text(client_for("parent_zhang").get(reverse("awards:campaign_result", args=[campaign.pk])))
    assert page.count("下载荣誉证书") == 1


# --- API ----------------------------------------------------------------------------------------------------------------


def test_the_api_reads_with_the_same_rules(cast, client_for, in_publicity, other_county):
    campaign, noms = in_publicity
    zhang = client_for("parent_zhang")
    body = zhang.get("/api/v1/awards/campaigns").json()
    assert [c["id"] for c in body["items"]] == [campaign.pk]
    detail = zhang.get(f"/api/v1/awards/campaigns/{campaign.pk}").json()
    assert detail["phase"] == "publicity" and detail["rubric"][0] == {"name": "家风建设", "max": 40}
    pub = zhang.get(f"/api/v1/awards/campaigns/{campaign.pk}/publicity").json()
    assert [i["name"] for i in pub["items"]][:2] == ["张小明家庭", "孙浩家庭"] and pub["objections"]["total"] == 0
    assert zhang.get(f"/api/v1/awards/campaigns/{campaign.pk}/result").status_code == 404
    other = _login(other_county[1])
    assert other.get(f"/api/v1/awards/campaigns/{campaign.pk}").status_code == 404
    assert other.get("/api/v1/awards/campaigns").json()["items"] == []
    assert client_for(None).get(f"/api/v1/awards/campaigns/{campaign.pk}").status_code in (401, 403)
    end_publicity(campaign)
    advance(cast, campaign)
    result = zhang.get(f"/api/v1/awards/campaigns/{campaign.pk}/result").json()
    assert len(result["selected"]) == 3 and result["selected"][0]["certificate_no"]
    assert zhang.get("/api/v1/awards/campaigns/99999999999999999999").status_code in (404, 422)


# --- query counts --------------------------------------------------------------------------------------------------------


def test_the_pages_take_a_fixed_number_of_queries(cast, client_for, in_publicity, django_assert_max_num_queries):
    campaign, noms = in_publicity
    for i in range(3):
        services.objection_submit(actor=cast.parent_sun, nomination=noms["sun_hao"], real_name="孙丽",
                                  phone="13800000041", facts=FACTS + str(i))  # fmt: skip
    chen, zhang = client_for("county_admin_chen"), client_for("parent_zhang")
    detail = reverse("awards:campaign_detail", args=[campaign.pk])
    with django_assert_max_num_queries(30):
        assert chen.get(detail).status_code == 200
    with django_assert_max_num_queries(25):
        assert zhang.get(detail).status_code == 200
    with django_assert_max_num_queries(15):
        assert zhang.get(reverse("awards:campaign_list")).status_code == 200
    score_client = client_for("expert_huang")
    with django_assert_max_num_queries(15):
        assert score_client.get(reverse("awards:score_queue")).status_code == 200


def test_a_campaign_with_many_nominations_keeps_its_query_count(cast, client_for, campaign, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    chen = client_for("county_admin_chen")
    url = reverse("awards:campaign_detail", args=[campaign.pk])
    nominate(cast, campaign, "zhang_xiaoming")
    with CaptureQueriesContext(connection) as few:
        chen.get(url)
    for key in ("liu_xiaoyu", "zhou_jie", "sun_hao", "qian_duoduo", "li_guoguo"):
        nominate(cast, campaign, key)
    with CaptureQueriesContext(connection) as many:
        chen.get(url)
    assert len(many) == len(few)


def test_cancel_needs_a_reason_on_the_page(cast, client_for, campaign):
    chen = client_for("county_admin_chen")
    r = chen.post(reverse("awards:campaign_cancel", args=[campaign.pk]), {"reason": ""}, follow=True)
    assert "请说明取消评选的原因" in _text(r)
    chen.post(reverse("awards:campaign_cancel", args=[campaign.pk]), {"reason": "上级通知暂停。"})
    campaign.refresh_from_db()
    assert campaign.phase == "cancelled"
    assert "上级通知暂停" in _text(client_for("parent_zhang").get(reverse("awards:campaign_detail", args=[campaign.pk])))


def test_a_second_campaign_fields(cast):
    """A unit campaign takes schools and communities of the county only."""
    c = services.campaign_create(actor=cast.county_admin_chen, county=cast.county,
                                 fields=campaign_fields(kind="advanced_unit", nominee="unit", school_kinds=()))  # fmt: skip
    services.campaign_open(actor=cast.county_admin_chen, campaign=c)
    n = services.nomination_submit(actor=cast.community_ye, campaign=c, by="community",
                                   nominee=cast.communities["south"], statement=STATEMENT)  # fmt: skip
    assert n.display_name == "城厢镇城南社区" and n.school is None
    advance(cast, c)
    c = advance(cast, c)  # no school reviews a community: straight to the county
    n.refresh_from_db()
    assert n.status == "recommended"
    score(cast, n, 30, 20, 20)


def test_the_result_page_and_queues_in_a_fixed_number_of_queries(cast, client_for, in_publicity, other_county,
                                                                  django_assert_max_num_queries):  # fmt: skip
    campaign, noms = in_publicity
    end_publicity(campaign)
    advance(cast, campaign)
    zhang, liu, chen = client_for("parent_zhang"), client_for("school_admin_liu"), client_for("county_admin_chen")
    result = reverse("awards:campaign_result", args=[campaign.pk])
    with django_assert_max_num_queries(15):
        assert zhang.get(result).status_code == 200
    assert _login(other_county[1]).get(result).status_code == 404
    assert client_for(None).get(result).status_code == 302
    with django_assert_max_num_queries(15):
        assert liu.get(reverse("awards:review_queue")).status_code == 200
    nomination = reverse("awards:nomination_detail", args=[noms["zhang_xiaoming"].pk])
    with django_assert_max_num_queries(20):
        assert chen.get(nomination).status_code == 200
    assert client_for("school_admin_wang").get(nomination).status_code == 404
    assert client_for("grandma_zhao").get(nomination).status_code == 404
    assert _login(other_county[1]).get(nomination).status_code == 404
