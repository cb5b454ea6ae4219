"""An overdue referral climbs the chain on the deadline engine: the agency's staff first, then the county."""

from __future__ import annotations

import time_machine

from xieyu.care.cases.models import ServiceKind
from xieyu.care.referrals import services
from xieyu.deadlines.services import deadline_sweep
from xieyu.deadlines.tests.helpers import at
from xieyu.notices.models import Delivery

from .referrals_support import consent, make_case


def sweep(when, capture):
    with time_machine.travel(at(when), tick=False), capture(execute=True):
        return deadline_sweep(actor=None)


def told(user):
    return list(
        Delivery.objects.filter(user=user, notice__topic="care.referral.overdue").values_list("notice__link", flat=True)
    )


def test_a_referral_nobody_accepts_is_escalated_to_the_agency_then_the_county(cast, django_capture_on_commit_callbacks):
    cap = django_capture_on_commit_callbacks
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):  # a Monday
        case = make_case(cast)
        r = services.referral_send(actor=cast.counsellor_zhou, case=case, consent=consent(cast, case),
                                   service_kind=ServiceKind.FAMILY_CONTACT, request="亲情沟通")  # fmt: skip
    sweep("2026-11-18 09:00", cap)
    assert told(cast.partner_wu) == [] and told(cast.county_admin_chen) == []
    sweep("2026-11-19 18:00", cap)  # three working days have passed: the agency is told
    assert told(cast.partner_wu) == [f"/care/referrals/{r.pk}/"]
    assert told(cast.county_admin_chen) == []
    assert told(cast.partner_luo) == []  # another agency's staff hear nothing
    sweep("2026-11-24 18:00", cap)  # one more step: the county
    assert told(cast.county_admin_chen) == ["/care/figures/"]
    assert len(told(cast.partner_wu)) == 1
