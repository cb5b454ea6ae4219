"""What the registry subdomain connects when the app loads: home sections, role homes, receivers, scheduled jobs,
and the questionnaire engine's "carers" audience (the guardians of the registry's children)."""

from __future__ import annotations


def _place(ident: str) -> tuple[str, int | None]:
    kind, _sep, raw = ident.partition(":")
    return kind, int(raw) if raw.isdigit() else None


def _members(ident: str):
    from xieyu.directory.models import Student

    from .models import RegistryEntry

    kind, unit = _place(ident)
    registered = Student.objects.filter(status=Student.Status.ENROLLED, care_entry__state=RegistryEntry.State.CONFIRMED)
    if kind == "county" and unit:
        return registered.filter(care_entry__county_id=unit)
    if kind == "school" and unit:
        return registered.filter(care_entry__school_id=unit)
    return Student.objects.none()


def _may_target(user, ident: str) -> bool:
    """County admins for their county's registry, school admins for their school's: the roles that run it."""
    from xieyu.accounts.models import Role
    from xieyu.accounts.scope import scope_of

    kind, unit = _place(ident)
    scope = scope_of(user)
    if kind == "county":
        return unit in scope.counties(Role.COUNTY_ADMIN)
    if kind == "school":
        return unit in scope.whole_schools(Role.SCHOOL_ADMIN)
    return False


def _label(ident: str) -> str:
    from django.utils.translation import gettext as _

    from xieyu.directory.models import Region, School

    kind, unit = _place(ident)
    model = Region if kind == "county" else School
    name = model.objects.filter(pk=unit or 0).values_list("name", flat=True).first() or ""
    return _("Carers of registered children · %(unit)s") % {"unit": name}


def _where(ident: str) -> tuple[int, int | None]:
    from xieyu.directory.models import School

    kind, unit = _place(ident)
    if kind == "school":
        county = School.objects.filter(pk=unit or 0).values_list("county_id", flat=True).first()
        return int(county or 0), unit
    return int(unit or 0), None


def connect() -> None:
    from xieyu.surveys import audiences

    audiences.register(audiences.CARERS, members=_members, may_target=_may_target, label=_label, place=_where)
