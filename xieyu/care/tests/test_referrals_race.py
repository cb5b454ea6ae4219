"""Two partner staff accept one referral at the same moment (PostgreSQL, real row locks): exactly one wins."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from xieyu.accounts.models import Role, User
from xieyu.accounts.services import membership_grant
from xieyu.care.cases.models import ServiceKind
from xieyu.care.referrals import services
from xieyu.care.referrals.models import Referral

from .referrals_support import consent, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_staff_accepting_at_once_give_one_acceptance(cast):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent row locks need PostgreSQL (the stale read is tested in test_referrals_rules)")
    colleague = User.objects.create_user(phone="13800009062", name="妇联同事", password="Demo2026xy")
    membership_grant(actor=None, user=colleague, role=Role.PARTNER, unit=cast.women_federation)
    case = make_case(cast)
    r = services.referral_send(actor=cast.counsellor_zhou, case=case, consent=consent(cast, case),
                               service_kind=ServiceKind.FAMILY_CONTACT, request="亲情沟通")  # fmt: skip
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(user):
        try:
            stale = Referral.objects.get(pk=r.pk)
            barrier.wait()
            services.referral_accept(actor=user, referral=stale)
            outcomes.append("won")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(u,)) for u in (cast.partner_wu, colleague)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(outcomes) == 2 and outcomes.count("won") == 1
    loser = next(o for o in outcomes if o != "won")
    r.refresh_from_db()
    assert r.state == Referral.State.ACCEPTED and r.version == 1
    assert r.decided_by.name in loser
