"""The guardian's side of the parent talent pool (mounted at /api/v1/teams/talent): her own profiles, saving one for a
school of her children, and withdrawing the consent. The same rules as the pages: a profile not hers answers 404.
The school's search has no API: a profile without consent never leaves the pages' rules."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema

from xieyu.core.api.errors import also_answers, error_response

from . import access, services

router = Router()


class SlotIO(Schema):
    weekday: int
    part: str


class ProfileOut(Schema):
    id: int
    school_id: int
    school: str
    skills: list[str]
    skill_ids: list[int]
    other_skill: str
    description: str
    slots: list[SlotIO]
    consent: bool
    consent_at: datetime.datetime | None


class ProfileIn(Schema):
    skills: list[int] = []
    other_skill: str = ""
    description: str = ""
    slots: list[SlotIO] = []
    consent: bool = False


def _out(p) -> dict:
    skills = list(p.skills.all())
    return {"id": p.pk, "school_id": p.school_id, "school": p.school.name, "skills": [s.name for s in skills],
            "skill_ids": [s.pk for s in skills], "other_skill": p.other_skill, "description": p.description,
            "slots": [{"weekday": s.weekday, "part": s.part} for s in p.slots.all()], "consent": p.consent_at is not None,
            "consent_at": p.consent_at}  # fmt: skip


@router.get("/profiles", response=list[ProfileOut], summary="My talent pool profiles, one per school of my children")
def profiles(request):
    return [_out(p) for p in access.profiles_of(request.auth)]


@router.put("/profiles/{int:school_id}", response={200: ProfileOut}, openapi_extra=also_answers(400, 404),
            summary="Save my offer to a school of my children (consent given here is kept on later edits)")  # fmt: skip
def profile_put(request, school_id: int, payload: ProfileIn):
    user = request.auth
    guardian = access.guardian_of(user)
    school = access.schools_of_children(user).filter(pk=school_id).first()
    if guardian is None or school is None:
        raise Http404("school not found")
    wanted = set(payload.skills)
    skills = list(access.county_skills(school.county_id).filter(pk__in=wanted)) if wanted else []
    if len(skills) != len(wanted):
        return error_response(400, "请从本县的技能清单中选择。")
    try:
        profile = services.talent_profile_save(
            actor=user, guardian=guardian, school=school, skills=skills, other_skill=payload.other_skill,
            description=payload.description, slots=[(s.weekday, s.part) for s in payload.slots],
            consent=payload.consent,
        )  # fmt: skip
    except ValidationError as exc:
        return error_response(400, " ".join(exc.messages))
    return _out(access.get_own_profile(user, profile.pk))


@router.post("/profiles/{int:id}/withdraw-consent", response={200: ProfileOut}, openapi_extra=also_answers(400, 404),
             summary="Withdraw my consent: the school no longer sees the profile")  # fmt: skip
def withdraw(request, id: int):
    profile = access.get_own_profile(request.auth, id)
    try:
        services.talent_consent_withdraw(actor=request.auth, profile=profile)
    except ValidationError as exc:
        return error_response(400, " ".join(exc.messages))
    return _out(access.get_own_profile(request.auth, id))
