"""Demo data: care consents and referrals. 赵秀英 consented in the app to share 刘小宇's family-support section with
全南县妇联, and a referral to 妇联 awaits 吴桂兰's acceptance (its clock running); a handful of the generated cases are
referred too, each under a consent of the child's guardian, in several states."""

from __future__ import annotations

import datetime

from django.utils import timezone

from xieyu.care.cases.models import Case, CaseSection, Section, ServiceKind
from xieyu.care.referrals import services
from xieyu.care.referrals.models import Consent
from xieyu.directory.models import Guardianship

from .personas import Cast

HANDFUL = 8


def _liu_case(cast: Cast) -> Case:
    child = cast.students["liu_xiaoyu"]
    case = Case.objects.filter(student=child).exclude(state=Case.State.CLOSED).order_by("pk").first()
    if case is None:
        case = Case.objects.create(
            student=child, county=cast.county, school=child.school, title="留守儿童关爱:刘小宇",
            origin=Case.Origin.URGENT_QUESTION, owner=cast.counsellor_zhou, supervisor=cast.supervisor_zhong,
            risk=Case.Risk.MEDIUM, state=Case.State.PLAN, opened_by=cast.counsellor_zhou,
        )  # fmt: skip
    CaseSection.objects.get_or_create(
        case=case, section=Section.FAMILY_SUPPORT,
        defaults={"body": "奶奶赵秀英年近七十,独自照看孙子;父母在广东务工,每月通话一两次。建议妇联协助建立每周固定的亲情"
                          "通话,并为奶奶提供隔代教养指导。"},
    )  # fmt: skip
    return case


def _given(consent: Consent, days_ago: int = 1) -> Consent:
    consent.given_at = timezone.now() - datetime.timedelta(days=days_ago)
    consent.save(update_fields=["given_at"])
    return consent


def seed_referrals(cast: Cast) -> None:
    case = _liu_case(cast)
    guardian = Guardianship.objects.get(student=case.student, guardian__user=cast.grandma_zhao).guardian
    consent = services.consent_request(
        actor=cast.counsellor_zhou, case=case, guardian=guardian, purpose="为刘小宇和奶奶提供亲情沟通与家庭支持",
        agency=cast.women_federation, sections=[Section.FAMILY_SUPPORT],
    )  # fmt: skip
    _given(consent)  # as if 赵秀英 had confirmed it in the app with the code texted to her
    services.referral_send(
        actor=cast.counsellor_zhou, case=case, consent=consent, service_kind=ServiceKind.FAMILY_CONTACT,
        request="请协助刘小宇与在外务工的父母建立每周固定的亲情通话,并为奶奶提供隔代教养指导。",
    )  # fmt: skip
    others = (
        Case.objects.exclude(pk=case.pk)
        .exclude(state=Case.State.CLOSED)
        .filter(county=cast.county)
        .select_related("student", "owner")
        .order_by("pk")[:HANDFUL]
    )
    for i, other in enumerate(others):
        ship = (
            Guardianship.objects.filter(student=other.student, status=Guardianship.Status.CONFIRMED)
            .select_related("guardian")
            .order_by("-is_primary_carer", "pk")
            .first()
        )
        if ship is None:
            continue
        CaseSection.objects.get_or_create(case=other, section=Section.FAMILY_SUPPORT,
                                          defaults={"body": "需要家庭教育指导与亲情沟通支持。"})  # fmt: skip
        c = Consent.objects.create(
            student=other.student, guardian=ship.guardian, case=other, purpose="家庭支持", agency=cast.women_federation,
            sections=[Section.FAMILY_SUPPORT], method=Consent.Method.PAPER, requested_by=other.owner,
            given_at=timezone.now() - datetime.timedelta(days=3), expires_at=timezone.now() + datetime.timedelta(days=365),
        )  # fmt: skip
        r = services.referral_send(actor=other.owner, case=other, consent=c, service_kind=ServiceKind.FAMILY_CONTACT,
                                   request="请妇联开展家庭教育指导。")  # fmt: skip
        if i % 3 == 1:
            services.referral_accept(actor=cast.partner_wu, referral=r)
        elif i % 3 == 2:
            services.referral_accept(actor=cast.partner_wu, referral=r)
            services.referral_done(actor=cast.partner_wu, referral=r, outcome="已开展两次家庭教育指导,家长反馈良好。")
