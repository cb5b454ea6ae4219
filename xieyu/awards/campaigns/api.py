"""The campaigns API (mounted at /api/v1/awards): the campaigns the caller may see, one campaign, its 公示 list and
its result. Read-only, with the same rules as the pages: a campaign the caller may not see answers 404."""

from __future__ import annotations

from ninja import Query, Router, Schema

from xieyu.core.api.errors import also_answers
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate

from . import access
from .models import Campaign, Nomination

router = Router()


class CriterionOut(Schema):
    name: str
    max: int


class CampaignOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    nominee: str
    phase: str
    phase_label: str
    phase_ends_at: str | None
    quota: int
    has_vote: bool
    expert_weight: int
    vote_weight: int


class CampaignDetail(CampaignOut):
    description: str
    scope: str
    school_kinds: list[str]
    rubric: list[CriterionOut]
    publicity_days: int
    publicity_starts_at: str | None
    publicity_ends_at: str | None
    result_at: str | None


class CampaignPage(PageMeta):
    items: list[CampaignOut]


class ListedOut(Schema):
    id: int
    rank: int | None
    name: str
    school: str
    status: str
    expert_score: float | None
    votes: int
    final_score: float | None
    certificate_no: str


class ObjectionCounts(Schema):
    total: int
    pending: int
    upheld: int
    dismissed: int


class PublicityOut(Schema):
    campaign: int
    phase: str
    starts_at: str | None
    ends_at: str | None
    quota: int
    items: list[ListedOut]
    objections: ObjectionCounts


class ResultOut(Schema):
    campaign: int
    result_at: str | None
    publicity_starts_at: str | None
    publicity_ends_at: str | None
    selected: list[ListedOut]
    objections: ObjectionCounts


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _campaign(c: Campaign) -> dict:
    return {"id": c.pk, "title": c.title, "kind": c.kind, "kind_label": str(c.get_kind_display()),
            "nominee": c.nominee, "phase": c.phase, "phase_label": str(c.get_phase_display()),
            "phase_ends_at": _iso(c.phase_ends_at), "quota": c.quota, "has_vote": c.has_vote,
            "expert_weight": c.expert_weight, "vote_weight": c.vote_weight}  # fmt: skip


def _listed(n: Nomination, campaign: Campaign) -> dict:
    # Scores and votes are published once the 公示 begins; the certificate number only with the result.
    return {"id": n.pk, "rank": n.rank, "name": n.display_name, "school": n.school.name if n.school else "",
            "status": n.status, "expert_score": float(n.expert_score) if n.expert_score is not None else None,
            "votes": n.votes, "final_score": float(n.final_score) if n.final_score is not None else None,
            "certificate_no": n.certificate_no if campaign.phase == Campaign.Phase.RESULT else ""}  # fmt: skip


def _counts(campaign: Campaign) -> dict:
    c = access.objection_counts(campaign)
    return {"total": c["total"], "pending": c["pending"], "upheld": c["upheld"], "dismissed": c["dismissed"]}


@router.get("/campaigns", response=CampaignPage, summary="The selection campaigns of the caller's county")
def campaign_list(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1,
                                                                                le=MAX_PAGE_SIZE)):  # fmt: skip
    items, meta = paginate(access.campaign_list(request.auth), page, page_size)
    return {**meta, "items": [_campaign(c) for c in items]}


@router.get("/campaigns/{int:id}", response=CampaignDetail, summary="One campaign: its scope, rubric and phases",
            openapi_extra=also_answers(404))  # fmt: skip
def campaign_detail(request, id: int):
    c = access.get_campaign_for(request.auth, id)
    return {**_campaign(c), "description": c.description, "scope": access.scope_text(c),
            "school_kinds": list(c.school_kinds), "rubric": [{"name": r["name"], "max": r["max"]} for r in c.rubric],
            "publicity_days": c.publicity_days, "publicity_starts_at": _iso(c.publicity_starts_at),
            "publicity_ends_at": _iso(c.publicity_ends_at), "result_at": _iso(c.result_at)}  # fmt: skip


@router.get("/campaigns/{int:id}/publicity", response=PublicityOut, openapi_extra=also_answers(404),
            summary="The 公示 list (empty before the 公示), with the objections counted by outcome")  # fmt: skip
def campaign_publicity(request, id: int):
    c = access.get_campaign_for(request.auth, id)
    return {"campaign": c.pk, "phase": c.phase, "starts_at": _iso(c.publicity_starts_at),
            "ends_at": _iso(c.publicity_ends_at), "quota": c.quota,
            "items": [_listed(n, c) for n in access.publicity_list(c)], "objections": _counts(c)}  # fmt: skip


@router.get("/campaigns/{int:id}/result", response=ResultOut, openapi_extra=also_answers(404),
            summary="The result: the selected list, the 公示 period and the objections counted (404 before)")  # fmt: skip
def campaign_result(request, id: int):
    c = access.get_campaign_for(request.auth, id)
    if c.phase != Campaign.Phase.RESULT:
        from django.http import Http404

        raise Http404("no result yet")
    return {"campaign": c.pk, "result_at": _iso(c.result_at), "publicity_starts_at": _iso(c.publicity_starts_at),
            "publicity_ends_at": _iso(c.publicity_ends_at), "selected": [_listed(n, c) for n in access.selected_of(c)],
            "objections": _counts(c)}  # fmt: skip
