"""The accounts API: who am I."""

from __future__ import annotations

from ninja import Router, Schema

from .roles import roles_of

router = Router()


class RoleOut(Schema):
    key: str
    role: str
    label: str
    unit: str | None = None


class MeOut(Schema):
    id: int
    name: str
    phone_masked: str
    care_mode: bool
    roles: list[RoleOut]


@router.get("/me", response=MeOut, summary="The signed-in user: name, masked mobile number, roles")
def me(request):
    user = request.auth
    return {
        "id": user.pk,
        "name": user.name,
        "phone_masked": user.masked_phone,
        "care_mode": user.care_mode,
        "roles": [
            {
                "key": r.key,
                "role": r.role,
                "label": r.label,
                "unit": r.membership.unit_name if r.membership else None,
            }
            for r in roles_of(user)
        ],
    }
