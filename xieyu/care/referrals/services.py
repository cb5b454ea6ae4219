"""Every write of consent and referrals. Services enforce the business rules (a referral needs a live consent for
its agency and child; one acceptance; nothing after a revocation) and trust the objects they are given; the edge
authorises through access.py first.

SMS codes for a consent or a link are CareCodes, bound to one purpose and one record (never login codes: a code
texted to confirm a consent must not log anyone in, and a login code must not confirm a consent). They meet the
login codes' limits: one a minute, ten a day per number. A code check commits on its own (`care_code_verify`), so
wrong tries count even when what follows is refused.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role, User
from xieyu.accounts.services import CodeCheck, CodeRefused, code_check, code_limits_check
from xieyu.accounts.sms import get_sender
from xieyu.audit.services import audit_record
from xieyu.care.cases.models import Case, CaseService, Section, ServiceKind
from xieyu.core.uploads import MB, AllowList, check_upload
from xieyu.deadlines.services import deadline_cancel, deadline_for, deadline_resolve, deadline_respond, deadline_start
from xieyu.directory.models import Guardian, Guardianship, PartnerAgency
from xieyu.notices.messages import message_send

from .access import token_digest
from .models import CareCode, Consent, Referral, ReferralLink

REFERRAL_POLICY = "care.referral"
TOPIC = "care.referral"
OVERDUE_TOPIC = "care.referral.overdue"
# A signed consent form, scanned or photographed.
CONSENT_SCANS = AllowList(("pdf", "jpeg", "png"), max_bytes=10 * MB)
OPEN_STATES = (Referral.State.SENT, Referral.State.ACCEPTED)


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _partner_staff(agency_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            membership__role=Role.PARTNER,
            membership__partner_agency_id=agency_id,
            membership__is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def sections_in_words(sections) -> str:
    labels = dict(Section.choices)
    return "、".join(str(labels.get(s, s)) for s in sections)


def recipient_of(consent: Consent) -> str:
    if consent.agency is not None:
        return consent.agency.name
    return str(dict(PartnerAgency.Kind.choices).get(consent.agency_kind, consent.agency_kind))


# --- purpose-bound SMS codes -----------------------------------------------------------------------------------


def _code_hash(purpose: str, subject_id: int, phone: str, code: str) -> str:
    return salted_hmac("xieyu.care.code", f"{purpose}:{subject_id}:{phone}:{code}", algorithm="sha256").hexdigest()


@transaction.atomic
def care_code_issue(*, purpose: str, subject_id: int, phone: str) -> str:
    """A new six-digit code for this purpose, record and number (only its hash is kept); refused past the limits
    login codes have (accounts.services.code_limits_check)."""
    now = timezone.now()
    try:
        code_limits_check(
            CareCode.objects.filter(phone=phone),
            now=now,
            daily_message=_(
                "This number has asked for %(limit)d codes today, the most allowed. Please try again tomorrow."
            ),
        )
    except CodeRefused as refused:
        raise _refuse(str(refused), "rate") from None
    code = f"{secrets.randbelow(10**6):06d}"
    CareCode.objects.create(
        purpose=purpose,
        subject_id=subject_id,
        phone=phone,
        code_hash=_code_hash(purpose, subject_id, phone, code),
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.LOGIN_CODE_TTL_SECONDS),
    )
    return code


@transaction.atomic
def care_code_verify(*, purpose: str, subject_id: int, phone: str, code: str) -> CodeCheck:
    """Check the latest code for this purpose, record and number (accounts.services.code_check)."""
    return code_check(
        CareCode.objects.filter(purpose=purpose, subject_id=subject_id, phone=phone),
        code_hash=_code_hash(purpose, subject_id, phone, (code or "").strip()),
        now=timezone.now(),
    )


# --- consent ---------------------------------------------------------------------------------------------------


def _check_consent_terms(*, case: Case, guardian: Guardian, purpose: str, agency, agency_kind: str, sections,
                         expires_at) -> list[str]:  # fmt: skip
    if case.state == Case.State.CLOSED:
        raise _refuse(_("The case is closed: reopen it before asking for consent."), "closed")
    if not Guardianship.objects.filter(
        student_id=case.student_id, guardian=guardian, status=Guardianship.Status.CONFIRMED
    ).exists():
        raise _refuse(_("%(name)s is not a confirmed guardian of this child.") % {"name": guardian.name}, "guardian")
    if not (purpose or "").strip():
        raise _refuse(_("Purpose: say what the information will be used for."), "purpose")
    if agency is None and not agency_kind:
        raise _refuse(_("Recipient: choose an agency or a kind of agency."), "recipient")
    if agency is not None and agency.county_id != case.county_id:
        raise _refuse(_("Recipient: the agency is not in the case's county."), "recipient")
    if agency is None and agency_kind not in PartnerAgency.Kind.values:
        raise _refuse(_("Recipient: choose an agency or a kind of agency."), "recipient")
    sections = list(dict.fromkeys(sections or []))
    if not sections:
        raise _refuse(_("Sections: choose at least one section of the case the consent covers."), "sections")
    if any(s not in Section.values for s in sections):
        raise _refuse(_("Sections: choose only the sections listed."), "sections")
    if expires_at <= timezone.now():
        raise _refuse(_("Expires: the consent must end in the future."), "expires")
    return sections


def default_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.CARE_CONSENT_DAYS)


@transaction.atomic
def consent_request(
    *,
    actor,
    case: Case,
    guardian: Guardian,
    purpose: str,
    agency: PartnerAgency | None = None,
    agency_kind: str = "",
    sections,
    expires_at: datetime.datetime | None = None,
) -> Consent:
    """The case owner asks a guardian for consent in the app; the guardian gets a message linking to it."""
    expires_at = expires_at or default_expiry()
    sections = _check_consent_terms(case=case, guardian=guardian, purpose=purpose, agency=agency,
                                    agency_kind=agency_kind, sections=sections, expires_at=expires_at)  # fmt: skip
    if guardian.user_id is None:
        raise _refuse(
            _("%(name)s has not joined the platform and cannot consent in the app: record their signed paper instead.")
            % {"name": guardian.name},
            "no_account",
        )
    consent = Consent.objects.create(
        student_id=case.student_id,
        guardian=guardian,
        case=case,
        purpose=purpose.strip()[:200],
        agency=agency,
        agency_kind="" if agency is not None else agency_kind,
        sections=sections,
        method=Consent.Method.APP_SMS,
        requested_by=actor,
        expires_at=expires_at,
    )
    audit_record(actor=actor, action="care.consent.request", target=consent,
                 changes={"sections": [None, sections], "recipient": [None, recipient_of(consent)]})  # fmt: skip
    message_send(
        actor=actor,
        county_id=case.county_id,
        to_guardian=guardian,
        title=_("Your consent is asked for"),
        body=_("%(child)s: may we share %(sections)s with %(recipient)s, for %(purpose)s? Open it to answer.")
        % {
            "child": case.student.name,
            "sections": sections_in_words(sections),
            "recipient": recipient_of(consent),
            "purpose": consent.purpose,
        },  # fmt: skip
        link=reverse("care:consent_detail", args=[consent.pk]),
        topic="care.consent",
        sender_unit=_("Family education guidance center"),
    )
    return consent


def _check_open_for_answer(consent: Consent) -> None:
    if consent.revoked_at is not None:
        raise _refuse(_("This consent was revoked."), "revoked")
    if consent.declined_at is not None:
        raise _refuse(_("This consent was declined."), "declined")
    if consent.given_at is not None:
        raise _refuse(_("This consent has already been given."), "given")
    if consent.expires_at <= timezone.now():
        raise _refuse(_("This request for consent has expired."), "expired")


def consent_send_code(*, actor, consent: Consent) -> None:
    """Text the guardian a code that confirms this one consent, saying what it covers and for whom."""
    _check_open_for_answer(consent)
    phone = consent.guardian.phone
    if not phone:
        raise _refuse(_("No mobile number is recorded for you: ask the counsellor to record a signed paper."), "phone")
    code = care_code_issue(purpose=CareCode.Purpose.CONSENT, subject_id=consent.pk, phone=phone)
    minutes = settings.LOGIN_CODE_TTL_SECONDS // 60
    text = _(
        "[XieYu] Code %(code)s confirms your consent to share %(child)s's %(sections)s with %(recipient)s. "
        "Valid for %(minutes)d minutes. If you did not ask for it, ignore this message."
    ) % {"code": code, "child": consent.student.name, "sections": sections_in_words(consent.sections),
         "recipient": recipient_of(consent), "minutes": minutes}  # fmt: skip
    get_sender().send(phone, text)


@transaction.atomic
def _consent_mark_given(*, actor, consent: Consent) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    _check_open_for_answer(consent)
    consent.given_at = timezone.now()
    consent.method = Consent.Method.APP_SMS
    consent.save(update_fields=["given_at", "method"])
    audit_record(actor=actor, action="care.consent.give", target=consent,
                 changes={"given_at": [None, consent.given_at.isoformat()], "method": [None, consent.method]})  # fmt: skip
    return consent


def consent_give_in_app(*, actor, consent: Consent, code: str) -> Consent:
    """The guardian gives the consent with the code texted to their own number. Two transactions on purpose: the
    code check commits first (a wrong try counts even though the consent is refused), then the consent."""
    _check_open_for_answer(consent)
    check = care_code_verify(
        purpose=CareCode.Purpose.CONSENT, subject_id=consent.pk, phone=consent.guardian.phone or "", code=code
    )
    if not check.ok:
        raise _refuse(check.error, "code")
    return _consent_mark_given(actor=actor, consent=consent)


@transaction.atomic
def consent_decline(*, actor, consent: Consent) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    _check_open_for_answer(consent)
    consent.declined_at = timezone.now()
    consent.save(update_fields=["declined_at"])
    audit_record(actor=actor, action="care.consent.decline", target=consent,
                 changes={"declined_at": [None, consent.declined_at.isoformat()]})  # fmt: skip
    if consent.requested_by_id and consent.case is not None:
        message_send(
            actor=actor, county_id=consent.case.county_id, to_user=consent.requested_by,
            title=_("A guardian declined a consent"),
            body=_("%(guardian)s declined to share with %(recipient)s.")
            % {"guardian": consent.guardian.name, "recipient": recipient_of(consent)},
            link=reverse("care:referral_case", args=[consent.case_id]), topic="care.consent",
        )  # fmt: skip
    return consent


@transaction.atomic
def consent_record_paper(
    *,
    actor,
    case: Case,
    guardian: Guardian,
    purpose: str,
    agency: PartnerAgency | None = None,
    agency_kind: str = "",
    sections,
    expires_at: datetime.datetime | None = None,
    scan,
    given_at: datetime.datetime | None = None,
) -> Consent:
    """The owner records a consent the guardian signed on paper, with its scan (PDF, JPG or PNG, by content)."""
    expires_at = expires_at or default_expiry()
    sections = _check_consent_terms(case=case, guardian=guardian, purpose=purpose, agency=agency,
                                    agency_kind=agency_kind, sections=sections, expires_at=expires_at)  # fmt: skip
    if scan is None:
        raise _refuse(_("Scan: attach the signed paper (PDF, JPG or PNG)."), "scan")
    checked = check_upload(scan, CONSENT_SCANS)
    now = timezone.now()
    given_at = given_at or now
    if given_at > now:
        raise _refuse(_("Signed on: the date cannot be in the future."), "given_at")
    scan.seek(0)
    consent = Consent.objects.create(
        student_id=case.student_id,
        guardian=guardian,
        case=case,
        purpose=purpose.strip()[:200],
        agency=agency,
        agency_kind="" if agency is not None else agency_kind,
        sections=sections,
        method=Consent.Method.PAPER,
        scan=scan.read(),
        scan_type=checked.type.key,
        requested_by=actor,
        requested_at=now,
        given_at=given_at,
        expires_at=expires_at,
    )
    audit_record(actor=actor, action="care.consent.paper", target=consent,
                 changes={"sections": [None, sections], "recipient": [None, recipient_of(consent)]})  # fmt: skip
    return consent


@transaction.atomic
def consent_revoke(*, actor, consent: Consent) -> Consent:
    """A guardian withdraws a consent (one tap): the referrals that carry it show no section from now on, and the
    case owner and the receiving agencies are told."""
    consent = (
        Consent.objects.select_for_update(of=("self",)).select_related("case", "student", "agency").get(pk=consent.pk)
    )
    if consent.revoked_at is not None:
        raise _refuse(_("This consent was already revoked."), "revoked")
    if consent.given_at is None:
        raise _refuse(_("This consent was never given: there is nothing to revoke."), "not_given")
    consent.revoked_at = timezone.now()
    consent.revoked_by = actor
    consent.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=actor, action="care.consent.revoke", target=consent,
                 changes={"revoked_at": [None, consent.revoked_at.isoformat()]})  # fmt: skip
    county_id = consent.case.county_id if consent.case is not None else consent.student.school.county_id
    told: set[int] = set()
    for referral in Referral.objects.filter(consent=consent, state__in=OPEN_STATES).select_related("case"):
        for user in [referral.case.owner, *_partner_staff(referral.agency_id)]:
            if user.pk in told:
                continue
            told.add(user.pk)
            message_send(
                actor=actor, county_id=county_id, to_user=user, title=_("A consent was revoked"),
                body=_("The guardian revoked the consent of referral %(id)s: its case sections are no longer shown.")
                % {"id": referral.pk},
                link=reverse("care:referral_detail", args=[referral.pk]), topic=TOPIC,
            )  # fmt: skip
    return consent


# --- referrals -------------------------------------------------------------------------------------------------


def _no_consent() -> ValidationError:
    return _refuse(
        _("No consent: a referral needs the guardian's consent for this agency (only a mandatory report goes "
          "without one)."),
        "no_consent",
    )  # fmt: skip


def _check_consent_for(*, case: Case, consent: Consent, agency: PartnerAgency) -> None:
    if consent.student_id != case.student_id:
        raise _refuse(_("This consent is about another child."), "other_child")
    if consent.revoked_at is not None:
        raise _refuse(
            _("The guardian revoked this consent on %(date)s.")
            % {"date": timezone.localtime(consent.revoked_at).strftime("%Y-%m-%d")},
            "revoked",
        )
    if consent.declined_at is not None:
        raise _refuse(_("The guardian declined this consent."), "declined")
    if consent.given_at is None:
        raise _refuse(_("The guardian has not given this consent yet."), "not_given")
    now = timezone.now()
    if consent.expires_at <= now:
        raise _refuse(
            _("This consent expired on %(date)s.")
            % {"date": timezone.localtime(consent.expires_at).strftime("%Y-%m-%d")},
            "expired",
        )
    if consent.agency_id and consent.agency_id != agency.pk:
        raise _refuse(
            _("This consent is for %(recipient)s, not for %(agency)s.")
            % {"recipient": recipient_of(consent), "agency": agency.name},
            "other_agency",
        )
    if not consent.agency_id and consent.agency_kind != agency.kind:
        raise _refuse(
            _("This consent is for %(recipient)s, not for %(agency)s.")
            % {"recipient": recipient_of(consent), "agency": agency.name},
            "other_agency",
        )


@transaction.atomic
def referral_send(
    *,
    actor,
    case: Case,
    consent: Consent | None,
    service_kind: str,
    request: str,
    agency: PartnerAgency | None = None,
) -> Referral:
    """Refer the case to a partner agency for a service. It carries exactly the consent's sections; a planned
    service is written on the case and the agency's clock starts (accept within 3 working days)."""
    if consent is None:
        raise _no_consent()
    agency = agency or consent.agency
    if agency is None:
        raise _refuse(_("Agency: choose the agency to refer to."), "agency")
    _check_consent_for(case=case, consent=consent, agency=agency)
    if case.state == Case.State.CLOSED:
        raise _refuse(_("The case is closed: reopen it before referring it."), "closed")
    if agency.county_id != case.county_id:
        raise _refuse(_("Agency: the agency is not in the case's county."), "agency")
    if service_kind not in ServiceKind.values:
        raise _refuse(_("Service: choose a service from the list."), "service")
    if not (request or "").strip():
        raise _refuse(_("Request: say what you ask the agency to do."), "request")
    service = CaseService.objects.create(
        case=case, kind=service_kind, provider=agency.name[:80], agency=agency,
        state=CaseService.State.PLANNED, created_by=actor,
    )  # fmt: skip
    referral = Referral.objects.create(
        case=case, consent=consent, service=service, county_id=case.county_id, agency=agency,
        service_kind=service_kind, request=request.strip(), sections=list(consent.sections), sent_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="care.referral.send", target=referral,
                 changes={"agency": [None, agency.pk], "sections": [None, referral.sections]})  # fmt: skip
    deadline_start(
        actor=actor, target=referral, policy=REFERRAL_POLICY, agency=agency, owner=None,
        title=_("Referral %(id)s to %(agency)s: %(service)s")
        % {"id": referral.pk, "agency": agency.name, "service": referral.get_service_kind_display()},
    )  # fmt: skip
    for user in _partner_staff(agency.pk):
        message_send(
            actor=actor, county_id=case.county_id, to_user=user, title=_("A referral for your agency"),
            body=_("%(service)s: please accept or reject it within 3 working days.")
            % {"service": referral.get_service_kind_display()},
            link=reverse("care:referral_detail", args=[referral.pk]), topic=TOPIC,
        )  # fmt: skip
    return referral


def _lock_referral(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("consent", "service", "case")
        .get(pk=referral.pk)
    )


def _decider_name(r: Referral) -> str:
    if r.decided_by_id:
        return r.decided_by.name if r.decided_by else ""
    if r.decided_by_link_id and r.decided_by_link:
        return r.decided_by_link.name
    return ""


def _check_state(r: Referral, *allowed: str) -> None:
    if r.state in allowed:
        return
    if r.state == Referral.State.REVOKED:
        raise _refuse(_("The sender revoked this referral: it can no longer be answered."), "revoked")
    if r.state == Referral.State.ACCEPTED and Referral.State.SENT in allowed:
        raise _refuse(
            _("This referral was already accepted by %(name)s.") % {"name": _decider_name(r) or _("someone else")},
            "accepted",
        )
    if r.state == Referral.State.REJECTED:
        raise _refuse(_("This referral was rejected: it can no longer be answered."), "rejected")
    if r.state == Referral.State.DONE:
        raise _refuse(_("This referral is already done."), "done")
    raise _refuse(_("Accept the referral before recording its outcome."), "not_accepted")


def _tell_sender(*, actor, r: Referral, title: str, body: str) -> None:
    sender = actor if getattr(actor, "pk", None) else r.sent_by  # a link's holder has no account
    message_send(actor=sender, county_id=r.county_id, to_user=r.sent_by, title=title, body=body,
                 link=reverse("care:referral_detail", args=[r.pk]), topic=TOPIC)  # fmt: skip


def _deadline(r: Referral):
    return deadline_for(r)


@transaction.atomic
def referral_accept(*, actor, referral: Referral, link: ReferralLink | None = None) -> Referral:
    """Accept a sent referral. The row is locked and re-read, so of two staff accepting at once exactly one wins;
    the other is told who accepted it."""
    r = _lock_referral(referral)
    _check_state(r, Referral.State.SENT)
    now = timezone.now()
    updated = Referral.objects.filter(pk=r.pk, state=Referral.State.SENT, version=r.version).update(
        state=Referral.State.ACCEPTED, decided_by=actor if getattr(actor, "pk", None) else None,
        decided_by_link=link, decided_at=now, version=F("version") + 1,
    )  # fmt: skip
    if not updated:  # changed between the read and the write (a database without row locks)
        r = Referral.objects.get(pk=r.pk)
        _check_state(r, Referral.State.SENT)
    r.refresh_from_db()
    if r.service_id:
        CaseService.objects.filter(pk=r.service_id).update(
            state=CaseService.State.ACTIVE, starts_on=timezone.localdate()
        )
    audit_record(actor=actor, action="care.referral.accept", target=r,
                 changes={"state": [Referral.State.SENT, r.state], "link": [None, link.pk if link else None]})  # fmt: skip
    if (d := _deadline(r)) is not None:
        deadline_respond(actor=actor, deadline=d)
    who = getattr(actor, "name", "") or (link.name if link else "")
    _tell_sender(actor=actor, r=r, title=_("Your referral was accepted"),
                 body=_("%(agency)s (%(who)s) accepted referral %(id)s.") % {"agency": r.agency.name, "who": who,
                                                                           "id": r.pk})  # fmt: skip
    return r


@transaction.atomic
def referral_reject(*, actor, referral: Referral, reason: str, link: ReferralLink | None = None) -> Referral:
    r = _lock_referral(referral)
    _check_state(r, Referral.State.SENT)
    reason = (reason or "").strip()
    if not reason:
        raise _refuse(_("Reason: say why the agency cannot take the referral."), "reason")
    r.state = Referral.State.REJECTED
    r.reject_reason = reason[:300]
    r.decided_by = actor if getattr(actor, "pk", None) else None
    r.decided_by_link = link
    r.decided_at = timezone.now()
    r.version += 1
    r.save()
    if r.service_id:
        CaseService.objects.filter(pk=r.service_id).update(
            state=CaseService.State.CANCELLED, outcome=_("Rejected: %(reason)s") % {"reason": r.reject_reason}
        )
    audit_record(actor=actor, action="care.referral.reject", target=r,
                 changes={"state": [Referral.State.SENT, r.state], "reason": [None, r.reject_reason]})  # fmt: skip
    if (d := _deadline(r)) is not None:
        deadline_respond(actor=actor, deadline=d)
        deadline_resolve(actor=actor, deadline=d)
    _tell_sender(actor=actor, r=r, title=_("Your referral was rejected"),
                 body=_("%(agency)s rejected referral %(id)s: %(reason)s")
                 % {"agency": r.agency.name, "id": r.pk, "reason": r.reject_reason})  # fmt: skip
    return r


@transaction.atomic
def referral_done(*, actor, referral: Referral, outcome: str, link: ReferralLink | None = None) -> Referral:
    """The agency did what was asked: the outcome is written onto the case's service, which is done."""
    r = _lock_referral(referral)
    _check_state(r, Referral.State.ACCEPTED)
    outcome = (outcome or "").strip()
    if not outcome:
        raise _refuse(_("Outcome: say what was done and how it went."), "outcome")
    now = timezone.now()
    r.state = Referral.State.DONE
    r.outcome = outcome
    r.done_at = now
    r.version += 1
    r.save()
    if r.service_id:
        CaseService.objects.filter(pk=r.service_id).update(
            state=CaseService.State.DONE, outcome=outcome, ends_on=timezone.localdate()
        )
    audit_record(actor=actor, action="care.referral.done", target=r,
                 changes={"state": [Referral.State.ACCEPTED, r.state], "link": [None, link.pk if link else None]})  # fmt: skip
    if (d := _deadline(r)) is not None:
        deadline_resolve(actor=actor, deadline=d)
    _tell_sender(actor=actor, r=r, title=_("A referral is done"),
                 body=_("%(agency)s recorded the outcome of referral %(id)s.") % {"agency": r.agency.name, "id": r.pk})  # fmt: skip
    return r


@transaction.atomic
def referral_revoke(*, actor, referral: Referral, reason: str) -> Referral:
    """The sender withdraws the referral: the agency no longer sees its sections and can neither accept it nor
    record an outcome; its links stop working."""
    r = _lock_referral(referral)
    if r.state not in OPEN_STATES:
        raise _refuse(
            _("Only a referral that is sent or accepted can be revoked; this one is %(state)s.")
            % {"state": r.get_state_display()},
            "state",
        )
    reason = (reason or "").strip()
    if not reason:
        raise _refuse(_("Reason: say why the referral is revoked."), "reason")
    before = r.state
    now = timezone.now()
    r.state = Referral.State.REVOKED
    r.revoked_at = now
    r.revoke_reason = reason[:300]
    r.version += 1
    r.save()
    ReferralLink.objects.filter(referral=r, revoked_at__isnull=True).update(revoked_at=now)
    if r.service_id:
        CaseService.objects.filter(pk=r.service_id).update(state=CaseService.State.CANCELLED)
    audit_record(actor=actor, action="care.referral.revoke", target=r,
                 changes={"state": [before, r.state], "reason": [None, r.revoke_reason]})  # fmt: skip
    if (d := _deadline(r)) is not None:
        deadline_cancel(actor=actor, deadline=d, reason="revoked")
    for user in _partner_staff(r.agency_id):
        message_send(
            actor=actor, county_id=r.county_id, to_user=user, title=_("A referral was revoked"),
            body=_("The sender revoked referral %(id)s: %(reason)s") % {"id": r.pk, "reason": r.revoke_reason},
            link=reverse("care:referral_detail", args=[r.pk]), topic=TOPIC,
        )  # fmt: skip
    return r


def referral_escalation_notify(*, referral_id: int, role: str, user_ids, due_kind: str) -> int:
    """The deadline engine escalated a referral: tell each person named (the agency's staff, then the county)."""
    referral = Referral.objects.select_related("agency", "sent_by").filter(pk=referral_id).first()
    if referral is None:
        return 0
    if due_kind == "first_response":
        body = _("Referral %(id)s to %(agency)s (%(service)s) has not been accepted in time.")
    else:
        body = _("Referral %(id)s to %(agency)s (%(service)s) has not been acted on in time.")
    body = body % {"id": referral.pk, "agency": referral.agency.name, "service": referral.get_service_kind_display()}
    link = reverse("care:referral_detail", args=[referral.pk]) if role == "agency" else "/care/figures/"
    sent = 0
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk"):
        message_send(actor=referral.sent_by, county_id=referral.county_id, to_user=user,
                     title=_("An overdue referral"), body=body, link=link, topic=OVERDUE_TOPIC)  # fmt: skip
        sent += 1
    return sent


# --- links for agencies without an account -----------------------------------------------------------------


def _check_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if not (len(phone) == 11 and phone.isascii() and phone.isdigit() and phone.startswith("1")):
        raise _refuse(_("Mobile number: enter the 11 digits of a mainland mobile number."), "phone")
    return phone


@transaction.atomic
def referral_link_create(
    *, actor, referral: Referral, name: str, organisation: str, phone: str, days: int | None = None
) -> tuple[ReferralLink, str]:
    """A time-limited link for a named person at an agency without an account, texted to their number. Returns the
    link and its token (only the token's digest is stored)."""
    days = settings.CARE_REFERRAL_LINK_DAYS if days is None else days
    if referral.state not in OPEN_STATES:
        raise _refuse(
            _("Only a referral that is sent or accepted can be opened by a link; this one is %(state)s.")
            % {"state": referral.get_state_display()},
            "state",
        )
    if not (name or "").strip():
        raise _refuse(_("Name: enter the name of the person who will open the link."), "name")
    if not (organisation or "").strip():
        raise _refuse(_("Organisation: enter where that person works."), "organisation")
    phone = _check_phone(phone)
    if not 1 <= days <= 60:
        raise _refuse(_("Valid for: between 1 and 60 days."), "days")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ReferralLink.objects.create(
        referral=referral, name=name.strip()[:50], organisation=organisation.strip()[:100], phone=phone,
        token_digest=token_digest(token), created_by=actor, created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )  # fmt: skip
    audit_record(actor=actor, action="care.referral.link", target=referral,
                 changes={"link": [None, link.pk], "expires_at": [None, link.expires_at.isoformat()]})  # fmt: skip
    url = settings.SITE_URL + reverse("care:link_open", args=[token])
    text = _(
        "[XieYu] %(sender)s has referred a child to you for %(service)s. Open %(url)s and enter the code texted to "
        "this number. The link works until %(date)s."
    ) % {"sender": getattr(actor, "name", ""), "service": referral.get_service_kind_display(), "url": url,
         "date": timezone.localtime(link.expires_at).strftime("%Y-%m-%d")}  # fmt: skip
    transaction.on_commit(lambda: get_sender().send(phone, text))
    return link, token


@transaction.atomic
def referral_link_revoke(*, actor, link: ReferralLink) -> ReferralLink:
    if link.revoked_at is not None:
        raise _refuse(_("This link was already revoked."), "revoked")
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="care.referral.link_revoke", target=link.referral,
                 changes={"link": [link.pk, None]})  # fmt: skip
    return link


def _check_link_usable(link: ReferralLink) -> None:
    if link.revoked_at is not None:
        raise _refuse(_("This link was revoked by the sender."), "revoked")
    if link.expires_at <= timezone.now():
        raise _refuse(_("This link has expired."), "expired")


def referral_link_send_code(*, link: ReferralLink, phone: str) -> None:
    """Text a code to the link's number, when the visitor names that number (any other is refused, nothing sent)."""
    _check_link_usable(link)
    if (phone or "").strip() != link.phone:
        raise _refuse(_("This link is bound to another mobile number."), "other_phone")
    code = care_code_issue(purpose=CareCode.Purpose.LINK, subject_id=link.pk, phone=link.phone)
    minutes = settings.LOGIN_CODE_TTL_SECONDS // 60
    get_sender().send(
        link.phone,
        _("[XieYu] Code %(code)s opens the referral sent to you. Valid for %(minutes)d minutes. Do not tell it to "
          "anyone.") % {"code": code, "minutes": minutes},
    )  # fmt: skip


def referral_link_verify(*, link: ReferralLink, phone: str, code: str) -> CodeCheck:
    _check_link_usable(link)
    if (phone or "").strip() != link.phone:
        return CodeCheck(False, _("This link is bound to another mobile number."))
    return care_code_verify(purpose=CareCode.Purpose.LINK, subject_id=link.pk, phone=link.phone, code=code)


@transaction.atomic
def referral_link_opened(*, link: ReferralLink) -> ReferralLink:
    """The packet was shown through the link (the access record is written by the edge)."""
    link.last_opened_at = timezone.now()
    ReferralLink.objects.filter(pk=link.pk).update(last_opened_at=link.last_opened_at)
    return link
