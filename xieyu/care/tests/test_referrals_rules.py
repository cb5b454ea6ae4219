"""Consent and referral rules: no consent, no referral; exactly the consented sections; one acceptance; nothing
after a revocation. Each refusal names its reason and writes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from xieyu.accounts import sms
from xieyu.audit.models import AuditEvent
from xieyu.care.cases.models import CaseService, Section, ServiceKind
from xieyu.care.referrals import access, services
from xieyu.care.referrals.models import Consent, Referral
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_for
from xieyu.notices.models import Delivery

from .referrals_support import civil_affairs, consent, last_code, make_case, zhao


@pytest.fixture(autouse=True)
def _outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def send(cast, case, c, **kw):
    return services.referral_send(
        actor=cast.counsellor_zhou, case=case, consent=c, service_kind=kw.pop("service_kind", ServiceKind.FAMILY_CONTACT),
        request="请帮助奶奶与在外务工的父母保持联系。", **kw,
    )  # fmt: skip


def counts():
    return (Referral.objects.count(), CaseService.objects.count(), Deadline.objects.count(), Delivery.objects.count())


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda cast, case: None, "No consent"),
        (lambda cast, case: consent(cast, case, days=-1), "expired"),
        (lambda cast, case: consent(cast, case, revoked_at=timezone.now()), "revoked"),
        (lambda cast, case: consent(cast, case, declined_at=timezone.now(), given=False), "declined"),
        (lambda cast, case: consent(cast, case, given=False), "has not given"),
        (lambda cast, case: consent(cast, case, agency=civil_affairs(cast)), "not for"),
        (lambda cast, case: consent(cast, case, agency_kind="civil_affairs"), "not for"),
        (lambda cast, case: consent(cast, make_case(cast, "zhang_xiaoming"), sections=[Section.PLAN]), "another child"),
    ],
    ids=["no-consent", "expired", "revoked", "declined", "not-given", "other-agency", "other-kind", "other-child"],
)
def test_a_referral_without_a_live_consent_for_this_child_and_agency_is_refused_and_writes_nothing(
    cast, make, reason, settings
):
    settings.LANGUAGE_CODE = "en"
    case = make_case(cast)
    c = make(cast, case)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        send(cast, case, c, agency=cast.women_federation)
    assert reason in " ".join(refused.value.messages)
    assert counts() == before


def test_a_consent_by_agency_kind_allows_any_agency_of_that_kind(cast):
    case = make_case(cast)
    r = send(cast, case, consent(cast, case, agency_kind="women_federation"), agency=cast.women_federation)
    assert r.agency == cast.women_federation


def test_a_referral_carries_the_consent_s_sections_writes_a_planned_service_starts_its_clock_and_tells_the_agency(cast):
    case = make_case(cast)
    r = send(cast, case, consent(cast, case))
    assert r.sections == [Section.FAMILY_SUPPORT] and r.state == Referral.State.SENT
    assert r.service.state == CaseService.State.PLANNED and r.service.agency == cast.women_federation
    d = deadline_for(r)
    assert d.policy.name == "care.referral" and d.agency_id == cast.women_federation.pk and d.first_response_due
    assert Delivery.objects.filter(user=cast.partner_wu, notice__link=f"/care/referrals/{r.pk}/").exists()
    assert AuditEvent.objects.filter(action="care.referral.send", target_id=str(r.pk)).exists()


def test_the_packet_holds_exactly_the_consented_sections(cast):
    case = make_case(cast)
    r = send(cast, case, consent(cast, case))
    packet = access.packet_of(r)
    assert packet.section_names == [Section.FAMILY_SUPPORT]
    assert packet.child_name == "刘小宇" and packet.school == cast.school_a.name


def test_a_sensitive_section_is_carried_only_when_the_consent_names_it(cast):
    case = make_case(cast)
    r = send(cast, case, consent(cast, case, sections=[Section.FAMILY_SUPPORT, Section.ABUSE]))
    assert access.packet_of(r).section_names == [Section.FAMILY_SUPPORT, Section.ABUSE]


def test_a_second_acceptance_is_refused_naming_who_accepted(cast, settings):
    settings.LANGUAGE_CODE = "en"
    case = make_case(cast)
    r = send(cast, case, consent(cast, case))
    stale = Referral.objects.get(pk=r.pk)  # the second partner read the row before the first accepted
    services.referral_accept(actor=cast.partner_wu, referral=r)
    with pytest.raises(ValidationError) as refused:
        services.referral_accept(actor=cast.head_teacher_li, referral=stale)
    assert "already accepted by 吴桂兰" in " ".join(refused.value.messages)
    r.refresh_from_db()
    assert r.decided_by == cast.partner_wu and r.version == 1
    assert deadline_for(r).first_responded_at is not None


def test_acceptance_after_the_sender_revoked_is_refused(cast, settings):
    settings.LANGUAGE_CODE = "en"
    case = make_case(cast)
    r = send(cast, case, consent(cast, case))
    services.referral_revoke(actor=cast.counsellor_zhou, referral=r, reason="家长已自行联系")
    for act in (
        lambda: services.referral_accept(actor=cast.partner_wu, referral=r),
        lambda: services.referral_done(actor=cast.partner_wu, referral=r, outcome="x"),
    ):
        with pytest.raises(ValidationError) as refused:
            act()
        assert "revoked" in " ".join(refused.value.messages)
    r.refresh_from_db()
    assert r.state == Referral.State.REVOKED and r.decided_by is None
    assert deadline_for(r).state == Deadline.State.CANCELLED
    assert access.packet_of(r).sections == []


def test_done_writes_the_outcome_onto_the_service_and_resolves_the_clock(cast):
    case = make_case(cast)
    r = send(cast, case, consent(cast, case))
    services.referral_accept(actor=cast.partner_wu, referral=r)
    services.referral_done(actor=cast.partner_wu, referral=r, outcome="已开展三次亲情通话。")
    service = CaseService.objects.get(pk=r.service_id)
    assert service.state == CaseService.State.DONE and service.outcome == "已开展三次亲情通话。"
    assert deadline_for(r).state == Deadline.State.RESOLVED


def test_done_before_acceptance_and_a_rejection_without_reason_are_refused(cast):
    case = make_case(cast)
    r = send(cast, case, consent(cast, case))
    with pytest.raises(ValidationError):
        services.referral_done(actor=cast.partner_wu, referral=r, outcome="x")
    with pytest.raises(ValidationError):
        services.referral_reject(actor=cast.partner_wu, referral=r, reason="  ")
    r.refresh_from_db()
    assert r.state == Referral.State.SENT


def test_the_sender_still_sees_a_rejected_referral_with_its_reason(cast):
    case = make_case(cast)
    r = send(cast, case, consent(cast, case))
    services.referral_reject(actor=cast.partner_wu, referral=r, reason="本月人手不足")
    seen = access.referrals_for_case(cast.counsellor_zhou, case)
    assert [(x.pk, x.state, x.reject_reason) for x in seen] == [(r.pk, "rejected", "本月人手不足")]
    assert access.referrals_for_case(cast.supervisor_zhong, case)[0].pk == r.pk
    assert access.referrals_for_case(cast.expert_huang, case) == []


def test_a_guardian_gives_consent_in_the_app_with_the_code_texted_to_her(cast):
    case = make_case(cast)
    c = services.consent_request(
        actor=cast.counsellor_zhou, case=case, guardian=zhao(cast), purpose="家庭支持",
        agency=cast.women_federation, sections=[Section.FAMILY_SUPPORT],
    )  # fmt: skip
    assert Delivery.objects.filter(guardian=zhao(cast), notice__link=f"/care/referrals/consents/{c.pk}/").exists()
    services.consent_send_code(actor=cast.grandma_zhao, consent=c)
    phone = zhao(cast).phone
    with pytest.raises(ValidationError):
        wrong = "000000" if last_code(phone) != "000000" else "111111"
        services.consent_give_in_app(actor=cast.grandma_zhao, consent=c, code=wrong)
    c.refresh_from_db()
    assert c.given_at is None
    services.consent_give_in_app(actor=cast.grandma_zhao, consent=c, code=last_code(phone))
    c.refresh_from_db()
    assert c.live_at(timezone.now()) and c.method == Consent.Method.APP_SMS


def test_a_consent_code_does_not_log_in_and_a_login_code_does_not_consent(cast):
    from xieyu.accounts.services import login_code_send, login_code_verify

    case = make_case(cast)
    c = consent(cast, case, given=False)
    phone = zhao(cast).phone
    services.consent_send_code(actor=cast.grandma_zhao, consent=c)
    assert not login_code_verify(phone=phone, code=last_code(phone)).ok
    login_code_send(phone=phone)
    with pytest.raises(ValidationError):
        services.consent_give_in_app(actor=cast.grandma_zhao, consent=c, code=last_code(phone))


def test_consent_codes_are_rate_limited_like_login_codes(cast):
    case = make_case(cast)
    c = consent(cast, case, given=False)
    services.consent_send_code(actor=cast.grandma_zhao, consent=c)
    with pytest.raises(ValidationError) as refused:
        services.consent_send_code(actor=cast.grandma_zhao, consent=c)
    assert refused.value.code == "rate"


def test_consent_for_someone_who_is_not_the_child_s_guardian_is_refused(cast):
    from xieyu.directory.models import Guardian

    case = make_case(cast)
    with pytest.raises(ValidationError):
        services.consent_request(
            actor=cast.counsellor_zhou, case=case, guardian=Guardian.objects.get(user=cast.parent_zhang),
            purpose="x", agency=cast.women_federation, sections=[Section.FAMILY_SUPPORT],
        )  # fmt: skip
    assert not Consent.objects.exists()


def test_a_paper_consent_needs_a_real_pdf_or_picture(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_case(cast)
    terms = dict(actor=cast.counsellor_zhou, case=case, guardian=zhao(cast), purpose="家庭支持",
                 agency=cast.women_federation, sections=[Section.FAMILY_SUPPORT])  # fmt: skip
    with pytest.raises(ValidationError):
        services.consent_record_paper(**terms, scan=SimpleUploadedFile("签字.pdf", b"<html>not a pdf</html>"))
    assert not Consent.objects.exists()
    c = services.consent_record_paper(**terms, scan=SimpleUploadedFile("签字.pdf", b"%PDF-1.4 signed"))
    assert c.method == Consent.Method.PAPER and c.live_at(timezone.now()) and c.scan_type == "pdf"


def test_revoking_a_consent_hides_the_sections_from_the_partner_and_tells_them(cast):
    case = make_case(cast)
    c = consent(cast, case)
    r = send(cast, case, c)
    services.consent_revoke(actor=cast.grandma_zhao, consent=c)
    packet = access.packet_of(Referral.objects.get(pk=r.pk))
    assert packet.sections == [] and not packet.consent_live and packet.hidden_reason
    assert Delivery.objects.filter(user=cast.partner_wu, notice__topic="care.referral").count() == 2  # sent, revoked
    with pytest.raises(ValidationError):
        services.consent_revoke(actor=cast.grandma_zhao, consent=c)


def test_an_expired_consent_hides_the_sections_of_a_referral_sent_under_it(cast):
    import time_machine

    case = make_case(cast)
    r = send(cast, case, consent(cast, case, days=2))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert access.packet_of(Referral.objects.get(pk=r.pk)).sections == []
