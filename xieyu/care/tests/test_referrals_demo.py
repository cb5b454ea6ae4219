"""The demo's referrals: 赵秀英's consent in the app for 妇联, covering family support, and a referral awaiting 吴桂兰."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xieyu.care.referrals import access
from xieyu.care.referrals.models import Consent, Referral
from xieyu.deadlines.services import deadline_for
from xieyu.demo.care_referrals import seed_referrals

pytestmark = pytest.mark.once


def test_the_demo_seeds_the_cast_s_consent_and_a_referral_to_the_women_s_federation(cast):
    seed_referrals(cast)
    consent = Consent.objects.get(guardian__user=cast.grandma_zhao)
    assert consent.method == Consent.Method.APP_SMS and consent.live_at(timezone.now())
    assert consent.sections == ["family_support"] and consent.agency == cast.women_federation
    referral = Referral.objects.get(consent=consent)
    assert referral.state == Referral.State.SENT and deadline_for(referral) is not None
    assert [r.pk for r in access.referrals_to_accept(cast.partner_wu)] == [referral.pk]
    assert access.packet_of(referral).section_names == ["family_support"]
