"""Vote pages: a campaign's shortlist to vote on (one vote per family), and after close its tally with the ballots
to download and a check anyone in the county can run.

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
"""

from __future__ import annotations

import csv
import io
import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from xieyu.core.viewhelpers import run_service

from . import access, services

PAGE_SIZE = 20


def _shortlist(campaign):
    return access.shortlist_of(campaign)


@login_required
def vote(request, pk):
    user = request.user
    campaign = access.get_vote_campaign_for(user, pk)
    here = reverse("awards:vote", args=[campaign.pk])
    if request.method == "POST":
        return run_service(
            request,
            lambda: services.vote_cast(actor=user, campaign=campaign, nomination_id=request.POST.get("nomination")),
            services.vote_thanks(),
            here,
        )
    closed = services.vote_open_problem(campaign)
    tally = access.tally_of(campaign)
    page = Paginator(_shortlist(campaign).only("pk", "display_name", "statement"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "awards/votes/vote.html", {
        "campaign": campaign, "page": page, "closed": closed, "tally": tally,
        "may_vote": bool(access.voting_children(user, campaign)), "voted": access.family_has_voted(user, campaign),
    })  # fmt: skip


@login_required
def tally(request, pk):
    tally = access.get_tally_for(request.user, pk)
    page = Paginator(
        _shortlist(tally.campaign).order_by("-votes", "pk").only("pk", "display_name", "votes"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "awards/votes/tally.html", {"tally": tally, "campaign": tally.campaign, "page": page})


@login_required
def tally_verify(request, pk):
    tally = access.get_tally_for(request.user, pk)
    verdict = services.tally_verify(tally.campaign)
    return render(request, "awards/votes/verify.html", {"tally": tally, "campaign": tally.campaign, "verdict": verdict})


FIELDS = ["sequence", "nomination", "nonce", "prev_hash", "hash"]


@login_required
def tally_download(request, pk, fmt):
    tally = access.get_tally_for(request.user, pk)
    campaign = tally.campaign
    rows = services.ballot_rows(campaign)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(FIELDS)
        for r in rows:
            writer.writerow([r.sequence, r.nomination_id, r.nonce, r.prev_hash, r.hash])
        body, content_type = out.getvalue(), "text/csv; charset=utf-8"
    elif fmt == "json":
        names = dict(_shortlist(campaign).values_list("pk", "display_name"))
        body = json.dumps({
            "campaign": campaign.pk, "title": campaign.title, "ballots_count": tally.ballots,
            "head_hash": tally.head_hash, "closed_at": tally.closed_at.isoformat(),
            "counts": tally.counts, "nominees": {str(k): v for k, v in names.items()},
            "rule": "hash = sha256(prev|campaign|sequence|nomination|nonce); first prev = sha256(campaign|title)",
            "ballots": [{"sequence": r.sequence, "nomination": r.nomination_id, "nonce": r.nonce,
                         "prev_hash": r.prev_hash, "hash": r.hash} for r in rows],
        }, ensure_ascii=False, indent=1)  # fmt: skip
        content_type = "application/json; charset=utf-8"
    else:
        raise Http404("no such format")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-ballots.{fmt}"'
    return response
