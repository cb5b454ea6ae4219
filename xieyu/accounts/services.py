"""Every write to users and memberships."""

from __future__ import annotations

from django.db import transaction

from xieyu.audit.services import audit_record

from .models import ROLE_SCOPE, Membership, Role, User


@transaction.atomic
def user_create(*, actor, phone: str, name: str, password: str | None = None) -> User:
    user = User.objects.create_user(phone=phone, name=name, password=password)
    audit_record(actor=actor, action="user.create", target=user)
    return user


@transaction.atomic
def membership_grant(*, actor, user: User, role: Role, unit) -> Membership:
    """Give a user a role in an org unit (the unit's kind follows the role: ROLE_SCOPE)."""
    scope_field = ROLE_SCOPE[Role(role)]
    membership, created = Membership.objects.get_or_create(user=user, role=role, **{scope_field: unit})
    if not created and membership.is_active:
        return membership
    membership.is_active = True
    membership.save()
    audit_record(
        actor=actor,
        action="membership.grant",
        target=membership,
        changes={"role": [None, str(role)], scope_field: [None, unit.pk]},
    )
    user.__dict__.pop("memberships", None)
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> Membership:
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(actor=actor, action="membership.revoke", target=membership, changes={"is_active": [True, False]})
    membership.user.__dict__.pop("memberships", None)
    return membership
