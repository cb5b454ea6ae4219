"""The referrals API: the same rules as the pages, the project's error shape, 404 for neighbours, 422 with the reason
for a refused state change."""

from __future__ import annotations

import pytest

from xieyu.care.cases.models import ServiceKind
from xieyu.care.referrals import services
from xieyu.care.referrals.models import Referral

from .referrals_support import ABUSE_TEXT, ASSESSMENT_TEXT, FAMILY_TEXT, consent, make_case

BASE = "/api/v1/care/referrals"


@pytest.fixture
def referral(cast):
    case = make_case(cast)
    return services.referral_send(actor=cast.counsellor_zhou, case=case, consent=consent(cast, case),
                                  service_kind=ServiceKind.FAMILY_CONTACT, request="请开展亲情沟通。")  # fmt: skip


def test_the_partner_lists_reads_the_packet_and_accepts(cast, client_for, referral):
    wu = client_for("partner_wu")
    listed = wu.get(BASE).json()
    assert [r["id"] for r in listed["items"]] == [referral.pk] and listed["items"][0]["accept_due"]
    packet = wu.get(f"{BASE}/{referral.pk}").json()
    assert [s["section"] for s in packet["sections"]] == ["family_support"]
    text = str(packet)
    assert FAMILY_TEXT in text and ASSESSMENT_TEXT not in text and ABUSE_TEXT not in text
    assert wu.post(f"{BASE}/{referral.pk}/accept", content_type="application/json").json()["state"] == "accepted"
    again = wu.post(f"{BASE}/{referral.pk}/accept", content_type="application/json")
    assert again.status_code == 422 and "吴桂兰" in again.json()["error"]["message"]
    done = wu.post(f"{BASE}/{referral.pk}/done", {"outcome": "完成"}, content_type="application/json")
    assert done.json()["state"] == "done"


@pytest.mark.parametrize("persona", ["partner_luo", "counsellor_zhou", "head_teacher_li", "grandma_zhao"])
def test_the_packet_and_the_actions_are_404_for_anyone_but_the_agency(cast, client_for, referral, persona):
    client = client_for(persona)
    assert client.get(f"{BASE}/{referral.pk}").status_code == 404
    for action, body in (("accept", {}), ("reject", {"reason": "x"}), ("done", {"outcome": "x"})):
        response = client.post(f"{BASE}/{referral.pk}/{action}", body, content_type="application/json")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    referral.refresh_from_db()
    assert referral.state == Referral.State.SENT


def test_the_sender_lists_her_referrals_in_every_state(cast, client_for, referral):
    services.referral_reject(actor=cast.partner_wu, referral=referral, reason="人手不足")
    items = client_for("counsellor_zhou").get(f"{BASE}/sent").json()["items"]
    assert [(r["id"], r["state"], r["reject_reason"]) for r in items] == [(referral.pk, "rejected", "人手不足")]
    assert client_for("expert_huang").get(f"{BASE}/sent").json()["items"] == []
    assert client_for("partner_luo").get(BASE).json()["items"] == []


def test_the_guardian_lists_and_revokes_her_consent_and_the_partner_then_sees_no_section(cast, client_for, referral):
    grandma = client_for("grandma_zhao")
    assert [c["id"] for c in grandma.get(f"{BASE}/consents").json()] == [referral.consent_id]
    assert client_for("parent_zhang").get(f"{BASE}/consents").json() == []
    assert client_for("parent_zhang").post(f"{BASE}/consents/{referral.consent_id}/revoke").status_code == 404
    revoked = grandma.post(f"{BASE}/consents/{referral.consent_id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert grandma.post(f"{BASE}/consents/{referral.consent_id}/revoke").status_code == 422
    packet = client_for("partner_wu").get(f"{BASE}/{referral.pk}").json()
    assert packet["sections"] == [] and not packet["consent_live"] and packet["hidden_reason"]


def test_anonymous_callers_get_401(cast, client_for, referral):
    assert client_for(None).get(BASE).status_code == 401


def test_the_case_owner_asks_consent_refers_under_it_and_revokes_through_the_api(cast, client_for):
    from xieyu.care.referrals.models import Consent

    from .referrals_support import zhao

    case = make_case(cast)
    zhou = client_for("counsellor_zhou")
    asked = zhou.post(f"{BASE}/cases/{case.pk}/consents", {
        "guardian_id": zhao(cast).pk, "purpose": "为孩子和奶奶提供家庭支持", "agency_id": cast.women_federation.pk,
        "sections": ["family_support"],
    }, content_type="application/json")  # fmt: skip
    assert asked.status_code == 201 and asked.json()["given_at"] is None
    consent_id = asked.json()["id"]
    body = {"consent_id": consent_id, "service_kind": "family_contact", "request": "请开展亲情沟通。"}
    not_given = zhou.post(f"{BASE}/cases/{case.pk}/referrals", body, content_type="application/json")
    assert not_given.status_code == 422 and not Referral.objects.exists()  # no referral before the guardian agrees

    Consent.objects.filter(pk=consent_id).update(given_at=Consent.objects.get(pk=consent_id).requested_at)
    sent = zhou.post(f"{BASE}/cases/{case.pk}/referrals", body, content_type="application/json")
    assert sent.status_code == 201 and sent.json()["state"] == "sent" and sent.json()["agency"] == "全南县妇联"
    referral_id = sent.json()["id"]
    revoked = zhou.post(f"{BASE}/{referral_id}/revoke", {"reason": "家庭已搬离本县"}, content_type="application/json")
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"


@pytest.mark.parametrize("persona", ["supervisor_zhong", "partner_wu", "head_teacher_li", "grandma_zhao"])
def test_only_the_case_team_asks_consent_or_refers_through_the_api(cast, client_for, persona):
    from .referrals_support import zhao

    case = make_case(cast, supervisor="county_admin_chen")  # 钟慧 is not on this case
    client = client_for(persona)
    asked = client.post(f"{BASE}/cases/{case.pk}/consents", {
        "guardian_id": zhao(cast).pk, "purpose": "家庭支持", "agency_id": cast.women_federation.pk,
        "sections": ["family_support"],
    }, content_type="application/json")  # fmt: skip
    assert asked.status_code == 404
    given = consent(cast, case)
    body = {"consent_id": given.pk, "service_kind": "family_contact", "request": "请开展亲情沟通。"}
    assert client.post(f"{BASE}/cases/{case.pk}/referrals", body, content_type="application/json").status_code == 404
    assert not Referral.objects.exists()
