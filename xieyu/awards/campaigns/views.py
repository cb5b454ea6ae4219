"""Selection campaign pages: the county's campaigns (with the county admin's control), a campaign's page for
families (what it is, its phase, nominate, the 公示 list with an objection form, the result, the vote), a
nomination's page, the school admin's review queue, the experts' score queue, the result and the certificates.

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.forms import form_errors_text
from xieyu.core.uploads import serve_file, type_for_content_type
from xieyu.core.viewhelpers import error_text, parse_id, run_service

from . import access, services
from .forms import (
    OBJECTION_ACTIONS,
    CampaignForm,
    CancelForm,
    NominationForm,
    ObjectionDecisionForm,
    ObjectionForm,
    SchoolReviewForm,
)
from .models import Campaign, Nomination

PAGE_SIZE = 20


def _detail_url(campaign) -> str:
    return reverse("awards:campaign_detail", args=[campaign.pk])


@login_required
def campaign_list(request):
    if not access.user_counties(request.user):
        raise Http404("no county for this user")
    page = Paginator(access.campaign_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = access.county_to_create_in(request.user) is not None
    reviews = bool(access.schools_of(request.user, access.Role.SCHOOL_ADMIN))
    return render(request, "awards/campaigns/list.html", {"page": page, "can_create": can_create, "reviews": reviews})


def _fields(d) -> services.CampaignFields:
    return services.CampaignFields(
        kind=d["kind"], nominee=d["nominee"], title=d["title"], description=d["description"],
        school_kinds=tuple(d["school_kinds"]), quota=d["quota"], rubric=tuple(d["rubric"]), has_vote=d["has_vote"],
        expert_weight=d["expert_weight"], vote_weight=d["vote_weight"], publicity_days=d["publicity_days"],
        nomination_days=d["nomination_days"], review_days=d["review_days"], vote_days=d["vote_days"],
    )  # fmt: skip


@login_required
def campaign_create(request):
    county = access.county_to_create_in(request.user)
    if county is None:
        raise Http404("no county to run campaigns in")
    experts = list(access.county_experts(county.pk))
    form = CampaignForm(request.POST or None, experts=experts)
    if request.method == "POST":
        if form.is_valid():
            chosen = {int(x) for x in form.cleaned_data["experts"]}
            try:
                campaign = services.campaign_create(actor=request.user, county=county, fields=_fields(form.cleaned_data),
                                                    experts=[e for e in experts if e.pk in chosen])  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The campaign is saved as a draft: open it when it is ready."))
                return redirect(_detail_url(campaign))
        else:
            messages.error(request, form_errors_text(form))
    return render(request, "awards/campaigns/form.html", {"form": form})


def _vote_url(campaign) -> str:
    return reverse("awards:vote", args=[campaign.pk]) if campaign.phase == Campaign.Phase.VOTE else ""


def _tally_url(campaign) -> str:
    """The published tally with its ballots and its check, once the vote is closed."""
    closed = campaign.has_vote and campaign.phase in (Campaign.Phase.PUBLICITY, Campaign.Phase.RESULT)
    return reverse("awards:tally", args=[campaign.pk]) if closed else ""


@login_required
def campaign_detail(request, pk):
    campaign = access.get_campaign_for(request.user, pk)
    user = request.user
    is_admin = access.is_county_admin(user, campaign)
    listed = access.publicity_list(campaign)
    for n in listed:
        n.within_quota = bool(n.rank and n.rank <= campaign.quota)  # type: ignore[attr-defined]
    ways = access.nominating_roles(user, campaign) if campaign.phase == Campaign.Phase.NOMINATION else []
    context = {
        "campaign": campaign, "is_admin": is_admin, "listed": listed, "ways": ways,
        "scope_text": access.scope_text(campaign), "objection_counts": access.objection_counts(campaign),
        "removed": access.removed_after_objection(campaign) if campaign.phase in ("publicity", "result") else [],
        "objection_form": ObjectionForm(initial={"real_name": user.name}) if campaign.phase == "publicity" else None,
        "mine": list(access.my_nominations(user, campaign)), "certificates": access.certificates_of(user, campaign),
        "next_phase": services.next_phase(campaign), "vote_url": _vote_url(campaign),
        "tally_url": _tally_url(campaign),
    }  # fmt: skip
    if is_admin:
        context.update({
            "nominations": list(access.nominations_of(campaign)),
            "objections": list(access.objections_to_decide(campaign)),
            "decision_form": ObjectionDecisionForm(), "cancel_form": CancelForm(),
        })  # fmt: skip
    return render(request, "awards/campaigns/detail.html", context)


@login_required
@require_POST
def campaign_open(request, pk):
    campaign = access.get_campaign_for(request.user, pk, write=True)
    return run_service(request, lambda: services.campaign_open(actor=request.user, campaign=campaign),
                       _("The campaign is open for nominations."), _detail_url(campaign))  # fmt: skip


@login_required
@require_POST
def campaign_advance(request, pk):
    campaign = access.get_campaign_for(request.user, pk, write=True)
    return run_service(request, lambda: services.campaign_advance(actor=request.user, campaign=campaign),
                       _("The campaign has moved to its next phase."), _detail_url(campaign))  # fmt: skip


@login_required
@require_POST
def campaign_cancel(request, pk):
    campaign = access.get_campaign_for(request.user, pk, write=True)
    reason = request.POST.get("reason", "")
    return run_service(request, lambda: services.campaign_cancel(actor=request.user, campaign=campaign, reason=reason),
                       _("The campaign is cancelled."), _detail_url(campaign))  # fmt: skip


@login_required
@require_POST
def campaign_shortlist(request, pk):
    campaign = access.get_campaign_for(request.user, pk, write=True)
    raw = (request.POST.get("count") or "").strip()
    if not raw.isdigit():
        messages.error(request, _("Give how many nominations to shortlist, as a whole number."))
        return redirect(_detail_url(campaign))
    return run_service(request, lambda: services.campaign_shortlist_by_score(actor=request.user, campaign=campaign,
                                                                             count=int(raw)),
                       _("The shortlist is drawn by the mean expert score."), _detail_url(campaign))  # fmt: skip


@login_required
@require_POST
def nomination_shortlist(request, pk, nomination_pk):
    campaign = access.get_campaign_for(request.user, pk, write=True)
    nomination = access.nomination_of(campaign, nomination_pk)
    decision = request.POST.get("decision")
    if decision not in ("shortlist", "reject"):
        messages.error(request, _("Choose to shortlist the nomination or not."))
        return redirect(_detail_url(campaign))
    return run_service(request, lambda: services.nomination_shortlist(actor=request.user, nomination=nomination,
                                                                      shortlisted=decision == "shortlist",
                                                                      note=request.POST.get("note", "")),
                       _("The county's decision is saved."), _detail_url(campaign))  # fmt: skip


@login_required
def nominate(request, pk):
    campaign = access.get_campaign_for(request.user, pk)
    ways = access.nominating_roles(request.user, campaign)
    if campaign.phase != Campaign.Phase.NOMINATION or not ways:
        raise Http404("no nominating here")
    form = NominationForm(request.POST or None, request.FILES or None, ways=ways)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            if campaign.nominee == Campaign.Nominee.UNIT:
                kind, _sep, unit_pk = (d["unit"] or "").partition(":")
                nominee = access.unit_lookup(campaign, kind, unit_pk)
            else:
                nominee = access.nominee_lookup(campaign, d["nominee"])
            try:
                services.nomination_submit(actor=request.user, campaign=campaign, by=d["by"], nominee=nominee,
                                           statement=d["statement"], files=request.FILES.getlist("materials"))  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The nomination is submitted: the school reviews it next."))
                return redirect(_detail_url(campaign))
        else:
            messages.error(request, form_errors_text(form))
    schools, communities = access.unit_choices(campaign) if campaign.nominee == "unit" else ([], [])
    chosen = parse_id(request.POST.get("nominee") or request.GET.get("nominee"))
    return render(request, "awards/campaigns/nominate.html", {
        "campaign": campaign, "form": form, "choices": access.nominee_choices(request.user, campaign),
        "schools": schools, "communities": communities, "scope_text": access.scope_text(campaign),
        "candidates": access.evaluation_candidates(request.user, campaign), "chosen": chosen,
    })  # fmt: skip


@login_required
def nomination_detail(request, pk):
    nomination = access.get_nomination_for(request.user, pk)
    campaign = nomination.campaign
    user = request.user
    may_review = (nomination.school_id in access.schools_of(user, access.Role.SCHOOL_ADMIN)
                  and campaign.phase == Campaign.Phase.SCHOOL_REVIEW)  # fmt: skip
    may_score = (nomination.status == Nomination.Status.RECOMMENDED
                 and campaign.phase in (Campaign.Phase.COUNTY_REVIEW, Campaign.Phase.PUBLICITY)
                 and access.is_campaign_expert(user, campaign))  # fmt: skip
    mine = access.my_score(user, nomination) if may_score else None
    rubric = [{"i": i, "name": c["name"], "max": c["max"], "value": (mine.points.get(c["name"]) if mine else "")}
              for i, c in enumerate(campaign.rubric)]  # fmt: skip
    return render(request, "awards/campaigns/nomination.html", {
        "nomination": nomination, "campaign": campaign, "materials": access.materials_of(nomination),
        "reviews": list(access.reviews_of(nomination)), "may_review": may_review, "may_score": may_score,
        "review_form": SchoolReviewForm() if may_review else None, "rubric": rubric, "my_score": mine,
        "is_admin": access.is_county_admin(user, campaign),
    })  # fmt: skip


def _nomination_url(nomination) -> str:
    return reverse("awards:nomination_detail", args=[nomination.pk])


@login_required
@require_POST
def school_review(request, pk):
    nomination = access.get_nomination_for(request.user, pk)
    form = SchoolReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_nomination_url(nomination))
    d = form.cleaned_data
    return run_service(request, lambda: services.school_review(actor=request.user, nomination=nomination,
                                                               recommend=d["decision"] == "recommend", note=d["note"]),
                       _("The school's review is saved."), reverse("awards:review_queue"))  # fmt: skip


@login_required
def review_queue(request):
    if not access.schools_of(request.user, access.Role.SCHOOL_ADMIN):
        raise Http404("no school to review for")
    page = Paginator(access.review_queue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "awards/campaigns/review_queue.html", {"page": page})


@login_required
def score_queue(request):
    if not access.scope_of(request.user).counties(access.Role.EXPERT):
        raise Http404("not an expert")
    page = Paginator(access.score_queue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "awards/campaigns/score_queue.html", {"page": page})


@login_required
@require_POST
def score_submit(request, pk):
    nomination = access.get_nomination_for(request.user, pk)
    points = {c["name"]: request.POST.get(f"c{i}", "") for i, c in enumerate(nomination.campaign.rubric)}
    return run_service(request, lambda: services.score_submit(actor=request.user, nomination=nomination,
                                                              points=points, note=request.POST.get("note", "")),
                       _("Your scores are saved."), reverse("awards:score_queue"))  # fmt: skip


@login_required
@require_POST
def objection_submit(request, pk, nomination_pk):
    campaign = access.get_campaign_for(request.user, pk)
    nomination = access.nomination_of(campaign, nomination_pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_detail_url(campaign))
    d = form.cleaned_data
    return run_service(request, lambda: services.objection_submit(actor=request.user, nomination=nomination,
                                                                  real_name=d["real_name"], phone=d["phone"],
                                                                  facts=d["facts"]),
                       _("Your objection is received: the county verifies it and tells you its finding."),
                       _detail_url(campaign))  # fmt: skip


@login_required
@require_POST
def objection_decide(request, pk):
    objection = access.get_objection_for(request.user, pk)
    campaign = objection.nomination.campaign
    form = ObjectionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_detail_url(campaign))
    d = form.cleaned_data
    upheld = d["outcome"] != "dismiss"
    return run_service(request, lambda: services.objection_decide(actor=request.user, objection=objection,
                                                                  upheld=upheld, reason=d["reason"],
                                                                  action=OBJECTION_ACTIONS.get(d["outcome"], "")),
                       _("The finding is saved and sent to the objector."), _detail_url(campaign))  # fmt: skip


@login_required
def campaign_result(request, pk):
    campaign = access.get_campaign_for(request.user, pk)
    if campaign.phase != Campaign.Phase.RESULT:
        raise Http404("no result yet")
    return render(request, "awards/campaigns/result.html", {
        "campaign": campaign, "selected": access.selected_of(campaign), "counts": access.objection_counts(campaign),
        "certificates": access.certificates_of(request.user, campaign),
        "is_admin": access.is_county_admin(request.user, campaign),
    })  # fmt: skip


@login_required
@require_POST
def nomination_promote(request, pk):
    """The county puts a winner's deeds forward as a typical case (the case library's review follows)."""
    nomination = access.get_nomination_for(request.user, pk)
    campaign = access.get_campaign_for(request.user, nomination.campaign_id, write=True)
    return run_service(request, lambda: services.nomination_promote_case(actor=request.user, nomination=nomination),
                       _("Put forward as a typical case: complete it in the case library, then publish it."),
                       reverse("awards:campaign_result", args=[campaign.pk]))  # fmt: skip


@login_required
def certificate(request, pk):
    from .certificate import certificate_pdf

    nomination = access.get_certificate_for(request.user, pk)
    response = HttpResponse(certificate_pdf(nomination), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{nomination.certificate_no}.pdf"'
    return response


@login_required
def material_download(request, token):
    m = access.get_material_for(request.user, token)
    return serve_file(m.file, filename=m.name, file_type=type_for_content_type(m.content_type))
