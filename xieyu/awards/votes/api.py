"""The votes API (mounted at /api/v1/awards/votes): a guardian casts the family's vote; after close anyone in the
county reads the tally and the ballots. A campaign the caller may not see answers 404; a refusal by the rules 400
with the message; too many tries in a minute 429."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema, Status

from xieyu.core.api.errors import also_answers, error_response
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access, services

router = Router()

# 429 is not among the shared error descriptions: the vote's own entry, in the same shape.
VOTE_ERRORS = also_answers(400, 404)
VOTE_ERRORS["responses"]["429"] = {
    "description": "Too many tries in the last minute",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


class VoteIn(Schema):
    nomination_id: int


class VoteOut(Schema):
    voted: bool
    message: str


class CountOut(Schema):
    nomination_id: int
    nominee: str
    votes: int


class TallyOut(Schema):
    campaign_id: int
    title: str
    ballots: int
    head_hash: str
    closed_at: datetime.datetime
    counts: list[CountOut]


class BallotOut(Schema):
    sequence: int
    nomination_id: int
    nonce: str
    prev_hash: str
    hash: str


class BallotPage(PageMeta):
    items: list[BallotOut]


@router.post("/{int:campaign_id}/vote", response={201: VoteOut}, summary="Cast the family's one vote",
             openapi_extra=VOTE_ERRORS)  # fmt: skip
def vote_cast(request, campaign_id: int, payload: VoteIn):
    campaign = access.get_vote_campaign_for(request.auth, campaign_id)
    try:
        services.vote_cast(actor=request.auth, campaign=campaign, nomination_id=payload.nomination_id)
    except services.TooManyTries as exc:
        return error_response(429, " ".join(exc.messages))
    except ValidationError as exc:
        return error_response(400, " ".join(exc.messages))
    return Status(201, {"voted": True, "message": str(services.vote_thanks())})


@router.get("/{int:campaign_id}/tally", response=TallyOut, summary="The closed vote's tally",
            openapi_extra=also_answers(404))  # fmt: skip
def tally_read(request, campaign_id: int):
    tally = access.get_tally_for(request.auth, campaign_id)
    nominations = access.shortlist_of(tally.campaign)
    return {"campaign_id": tally.campaign_id, "title": tally.campaign.title, "ballots": tally.ballots,
            "head_hash": tally.head_hash, "closed_at": tally.closed_at,
            "counts": [{"nomination_id": n.pk, "nominee": n.display_name, "votes": n.votes}
                       for n in nominations.order_by("-votes", "pk")]}  # fmt: skip


@router.get("/{int:campaign_id}/ballots", response=BallotPage, summary="The closed vote's ballots, in chain order",
            openapi_extra=also_answers(404))  # fmt: skip
def ballot_list(
    request,
    campaign_id: int,
    page: int = Query(1, ge=1),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
):
    tally = access.get_tally_for(request.auth, campaign_id)
    qs = access.ballots_of(tally)
    items, meta = paginate(qs, page, page_size)
    return {**meta, "items": [{"sequence": b.sequence, "nomination_id": b.nomination_id, "nonce": b.nonce,
                               "prev_hash": b.prev_hash, "hash": b.hash} for b in items]}  # fmt: skip
