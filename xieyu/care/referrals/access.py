"""Who may see which consent and which referral. Missing and forbidden both answer 404.

- a **guardian** sees every consent about their own confirmed children (and revokes it); nobody else's;
- the **case team** (owner, supervisor, those the case is shared with: cases/access.py `cases_in_full_for`) sees the
  consents and referrals of their cases, whatever state a referral is in (the sender never loses sight of it);
- a **partner** sees the referrals sent to their own agency, as a packet: the child's name, age, school and grade,
  the request, and exactly the case sections the referral carries, while its consent is live;
- a person at an agency **without an account** sees one referral's packet through a link bound to their phone.

The packet is built here (`packet_of`), so the page, the link and the API show the same thing.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role, mask_phone
from xieyu.accounts.scope import scope_of
from xieyu.audit.services import access_record
from xieyu.care.cases.access import cases_in_full_for
from xieyu.care.cases.models import SENSITIVE_SECTIONS, Case, CaseSection, Section
from xieyu.deadlines.models import Deadline
from xieyu.directory.models import Guardianship, PartnerAgency

from .models import Consent, Referral, ReferralLink

PACKET_PURPOSE = "care.referral.packet"


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- consents --------------------------------------------------------------------------------------------------


def consents_of_guardian(user) -> QuerySet[Consent]:
    """Every consent about the user's own confirmed children, newest first."""
    if not _authenticated(user):
        return Consent.objects.none()
    children = Guardianship.objects.filter(guardian__user=user, status=Guardianship.Status.CONFIRMED).values(
        "student_id"
    )
    return Consent.objects.filter(student__in=children).select_related("student", "guardian", "agency")


def get_consent_for_guardian(user, pk) -> Consent:
    consent = consents_of_guardian(user).filter(pk=pk).first()
    if consent is None:
        raise Http404("consent not found")
    return consent


def consents_awaiting(user) -> QuerySet[Consent]:
    """Consents asked of the user that they have neither given nor declined, and that have not expired."""
    return consents_of_guardian(user).filter(
        guardian__user=user,
        given_at__isnull=True,
        declined_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def is_consent_guardian(user, consent: Consent) -> bool:
    """Whether the user is the guardian the consent was asked of (only they give or decline it)."""
    return consent.guardian.user_id is not None and consent.guardian.user_id == getattr(user, "pk", None)


def consents_of_case(user, case: Case) -> QuerySet[Consent]:
    """The consents recorded on a case the user works on in full."""
    if not cases_in_full_for(user).filter(pk=case.pk).exists():
        return Consent.objects.none()
    return Consent.objects.filter(case=case).select_related("guardian", "agency")


def get_consent_for_team(user, pk) -> Consent:
    consent = (
        Consent.objects.filter(case__in=cases_in_full_for(user).values("pk"))
        .select_related("case", "guardian", "agency", "student")
        .filter(pk=pk)
        .first()
    )
    if consent is None:
        raise Http404("consent not found")
    return consent


def agencies_of_county(county_id: int) -> list[PartnerAgency]:
    """The partner agencies a case of this county may be referred to (or a consent name)."""
    return list(PartnerAgency.objects.filter(county_id=county_id).order_by("name"))


def guardians_of_case(case: Case) -> list[Guardianship]:
    """The confirmed guardians of the case's child (whom a consent may be asked of)."""
    return list(
        Guardianship.objects.filter(student_id=case.student_id, status=Guardianship.Status.CONFIRMED)
        .select_related("guardian")
        .order_by("-is_primary_carer", "pk")
    )


# --- referrals -------------------------------------------------------------------------------------------------

_REFERRAL_RELATED = (
    "case",
    "case__student",
    "case__student__school_class",
    "case__student__school_class__grade",
    "case__school",
    "consent",
    "agency",
    "sent_by",
)


def referrals_received_by(user) -> QuerySet[Referral]:
    """Referrals sent to the partner agencies the user works at."""
    agencies = scope_of(user).agencies(Role.PARTNER)
    if not agencies:
        return Referral.objects.none()
    return Referral.objects.filter(agency__in=agencies).select_related(*_REFERRAL_RELATED)


def get_referral_for_partner(user, pk) -> Referral:
    referral = referrals_received_by(user).filter(pk=pk).first()
    if referral is None:
        raise Http404("referral not found")
    return referral


def referrals_sent_by(user) -> QuerySet[Referral]:
    """Referrals of the cases the user works on in full (the sender and the case team), in every state."""
    if not _authenticated(user):
        return Referral.objects.none()
    return Referral.objects.filter(case__in=cases_in_full_for(user).values("pk")).select_related(*_REFERRAL_RELATED)


def get_referral_for_sender(user, pk) -> Referral:
    referral = referrals_sent_by(user).filter(pk=pk).first()
    if referral is None:
        raise Http404("referral not found")
    return referral


def get_referral_for(user, pk) -> tuple[Referral, str]:
    """A referral the user may open, and as whom: "partner" (the packet) or "sender" (its state and history)."""
    referral = (
        Referral.objects.filter(
            Q(agency__in=scope_of(user).agencies(Role.PARTNER)) | Q(case__in=cases_in_full_for(user).values("pk"))
        )
        .select_related(*_REFERRAL_RELATED)
        .filter(pk=pk)
        .first()
        if _authenticated(user)
        else None
    )
    if referral is None:
        raise Http404("referral not found")
    side = "partner" if referral.agency_id in scope_of(user).agencies(Role.PARTNER) else "sender"
    return referral, side


def referrals_for_case(user, case: Case) -> list[Referral]:
    """The referrals of one case, for the case page (the owner, supervisor and those it is shared with)."""
    return list(referrals_sent_by(user).filter(case=case).order_by("-sent_at", "-pk"))


def get_link_for_sender(user, pk) -> ReferralLink:
    link = (
        ReferralLink.objects.filter(referral__case__in=cases_in_full_for(user).values("pk"))
        .select_related("referral")
        .filter(pk=pk)
        .first()
        if _authenticated(user)
        else None
    )
    if link is None:
        raise Http404("link not found")
    return link


def links_of(referral: Referral) -> list[ReferralLink]:
    return list(ReferralLink.objects.filter(referral=referral).order_by("-created_at"))


def referrals_to_accept(user) -> QuerySet[Referral]:
    return referrals_received_by(user).filter(state=Referral.State.SENT).order_by("sent_at", "pk")


def referrals_to_act_on(user) -> QuerySet[Referral]:
    return referrals_received_by(user).filter(state=Referral.State.ACCEPTED).order_by("decided_at", "pk")


def referrals_recently_done(user) -> QuerySet[Referral]:
    return referrals_received_by(user).filter(state=Referral.State.DONE).order_by("-done_at", "-pk")


def attach_deadlines(referrals: list[Referral]) -> list[Referral]:
    """Set `deadline` on each referral (one query for the whole list)."""
    ids = [str(r.pk) for r in referrals]
    by_id = (
        {d.target_id: d for d in Deadline.objects.filter(target_type="care.referral", target_id__in=ids)} if ids else {}
    )
    for r in referrals:
        r.deadline = by_id.get(str(r.pk))  # type: ignore[attr-defined]
    return referrals


# --- links for agencies without an account ------------------------------------------------------------------


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_for_token(token: str) -> ReferralLink | None:
    """The link a token opens (expired and revoked ones too: the page says which); None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return (
        ReferralLink.objects.filter(token_digest=token_digest(token))
        .select_related(*(f"referral__{name}" for name in _REFERRAL_RELATED))
        .first()
    )


def link_usable(link: ReferralLink, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return link.revoked_at is None and now < link.expires_at


# --- the packet ----------------------------------------------------------------------------------------------


@dataclass
class Packet:
    """What a receiving agency reads of one referral."""

    referral: Referral
    child_name: str
    age: int
    school: str
    grade: str
    request: str
    consent_live: bool
    sections: list[CaseSection] = field(default_factory=list)
    hidden_reason: str = ""

    @property
    def section_names(self) -> list[str]:
        return [s.section for s in self.sections]


def _age(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def carried_sections(referral: Referral) -> list[str]:
    """The sections the referral carries: those it was sent with that its consent still names (never more)."""
    named = set(referral.consent.sections)
    return [s for s in referral.sections if s in named and s in Section.values]


def packet_of(referral: Referral, now: datetime.datetime | None = None) -> Packet:
    """The packet: the child, the request and exactly the consented sections, only while the consent is live and
    the referral not revoked (one query for the sections)."""
    now = now or timezone.now()
    student = referral.case.student
    school_class = student.school_class
    consent = referral.consent
    live = consent.live_at(now) and referral.state != Referral.State.REVOKED
    packet = Packet(
        referral=referral,
        child_name=student.name,
        age=_age(student.birth_date, timezone.localdate(now)),
        school=referral.case.school.name,
        grade=f"{school_class.grade.name}{school_class.name}" if school_class else "",
        request=referral.request,
        consent_live=live,
    )
    if not live:
        if referral.state == Referral.State.REVOKED:
            packet.hidden_reason = _("The sender revoked this referral, so the case sections are no longer shown.")
        elif consent.revoked_at is not None:
            packet.hidden_reason = _(
                "The guardian revoked their consent, so the case sections are no longer shown. Do not use what you "
                "read before for anything but closing your work."
            )
        else:
            packet.hidden_reason = _("The guardian's consent has expired, so the case sections are no longer shown.")
        return packet
    names = carried_sections(referral)
    order = {s: i for i, s in enumerate(Section.values)}
    rows = list(CaseSection.objects.filter(case_id=referral.case_id, section__in=names))
    packet.sections = sorted(rows, key=lambda s: order.get(s.section, 99))
    return packet


def packet_read_record(*, actor, packet: Packet, request=None, link: ReferralLink | None = None) -> None:
    """Log a packet read: who (or which link), which sections were shown."""
    detail: dict = {"sections": packet.section_names, "referral": packet.referral.pk}
    if link is not None:
        detail.update({"link": link.pk, "phone": mask_phone(link.phone)})
    access_record(actor=actor, target=packet.referral.case, purpose=PACKET_PURPOSE, request=request, detail=detail)


def sensitive_named(sections: list[str]) -> list[str]:
    return [s for s in sections if s in SENSITIVE_SECTIONS]
