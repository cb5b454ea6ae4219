"""The member's side of the teams (mounted at /api/v1/teams): the teams I may see or apply to, my memberships with
my background check's validity, and applying to a team. The same rules as the pages: a team the caller may not
apply to answers 404 like a missing one."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from xieyu.core.api.errors import also_answers, error_response
from xieyu.core.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageMeta, paginate
from xieyu.directory.models import Town

from ..models import Skill
from . import access, services

router = Router()


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    school: str | None
    description: str
    can_apply: bool


class TeamPage(PageMeta):
    items: list[TeamOut]


class MembershipOut(Schema):
    id: int
    team_id: int
    team: str
    status: str
    status_label: str
    term_start: datetime.date | None
    term_end: datetime.date | None
    check_valid_until: datetime.date | None
    check_valid_today: bool


class SlotIn(Schema):
    weekday: int
    part: str


class ApplyIn(Schema):
    skill_ids: list[int] = []
    town_ids: list[int] = []
    languages: str = ""
    availability: list[SlotIn] = []
    introduction: str = ""
    motivation: str = ""
    references: str = ""


def _refused(exc: ValidationError):
    return error_response(400, " ".join(exc.messages))


def _membership(m, today: datetime.date) -> dict:
    return {
        "id": m.pk, "team_id": m.team_id, "team": m.team.name, "status": m.status,
        "status_label": str(m.get_status_display()), "term_start": m.term_start, "term_end": m.term_end,
        "check_valid_until": m.check_until, "check_valid_today": bool(m.check_until and m.check_until >= today),
    }  # fmt: skip


@router.get("/teams", response=TeamPage, summary="The teams I coordinate, belong to, may draw on or may apply to")
def teams(request, page: int = Query(1, ge=1), page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)):
    qs = access.teams_listed_for(request.auth).select_related("school").order_by("school", "kind", "pk")
    items, meta = paginate(qs, page, page_size)
    open_ids = set(access.teams_to_apply(request.auth).values_list("pk", flat=True))
    out = [
        {"id": t.pk, "name": t.name, "kind": t.kind, "kind_label": str(t.get_kind_display()),
         "school": t.school.name if t.school else None, "description": t.description, "can_apply": t.pk in open_ids}
        for t in items
    ]  # fmt: skip
    return {**meta, "items": out}


@router.get("/me", response=list[MembershipOut], summary="My memberships, with my background check's validity")
def me(request):
    today = timezone.localdate()
    return [_membership(m, today) for m in access.my_memberships(request.auth)[:100]]


@router.post("/teams/{int:id}/apply", response={201: MembershipOut}, summary="Apply to join a team",
             openapi_extra=also_answers(400, 404))  # fmt: skip
def apply(request, id: int, payload: ApplyIn):
    team = access.get_team_to_apply(request.auth, id)
    skills = list(Skill.objects.filter(pk__in=payload.skill_ids[:100]))
    towns = list(Town.objects.filter(pk__in=payload.town_ids[:100]))
    if len(skills) != len(set(payload.skill_ids)) or any(s.county_id != team.county_id for s in skills):
        return _refused(ValidationError(_("Choose skills from the county's list."), code="skills"))
    if len(towns) != len(set(payload.town_ids)):
        return _refused(ValidationError(_("Choose towns of the county."), code="towns"))
    try:
        member = services.member_apply(
            actor=request.auth, team=team, skills=skills, towns=towns, languages=payload.languages,
            availability=[(s.weekday, s.part) for s in payload.availability],
            introduction=payload.introduction, motivation=payload.motivation, references=payload.references,
        )  # fmt: skip
    except ValidationError as exc:
        return _refused(exc)
    m = access.my_memberships(request.auth).get(pk=member.pk)
    return Status(201, _membership(m, timezone.localdate()))
