"""Consent and referral pages: the guardian's consents, the case team's consents and referrals, the partner's
inbox and packet, the partner's home, and the link page for a person at an agency without an account.

Every read and authorisation goes through access.py (404 alike for missing and forbidden), every write through
services.py; every packet shown is logged with the sections it showed.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.audit.services import access_record
from xieyu.care.cases.access import get_case_in_full
from xieyu.core.uploads import TYPES
from xieyu.core.viewhelpers import error_text
from xieyu.directory.models import PartnerAgency
from xieyu.notices.messages import messages_read_for

from . import access, services
from .forms import (
    CodeForm,
    ConsentForm,
    LinkCodeForm,
    LinkForm,
    LinkPhoneForm,
    OutcomeForm,
    PaperConsentForm,
    ReasonForm,
    ReferralForm,
)
from .models import Referral

PAGE_SIZE = 20
HOME_LIMIT = 10
LINK_SESSION_KEY = "care_links"
LINK_SESSION_MINUTES = 30


def _page(request, items, per_page: int = PAGE_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _form_errors(form) -> str:
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


def _refused(request, exc: ValidationError) -> None:
    messages.error(request, error_text(exc))


# --- the guardian's consents -------------------------------------------------------------------------------


@login_required
def consent_list(request):
    page = _page(request, access.consents_of_guardian(request.user).order_by("-requested_at", "-pk"))
    now = timezone.now()
    return render(request, "care/referrals/consent_list.html", {"page": page, "now": now})


def _consent_state(consent, now) -> str:
    if consent.revoked_at is not None:
        return "revoked"
    if consent.declined_at is not None:
        return "declined"
    if consent.given_at is None:
        return "expired" if consent.expires_at <= now else "awaiting"
    return "live" if consent.expires_at > now else "expired"


@login_required
def consent_detail(request, pk: int):
    consent = access.get_consent_for_guardian(request.user, pk)
    messages_read_for(user=request.user, link=request.path)
    now = timezone.now()
    return render(
        request,
        "care/referrals/consent_detail.html",
        {
            "consent": consent,
            "state": _consent_state(consent, now),
            "mine": access.is_consent_guardian(request.user, consent),
            "sections": services.sections_in_words(consent.sections),
            "recipient": services.recipient_of(consent),
            "code_form": CodeForm(),
        },
    )


def _own_consent(request, pk: int):
    consent = access.get_consent_for_guardian(request.user, pk)
    if not access.is_consent_guardian(request.user, consent):
        raise Http404("consent not found")
    return consent


@login_required
@require_POST
def consent_code(request, pk: int):
    consent = _own_consent(request, pk)
    try:
        services.consent_send_code(actor=request.user, consent=consent)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("A code was texted to your mobile number."))
    return redirect("care:consent_detail", pk=consent.pk)


@login_required
@require_POST
def consent_give(request, pk: int):
    consent = _own_consent(request, pk)
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("care:consent_detail", pk=consent.pk)
    try:
        services.consent_give_in_app(actor=request.user, consent=consent, code=form.cleaned_data["code"])
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Thank you: your consent is recorded. You can revoke it here at any time."))
    return redirect("care:consent_detail", pk=consent.pk)


@login_required
@require_POST
def consent_decline(request, pk: int):
    consent = _own_consent(request, pk)
    try:
        services.consent_decline(actor=request.user, consent=consent)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("You declined. Nothing will be shared."))
    return redirect("care:consent_detail", pk=consent.pk)


@login_required
@require_POST
def consent_revoke(request, pk: int):
    consent = access.get_consent_for_guardian(request.user, pk)
    try:
        services.consent_revoke(actor=request.user, consent=consent)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Your consent is revoked: nothing more is shared under it."))
    return redirect(
        request.POST.get("back") == "list"
        and reverse("care:consent_list")
        or reverse("care:consent_detail", args=[consent.pk])
    )


# --- the case team: consents and referrals of a case -------------------------------------------------------


def _county_agencies(case) -> list[PartnerAgency]:
    return access.agencies_of_county(case.county_id)


def _case_forms(case, consents, agencies, guardians, data=None, files=None, which=""):
    live = [c for c in consents if c.live_at(timezone.now())]
    for c in live:
        c.label = f"{services.recipient_of(c)} · {services.sections_in_words(c.sections)}"
    return {
        "consent_form": ConsentForm(data if which == "consent" else None, guardians=guardians, agencies=agencies,
                                    prefix="consent"),
        "paper_form": PaperConsentForm(data if which == "paper" else None, files if which == "paper" else None,
                                       guardians=guardians, agencies=agencies, prefix="paper"),
        "referral_form": ReferralForm(data if which == "referral" else None, consents=live, agencies=agencies,
                                      prefix="referral"),
    }  # fmt: skip


def _case_page(request, case, *, which: str = "", status: int = 200):
    consents = list(access.consents_of_case(request.user, case).order_by("-requested_at", "-pk"))
    referrals = access.attach_deadlines(access.referrals_for_case(request.user, case))
    agencies = _county_agencies(case)
    guardians = access.guardians_of_case(case)
    forms = _case_forms(case, consents, agencies, guardians, request.POST if which else None,
                        request.FILES if which else None, which)  # fmt: skip
    if which:
        forms[f"{which}_form"].is_valid()
    now = timezone.now()
    for c in consents:
        c.state = _consent_state(c, now)  # type: ignore[attr-defined]
        c.sections_words = services.sections_in_words(c.sections)  # type: ignore[attr-defined]
        c.recipient = services.recipient_of(c)  # type: ignore[attr-defined]
    access_record(actor=request.user, target=case, purpose="care.referrals", request=request,
                  detail={"sections": [], "consents": len(consents), "referrals": len(referrals)})  # fmt: skip
    return render(
        request,
        "care/referrals/case.html",
        {"case": case, "consents": consents, "referrals": referrals, **forms},
        status=status,
    )


@login_required
def referral_case(request, pk: int):
    case = get_case_in_full(request.user, pk)
    return _case_page(request, case)


@login_required
@require_POST
def consent_new(request, pk: int):
    case = get_case_in_full(request.user, pk)
    form = ConsentForm(request.POST, guardians=access.guardians_of_case(case), agencies=_county_agencies(case),
                       prefix="consent")  # fmt: skip
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _case_page(request, case, which="consent", status=422)
    try:
        services.consent_request(actor=request.user, case=case, **form.terms())
    except ValidationError as exc:
        _refused(request, exc)
        return _case_page(request, case, which="consent", status=422)
    messages.success(request, _("The guardian has been asked for consent in the app."))
    return redirect("care:referral_case", pk=case.pk)


@login_required
@require_POST
def consent_paper(request, pk: int):
    case = get_case_in_full(request.user, pk)
    form = PaperConsentForm(request.POST, request.FILES, guardians=access.guardians_of_case(case),
                            agencies=_county_agencies(case), prefix="paper")  # fmt: skip
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _case_page(request, case, which="paper", status=422)
    try:
        services.consent_record_paper(actor=request.user, case=case, **form.terms())
    except ValidationError as exc:
        _refused(request, exc)
        return _case_page(request, case, which="paper", status=422)
    messages.success(request, _("The signed consent is recorded."))
    return redirect("care:referral_case", pk=case.pk)


@login_required
def consent_scan(request, pk: int):
    consent = access.get_consent_for_team(request.user, pk)
    if not consent.scan:
        raise Http404("no scan")
    file_type = TYPES.get(consent.scan_type)
    access_record(actor=request.user, target=consent.case or consent.student, purpose="care.consent.scan",
                  request=request, detail={"consent": consent.pk})  # fmt: skip
    response = HttpResponse(
        bytes(consent.scan), content_type=file_type.content_type if file_type else "application/octet-stream"
    )
    extension = file_type.extension if file_type else ""
    response["Content-Disposition"] = f'attachment; filename="consent-{consent.pk}{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def referral_new(request, pk: int):
    case = get_case_in_full(request.user, pk)
    consents = [c for c in access.consents_of_case(request.user, case) if c.live_at(timezone.now())]
    for c in consents:
        c.label = str(c.pk)  # type: ignore[attr-defined]
    form = ReferralForm(request.POST, consents=consents, agencies=_county_agencies(case), prefix="referral")
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _case_page(request, case, which="referral", status=422)
    data = form.cleaned_data
    try:
        referral = services.referral_send(
            actor=request.user, case=case, consent=form.consents.get(data["consent"]),
            agency=form.agencies[data["agency"]], service_kind=data["service_kind"], request=data["request"],
        )  # fmt: skip
    except ValidationError as exc:
        _refused(request, exc)
        return _case_page(request, case, which="referral", status=422)
    messages.success(request, _("The referral was sent to %(agency)s.") % {"agency": referral.agency.name})
    return redirect("care:referral_case", pk=case.pk)


@login_required
def referral_sent(request):
    qs = access.referrals_sent_by(request.user).order_by("-sent_at", "-pk")
    page = _page(request, qs)
    access.attach_deadlines(list(page.object_list))
    return render(request, "care/referrals/sent.html", {"page": page})


@login_required
@require_POST
def referral_revoke(request, pk: int):
    referral = access.get_referral_for_sender(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.referral_revoke(actor=request.user, referral=referral, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The referral is revoked."))
    return redirect("care:referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_link_new(request, pk: int):
    referral = access.get_referral_for_sender(request.user, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        d = form.cleaned_data
        try:
            link, _token = services.referral_link_create(actor=request.user, referral=referral, name=d["name"],
                                                         organisation=d["organisation"], phone=d["phone"],
                                                         days=d["days"])  # fmt: skip
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(
                request, _("The link was texted to %(phone)s.") % {"phone": link.phone[:3] + "****" + link.phone[-4:]}
            )
    return redirect("care:referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_link_revoke(request, pk: int):
    link = access.get_link_for_sender(request.user, pk)
    try:
        services.referral_link_revoke(actor=request.user, link=link)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The link is revoked."))
    return redirect("care:referral_detail", pk=link.referral_id)


# --- the partner: inbox, packet, decisions -----------------------------------------------------------------


@login_required
def referral_inbox(request):
    qs = access.referrals_received_by(request.user).order_by("-sent_at", "-pk")
    state = request.GET.get("state", "")
    if state in Referral.State.values:
        qs = qs.filter(state=state)
    page = _page(request, qs)
    access.attach_deadlines(list(page.object_list))
    return render(
        request, "care/referrals/inbox.html", {"page": page, "state": state, "states": Referral.State.choices}
    )


@login_required
def referral_detail(request, pk: int):
    referral, side = access.get_referral_for(request.user, pk)
    messages_read_for(user=request.user, link=request.path)
    access.attach_deadlines([referral])
    context = {"referral": referral, "side": side}
    if side == "partner":
        packet = access.packet_of(referral)
        access.packet_read_record(actor=request.user, packet=packet, request=request)
        context.update(packet=packet, reason_form=ReasonForm(), outcome_form=OutcomeForm())
    else:
        access_record(actor=request.user, target=referral.case, purpose="care.referral.sent", request=request,
                      detail={"sections": [], "referral": referral.pk})  # fmt: skip
        context.update(
            carried=services.sections_in_words(referral.sections),
            links=access.links_of(referral),
            reason_form=ReasonForm(),
            link_form=LinkForm(),
            now=timezone.now(),
        )
    return render(request, "care/referrals/detail.html", context)


def _partner_decision(request, pk: int, decide) -> HttpResponse:
    referral = access.get_referral_for_partner(request.user, pk)
    try:
        decide(referral)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("care:referral_detail", pk=referral.pk)


@login_required
@require_POST
def referral_accept(request, pk: int):
    def decide(referral):
        services.referral_accept(actor=request.user, referral=referral)
        messages.success(request, _("You accepted the referral. Record the outcome here when the work is done."))

    return _partner_decision(request, pk, decide)


@login_required
@require_POST
def referral_reject(request, pk: int):
    form = ReasonForm(request.POST)

    def decide(referral):
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.referral_reject(actor=request.user, referral=referral, reason=form.cleaned_data["reason"])
        messages.success(request, _("You rejected the referral; the sender has been told why."))

    return _partner_decision(request, pk, decide)


@login_required
@require_POST
def referral_done(request, pk: int):
    form = OutcomeForm(request.POST)

    def decide(referral):
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.referral_done(actor=request.user, referral=referral, outcome=form.cleaned_data["outcome"])
        messages.success(request, _("The outcome is recorded on the case."))

    return _partner_decision(request, pk, decide)


def partner_home(request, acting):
    """A partner's home: referrals to accept (with the deadline), to act on, recently done; the registry and figures."""
    to_accept = access.attach_deadlines(list(access.referrals_to_accept(request.user)[: HOME_LIMIT + 1]))
    to_act = access.attach_deadlines(list(access.referrals_to_act_on(request.user)[: HOME_LIMIT + 1]))
    done = list(access.referrals_recently_done(request.user)[:5])
    return render(
        request,
        "care/referrals/home_partner.html",
        {
            "acting": acting,
            "to_accept": to_accept[:HOME_LIMIT],
            "more_to_accept": len(to_accept) > HOME_LIMIT,
            "to_act": to_act[:HOME_LIMIT],
            "more_to_act": len(to_act) > HOME_LIMIT,
            "done": done,
            "agencies": [g.membership.partner_agency for g in scope_of(request.user).of(Role.PARTNER)],
        },
    )


# --- the link for a person at an agency without an account -------------------------------------------------


def _link_or_page(request, token: str):
    link = access.link_for_token(token)
    if link is None:
        return None, render(request, "care/referrals/link_closed.html", {"why": "unknown"}, status=404)
    if link.revoked_at is not None or link.referral.state == Referral.State.REVOKED:
        return None, render(request, "care/referrals/link_closed.html", {"why": "revoked"}, status=410)
    if not access.link_usable(link):
        return None, render(request, "care/referrals/link_closed.html", {"why": "expired", "link": link}, status=410)
    return link, None


def _link_verified(request, link) -> bool:
    opened = request.session.get(LINK_SESSION_KEY, {})
    until = opened.get(str(link.pk))
    return bool(until) and datetime.datetime.fromisoformat(until) > timezone.now()


def _link_remember(request, link) -> None:
    opened = dict(request.session.get(LINK_SESSION_KEY, {}))
    until = min(timezone.now() + datetime.timedelta(minutes=LINK_SESSION_MINUTES), link.expires_at)
    opened[str(link.pk)] = until.isoformat()
    request.session[LINK_SESSION_KEY] = opened
    request.session.cycle_key()


def link_open(request, token: str):
    link, closed = _link_or_page(request, token)
    if closed is not None:
        return closed
    phone_form, code_form, error, sent = LinkPhoneForm(), LinkCodeForm(), "", False
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "code":
            phone_form = LinkPhoneForm(request.POST)
            if phone_form.is_valid():
                try:
                    services.referral_link_send_code(link=link, phone=phone_form.cleaned_data["phone"])
                except ValidationError as exc:
                    error = error_text(exc)
                else:
                    sent = True
                    code_form = LinkCodeForm(initial={"phone": phone_form.cleaned_data["phone"]})
            else:
                error = _form_errors(phone_form)
        elif action == "verify":
            code_form = LinkCodeForm(request.POST)
            if code_form.is_valid():
                check = services.referral_link_verify(link=link, phone=code_form.cleaned_data["phone"],
                                                      code=code_form.cleaned_data["code"])  # fmt: skip
                if check.ok:
                    _link_remember(request, link)
                    return redirect("care:link_open", token=token)
                error, sent = check.error, True
            else:
                error, sent = _form_errors(code_form), True
    if not _link_verified(request, link):
        status = 422 if error else 200
        return render(request, "care/referrals/link_code.html",
                      {"link": link, "phone_form": phone_form, "code_form": code_form, "error": error, "sent": sent},
                      status=status)  # fmt: skip
    referral = link.referral
    packet = access.packet_of(referral)
    services.referral_link_opened(link=link)
    access.packet_read_record(actor=None, packet=packet, request=request, link=link)
    return render(request, "care/referrals/link_packet.html", {
        "link": link, "referral": referral, "packet": packet, "token": token,
        "reason_form": ReasonForm(), "outcome_form": OutcomeForm(),
    })  # fmt: skip


def _link_decision(request, token: str, decide):
    if request.method != "POST":
        return redirect("care:link_open", token=token)
    link, closed = _link_or_page(request, token)
    if closed is not None:
        return closed
    if not _link_verified(request, link):
        return redirect("care:link_open", token=token)
    try:
        decide(link)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("care:link_open", token=token)


def link_accept(request, token: str):
    def decide(link):
        services.referral_accept(actor=None, referral=link.referral, link=link)
        messages.success(request, _("You accepted the referral. Record the outcome here when the work is done."))

    return _link_decision(request, token, decide)


def link_reject(request, token: str):
    form = ReasonForm(request.POST or None)

    def decide(link):
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.referral_reject(actor=None, referral=link.referral, reason=form.cleaned_data["reason"], link=link)
        messages.success(request, _("You rejected the referral; the sender has been told why."))

    return _link_decision(request, token, decide)


def link_done(request, token: str):
    form = OutcomeForm(request.POST or None)

    def decide(link):
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        services.referral_done(actor=None, referral=link.referral, outcome=form.cleaned_data["outcome"], link=link)
        messages.success(request, _("The outcome is recorded. Thank you."))

    return _link_decision(request, token, decide)
