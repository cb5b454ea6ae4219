"""A referral to a person at an agency without an account: a link texted to their number, opened with a code sent to
that number, showing only the packet; it expires, can be revoked, and every open is logged."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from xieyu.accounts import sms
from xieyu.audit.models import AccessEvent
from xieyu.care.cases.models import ServiceKind
from xieyu.care.referrals import services
from xieyu.care.referrals.models import Referral, ReferralLink

from .referrals_support import ABUSE_TEXT, ASSESSMENT_TEXT, FAMILY_TEXT, consent, last_code, last_link, make_case

PHONE = "13900001234"


@pytest.fixture(autouse=True)
def _outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def link(cast, django_capture_on_commit_callbacks):
    case = make_case(cast)
    r = services.referral_send(actor=cast.counsellor_zhou, case=case, consent=consent(cast, case),
                               service_kind=ServiceKind.FAMILY_CONTACT, request="请开展亲情沟通。")  # fmt: skip
    zhou = Client()
    zhou.force_login(cast.counsellor_zhou, backend="django.contrib.auth.backends.ModelBackend")
    with django_capture_on_commit_callbacks(execute=True):
        zhou.post(f"/care/referrals/{r.pk}/links/",
                  {"name": "钟老师", "organisation": "龙下乡社工站", "phone": PHONE, "days": 14})  # fmt: skip
    return ReferralLink.objects.get(referral=r), last_link(PHONE)


def open_with_code(client, token, phone=PHONE):
    client.post(f"/care/referrals/link/{token}/", {"action": "code", "phone": phone})
    return client.post(f"/care/referrals/link/{token}/", {"action": "verify", "phone": phone, "code": last_code(PHONE)},
                       follow=True)  # fmt: skip


def test_the_link_holds_only_a_digest_of_its_token_and_opens_with_the_code_sent_to_the_bound_phone(cast, link):
    row, token = link
    assert token not in row.token_digest and len(row.token_digest) == 64
    client = Client()
    first = client.get(f"/care/referrals/link/{token}/").content.decode()
    assert FAMILY_TEXT not in first and 'id="phone-form"' in first
    page = open_with_code(client, token).content.decode()
    assert FAMILY_TEXT in page and ASSESSMENT_TEXT not in page and ABUSE_TEXT not in page
    log = AccessEvent.objects.get(purpose="care.referral.packet", actor=None)
    assert log.detail == {"sections": ["family_support"], "referral": row.referral_id, "link": row.pk,
                          "phone": "139****1234"}  # fmt: skip
    client.get(f"/care/referrals/link/{token}/")
    assert AccessEvent.objects.filter(purpose="care.referral.packet", actor=None).count() == 2  # every open


def test_a_wrong_code_and_another_phone_are_refused(cast, link):
    _, token = link
    client = Client()
    other = client.post(f"/care/referrals/link/{token}/", {"action": "code", "phone": "13900009999"})
    assert other.status_code == 422 and not [t for t, _ in sms.outbox if t == "13900009999"]
    client.post(f"/care/referrals/link/{token}/", {"action": "code", "phone": PHONE})
    wrong = "000000" if last_code(PHONE) != "000000" else "111111"
    page = client.post(f"/care/referrals/link/{token}/", {"action": "verify", "phone": PHONE, "code": wrong})
    assert page.status_code == 422 and FAMILY_TEXT not in page.content.decode()
    assert not AccessEvent.objects.filter(purpose="care.referral.packet").exists()


def test_the_holder_accepts_and_records_the_outcome_through_the_link(cast, link):
    row, token = link
    client = Client()
    open_with_code(client, token)
    client.post(f"/care/referrals/link/{token}/accept/")
    client.post(f"/care/referrals/link/{token}/done/", {"outcome": "已家访两次。"})
    r = Referral.objects.get(pk=row.referral_id)
    assert r.state == Referral.State.DONE and r.decided_by_link_id == row.pk and r.decided_by is None
    assert r.service.outcome == "已家访两次。"


def test_a_link_expires(cast, link):
    _, token = link
    client = Client()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        page = client.get(f"/care/referrals/link/{token}/")
        assert page.status_code == 410 and 'data-why="expired"' in page.content.decode()
        assert client.post(f"/care/referrals/link/{token}/", {"action": "code", "phone": PHONE}).status_code == 410


def test_a_link_opened_before_shows_nothing_once_expired(cast, link):
    _, token = link
    client = Client()
    open_with_code(client, token)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=15)):
        assert FAMILY_TEXT not in client.get(f"/care/referrals/link/{token}/").content.decode()


def test_a_revoked_link_shows_no_packet(cast, client_for, link):
    row, token = link
    client = Client()
    open_with_code(client, token)
    client_for("counsellor_zhou").post(f"/care/referrals/links/{row.pk}/revoke/")
    page = client.get(f"/care/referrals/link/{token}/")
    assert page.status_code == 410 and FAMILY_TEXT not in page.content.decode()
    assert client.post(f"/care/referrals/link/{token}/accept/").status_code == 410
    assert Referral.objects.get(pk=row.referral_id).state == Referral.State.SENT


def test_an_unknown_token_is_a_plain_404_page(cast, link):
    page = Client().get("/care/referrals/link/not-a-token/")
    assert page.status_code == 404 and 'data-why="unknown"' in page.content.decode()


def test_only_the_case_team_makes_or_revokes_links(cast, client_for, link):
    row, _ = link
    assert client_for("partner_wu").post(f"/care/referrals/links/{row.pk}/revoke/").status_code == 404
    assert client_for("expert_huang").post(f"/care/referrals/{row.referral_id}/links/",
                                           {"name": "x", "organisation": "y", "phone": PHONE, "days": 3}).status_code == 404  # fmt: skip
    row.refresh_from_db()
    assert row.revoked_at is None and ReferralLink.objects.count() == 1
