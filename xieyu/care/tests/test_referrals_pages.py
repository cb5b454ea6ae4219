"""The pages of consent and referrals, walked by the cast: who sees what, and who gets 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xieyu.accounts.models import Role, User
from xieyu.accounts.services import membership_grant
from xieyu.audit.models import AccessEvent
from xieyu.care.cases.models import ServiceKind
from xieyu.care.referrals import services
from xieyu.care.referrals.models import Referral
from xieyu.directory.models import PartnerAgency, Region

from .referrals_support import ABUSE_TEXT, ASSESSMENT_TEXT, FAMILY_TEXT, consent, make_case


@pytest.fixture
def referral(cast):
    case = make_case(cast)
    return services.referral_send(actor=cast.counsellor_zhou, case=case, consent=consent(cast, case),
                                  service_kind=ServiceKind.FAMILY_CONTACT, request="请开展亲情沟通。")  # fmt: skip


@pytest.fixture
def partner_elsewhere(cast):
    """A 妇联 partner of another county."""
    other = Region.objects.create(name="龙南市", level=Region.Level.COUNTY, code="360727", parent=cast.county.parent)
    agency = PartnerAgency.objects.create(county=other, name="龙南市妇联", kind=PartnerAgency.Kind.WOMEN_FEDERATION)
    user = User.objects.create_user(phone="13800009061", name="外县妇联", password="Demo2026xy")
    membership_grant(actor=None, user=user, role=Role.PARTNER, unit=agency)
    return user


def login(client_for, cast, persona, partner_elsewhere):
    if persona == "partner_elsewhere":
        from django.test import Client

        c = Client()
        c.force_login(partner_elsewhere, backend="django.contrib.auth.backends.ModelBackend")
        return c
    return client_for(persona)


@pytest.mark.parametrize(
    "persona, status",
    [
        ("partner_wu", 200),
        ("counsellor_zhou", 200),  # the sender sees its state
        ("supervisor_zhong", 200),
        ("partner_luo", 404),  # another agency of the county
        ("partner_elsewhere", 404),  # 妇联 of another county
        ("expert_huang", 404),  # a counsellor-level colleague not on the case
        ("head_teacher_wang", 404),
        ("head_teacher_li", 404),  # the child's head teacher: not the referral
        ("parent_zhang", 404),
        (None, 302),
    ],
)
def test_the_referral_page_is_seen_only_by_the_agency_and_the_case_team(
    cast, client_for, referral, partner_elsewhere, persona, status
):
    response = login(client_for, cast, persona, partner_elsewhere).get(f"/care/referrals/{referral.pk}/")
    assert response.status_code == status
    if status == 302:
        assert "/login/" in response["Location"]


def test_the_partner_reads_the_family_support_section_and_nothing_else_and_the_read_is_logged(
    cast, client_for, referral
):
    page = client_for("partner_wu").get(f"/care/referrals/{referral.pk}/").content.decode()
    assert FAMILY_TEXT in page and "刘小宇" in page
    assert ASSESSMENT_TEXT not in page and ABUSE_TEXT not in page
    log = AccessEvent.objects.get(actor=cast.partner_wu, purpose="care.referral.packet")
    assert log.detail["sections"] == ["family_support"] and log.target_id == str(referral.case_id)


def test_after_the_guardian_revokes_in_one_tap_the_partner_sees_no_section_and_why(cast, client_for, referral):
    grandma = client_for("grandma_zhao")
    assert grandma.post(f"/care/referrals/consents/{referral.consent_id}/revoke/").status_code == 302
    page = client_for("partner_wu").get(f"/care/referrals/{referral.pk}/").content.decode()
    assert FAMILY_TEXT not in page and 'id="sections-hidden"' in page


@pytest.mark.parametrize(
    "persona, status", [("grandma_zhao", 200), ("parent_zhang", 404), ("parent_sun", 404), (None, 302)]
)
def test_a_consent_is_seen_by_the_child_s_guardians_only(cast, client_for, referral, persona, status):
    assert client_for(persona).get(f"/care/referrals/consents/{referral.consent_id}/").status_code == status


def test_another_family_s_guardian_cannot_revoke(cast, client_for, referral):
    assert client_for("parent_zhang").post(f"/care/referrals/consents/{referral.consent_id}/revoke/").status_code == 404
    referral.consent.refresh_from_db()
    assert referral.consent.revoked_at is None


def test_the_guardian_s_list_shows_her_consents_with_a_revoke_button(cast, client_for, referral):
    page = client_for("grandma_zhao").get("/care/referrals/consents/").content.decode()
    assert "全南县妇联" in page and f'data-revoke="{referral.consent_id}"' in page
    assert "全南县妇联" not in client_for("parent_zhang").get("/care/referrals/consents/").content.decode()


@pytest.mark.parametrize(
    "persona, status",
    [("counsellor_zhou", 200), ("supervisor_zhong", 200), ("expert_huang", 404), ("partner_wu", 404),
     ("head_teacher_li", 404), ("grandma_zhao", 404), (None, 302)],
)  # fmt: skip
def test_the_case_s_consents_and_referrals_page_is_for_the_case_team(cast, client_for, referral, persona, status):
    assert client_for(persona).get(f"/care/referrals/case/{referral.case_id}/").status_code == status


def test_partner_actions_by_a_neighbour_are_404_and_change_nothing(cast, client_for, referral):
    for path in ("accept", "reject", "done"):
        assert (
            client_for("partner_luo").post(f"/care/referrals/{referral.pk}/{path}/", {"reason": "x"}).status_code == 404
        )
    assert client_for("partner_wu").post(f"/care/referrals/{referral.pk}/revoke/", {"reason": "x"}).status_code == 404
    referral.refresh_from_db()
    assert referral.state == Referral.State.SENT


def test_the_partner_accepts_on_the_page_and_a_second_click_says_who_accepted(cast, client_for, referral):
    wu = client_for("partner_wu")
    wu.post(f"/care/referrals/{referral.pk}/accept/")
    again = wu.post(f"/care/referrals/{referral.pk}/accept/", follow=True).content.decode()
    assert "吴桂兰" in again
    referral.refresh_from_db()
    assert referral.state == Referral.State.ACCEPTED


def test_the_owner_sends_a_referral_from_the_case_page_and_one_without_consent_is_refused(cast, client_for):
    case = make_case(cast)
    c = consent(cast, case)
    zhou = client_for("counsellor_zhou")
    data = {"referral-agency": cast.women_federation.pk, "referral-service_kind": "family_contact",
            "referral-request": "亲情沟通"}  # fmt: skip
    refused = zhou.post(f"/care/referrals/case/{case.pk}/refer/", {**data, "referral-consent": ""})
    assert refused.status_code == 422 and not Referral.objects.exists()
    ok = zhou.post(f"/care/referrals/case/{case.pk}/refer/", {**data, "referral-consent": c.pk})
    assert ok.status_code == 302 and Referral.objects.get().sections == ["family_support"]


def many_referrals(cast, n):
    case = make_case(cast)
    c = consent(cast, case)
    for i in range(n):
        r = services.referral_send(actor=cast.counsellor_zhou, case=case, consent=c,
                                   service_kind=ServiceKind.FAMILY_CONTACT, request=f"第{i}次")  # fmt: skip
        if i % 3 == 1:
            services.referral_accept(actor=cast.partner_wu, referral=r)
        elif i % 3 == 2:
            services.referral_accept(actor=cast.partner_wu, referral=r)
            services.referral_done(actor=cast.partner_wu, referral=r, outcome="完成")


@pytest.mark.parametrize("path, persona", [("/", "partner_wu"), ("/care/referrals/inbox/", "partner_wu"),
                                           ("/care/referrals/sent/", "counsellor_zhou")])  # fmt: skip
def test_the_partner_home_and_the_lists_run_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries, path, persona
):
    many_referrals(cast, 36)  # more than a home section and a list page show
    client = client_for(persona)
    with django_assert_max_num_queries(14):
        response = client.get(path)
    assert response.status_code == 200 and response.content.decode().count("data-referral=") >= 10


def test_the_partner_home_lists_what_to_accept_with_its_deadline(cast, client_for, referral):
    page = client_for("partner_wu").get("/").content.decode()
    assert f'data-referral="{referral.pk}"' in page and "/care/figures/" in page and "/care/registry/" in page


def test_the_guardian_home_shows_a_consent_awaiting_her(cast, client_for):
    case = make_case(cast)
    from .referrals_support import zhao

    c = services.consent_request(actor=cast.counsellor_zhou, case=case, guardian=zhao(cast), purpose="家庭支持",
                                 agency=cast.women_federation, sections=["family_support"])  # fmt: skip
    page = client_for("grandma_zhao").get("/").content.decode()
    assert f"/care/referrals/consents/{c.pk}/" in page
    assert f"/care/referrals/consents/{c.pk}/" not in client_for("parent_zhang").get("/").content.decode()
    assert c.expires_at > timezone.now()
