"""Who may see and edit which venue.

- Published venues are public to the county's guardians (through their children's schools) and its staff (any role
  held in the county, a school, a class, an agency or a community of it). Anonymous visitors see nothing.
- The county admin creates and edits her county's venues; a venue contact edits the venues that name her (and no
  others), published or not.
Missing and forbidden both answer 404.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role, User
from xieyu.accounts.scope import holders, scope_of
from xieyu.core.viewhelpers import parse_id
from xieyu.directory import access as directory_access
from xieyu.directory.models import Region, Town

from .models import WEEKDAYS, Part, Venue, VenuePhoto, VenueSlot, VenueTheme


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def admin_counties(user) -> set[int]:
    return scope_of(user).counties(Role.COUNTY_ADMIN)


def is_contact(user) -> bool:
    return scope_of(user).has(Role.VENUE_CONTACT)


def venues_managed_by(user) -> QuerySet[Venue]:
    """Venues the user edits: the county admin's county's, a venue contact's own."""
    if not _authenticated(user):
        return Venue.objects.none()
    q = Q(pk__in=[])
    if counties := admin_counties(user):
        q |= Q(county__in=counties)
    if is_contact(user):
        q |= Q(pk__in=Venue.contacts.through.objects.filter(user=user).values("venue"))
    return Venue.objects.filter(q)


def venues_visible_to(user) -> QuerySet[Venue]:
    """Published venues of the counties the user reaches, and the venues she manages."""
    if not _authenticated(user):
        return Venue.objects.none()
    reach = scope_of(user).reach_counties(*Role)
    kids = directory_access.children_of(user).values("school__county")
    q = Q(published=True) & (Q(county__in=reach) | Q(county__in=kids))
    return Venue.objects.filter(q | Q(pk__in=venues_managed_by(user).values("pk")))


def can_edit(user, venue: Venue) -> bool:
    return venues_managed_by(user).filter(pk=venue.pk).exists()


def get_venue_for(user, pk, *, write: bool = False) -> Venue:
    qs = venues_managed_by(user) if write else venues_visible_to(user)
    venue = qs.select_related("town", "county").filter(pk=parse_id(pk) or 0).first()
    if venue is None:
        raise Http404("venue not found")
    return venue


def venue_list(user, *, theme: str = "", town: int | None = None, kind: str = "", q: str = "") -> QuerySet[Venue]:
    """The searchable catalogue (themes prefetched: a fixed number of queries per page)."""
    qs = venues_visible_to(user)
    if theme:
        qs = qs.filter(pk__in=VenueTheme.objects.filter(theme=theme).values("venue"))
    if town:
        qs = qs.filter(town=town)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q) | Q(description__icontains=q))
    return (
        qs.select_related("town")
        .prefetch_related(Prefetch("themes", queryset=VenueTheme.objects.order_by("pk")))
        .order_by("town__order", "name", "pk")
    )


def towns_for(user) -> QuerySet[Town]:
    """The towns of the counties the user reaches (the catalogue's town filter)."""
    reach = scope_of(user).reach_counties(*Role) if _authenticated(user) else set()
    kids = directory_access.children_of(user).values("school__county")
    return Town.objects.filter(Q(county__in=reach) | Q(county__in=kids)).order_by("county", "order", "pk")


def home_town_of(user) -> int | None:
    """The town of the guardian's (eldest listed) child's school: where the catalogue starts for her."""
    row = (
        directory_access.children_of(user)
        .exclude(school__town__isnull=True)
        .order_by("birth_date", "pk")
        .values_list("school__town", flat=True)
        .first()
    )
    return row


def slots_of(venue: Venue) -> set[tuple[int, str]]:
    return set(VenueSlot.objects.filter(venue=venue).values_list("weekday", "part"))


def slot_grid(venue: Venue) -> list[tuple[str, bool, bool]]:
    """(weekday's name, morning open, afternoon open) for each weekday."""
    open_slots = slots_of(venue)
    return [(str(name), (d, Part.MORNING) in open_slots, (d, Part.AFTERNOON) in open_slots) for d, name in WEEKDAYS]


def themes_of(venue: Venue) -> list[VenueTheme]:
    return list(VenueTheme.objects.filter(venue=venue).order_by("pk"))


def photos_of(venue: Venue) -> list[VenuePhoto]:
    return list(VenuePhoto.objects.filter(venue=venue).order_by("pk"))


def get_photo_for(user, pk) -> VenuePhoto:
    photo = (
        VenuePhoto.objects.filter(pk=parse_id(pk) or 0, venue__in=venues_visible_to(user).values("pk"))
        .select_related("venue")
        .first()
    )
    if photo is None:
        raise Http404("photo not found")
    return photo


def contacts_of(venue: Venue) -> list[User]:
    return list(venue.contacts.order_by("pk"))


def contact_choices(county: Region) -> QuerySet[User]:
    """The county's venue contacts: whom a venue may name to answer its bookings."""
    return holders(Role.VENUE_CONTACT, county_id=county.pk)


def county_to_create_in(user) -> Region | None:
    """The county where the user (a county admin) creates venues."""
    counties = admin_counties(user)
    if not counties:
        return None
    return Region.objects.filter(pk__in=counties).order_by("pk").first()


def my_venues(user) -> QuerySet[Venue]:
    return venues_managed_by(user).select_related("town").order_by("town__order", "name", "pk")
