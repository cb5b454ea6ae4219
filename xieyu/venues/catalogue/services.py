"""Every write to the catalogue: create and edit a venue (its themes, bookable half-days and contacts with it), add a
photo (images only, checked by their content)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role, User
from xieyu.accounts.scope import holders
from xieyu.audit.services import audit_record
from xieyu.core.uploads import PHOTOS, check_upload
from xieyu.directory.models import Region, Town

from .models import Part, Venue, VenuePhoto, VenueSlot, VenueTheme

MAX_CAPACITY = 2000
MAX_DAYS_AHEAD = 60
MAX_PHOTOS = 12


@dataclass
class VenueFields:
    name: str
    kind: str
    address: str
    town: Town | None
    capacity: int
    max_group: int
    min_days_ahead: int = 3
    terms: str = Venue.Terms.FREE
    terms_text: str = ""
    rules_text: str = ""
    opening_text: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    description: str = ""
    published: bool = False
    themes: Iterable[str] = ()
    slots: Iterable[tuple[int, str]] = ()  # (weekday 0–6, "morning" | "afternoon")
    contacts: Iterable[User] | None = None  # None: leave as they are


def _clean(county: Region, f: VenueFields, *, venue: Venue | None) -> dict:
    name = (f.name or "").strip()
    if not name or len(name) > 80:
        raise ValidationError(_("Give the venue's name (at most 80 characters)."), code="name")
    if Venue.objects.filter(county=county, name=name).exclude(pk=venue.pk if venue else 0).exists():
        raise ValidationError(_("The county already has a venue called “%(name)s”.") % {"name": name}, code="name")
    if f.kind not in Venue.Kind.values:
        raise ValidationError(_("Choose the type of venue."), code="kind")
    address = (f.address or "").strip()
    if not address or len(address) > 200:
        raise ValidationError(_("Give the venue's address (at most 200 characters)."), code="address")
    if f.town is None or f.town.county_id != county.pk:
        raise ValidationError(_("Choose a town of the county."), code="town")
    if f.capacity is None or not 1 <= f.capacity <= MAX_CAPACITY:
        raise ValidationError(
            _("Places per half-day must be between 1 and %(n)s.") % {"n": MAX_CAPACITY}, code="capacity"
        )
    if f.max_group is None or not 1 <= f.max_group <= f.capacity:
        raise ValidationError(
            _("The largest group must be between 1 and the places per half-day (%(n)s).") % {"n": f.capacity},
            code="max_group",
        )
    if f.min_days_ahead is None or not 0 <= f.min_days_ahead <= MAX_DAYS_AHEAD:
        raise ValidationError(
            _("Days ahead must be between 0 and %(n)s.") % {"n": MAX_DAYS_AHEAD}, code="min_days_ahead"
        )
    if f.terms not in Venue.Terms.values:
        raise ValidationError(_("Choose the terms for students."), code="terms")
    themes = list(dict.fromkeys(f.themes))
    if any(t not in VenueTheme.Theme.values for t in themes):
        raise ValidationError(_("Choose themes from the list."), code="themes")
    slots = list(dict.fromkeys((int(d), p) for d, p in f.slots))
    if any(not 0 <= d <= 6 or p not in Part.values for d, p in slots):
        raise ValidationError(_("Choose half-days from the week's list."), code="slots")
    contacts = None
    if f.contacts is not None:
        contacts = list(f.contacts)
        allowed = set(holders(Role.VENUE_CONTACT, county_id=county.pk).values_list("pk", flat=True))
        if any(c.pk not in allowed for c in contacts):
            raise ValidationError(_("A venue's contacts must be the county's venue contacts."), code="contacts")
    texts = {k: (getattr(f, k) or "").strip() for k in
             ("terms_text", "rules_text", "opening_text", "contact_name", "contact_phone", "description")}  # fmt: skip
    for key, limit in (("terms_text", 200), ("opening_text", 200), ("contact_name", 30), ("contact_phone", 20)):
        if len(texts[key]) > limit:
            raise ValidationError(_("A field is too long: at most %(n)s characters.") % {"n": limit}, code=key)
    return {
        "values": {
            "name": name,
            "kind": f.kind,
            "address": address,
            "town": f.town,
            "capacity": f.capacity,
            "max_group": f.max_group,
            "min_days_ahead": f.min_days_ahead,
            "terms": f.terms,
            "published": bool(f.published),
            **texts,
        },  # fmt: skip
        "themes": themes,
        "slots": slots,
        "contacts": contacts,
    }


def _set_related(venue: Venue, cleaned: dict) -> None:
    VenueTheme.objects.filter(venue=venue).exclude(theme__in=cleaned["themes"]).delete()
    have = set(VenueTheme.objects.filter(venue=venue).values_list("theme", flat=True))
    VenueTheme.objects.bulk_create([VenueTheme(venue=venue, theme=t) for t in cleaned["themes"] if t not in have])
    VenueSlot.objects.filter(venue=venue).delete()
    VenueSlot.objects.bulk_create([VenueSlot(venue=venue, weekday=d, part=p) for d, p in cleaned["slots"]])
    if cleaned["contacts"] is not None:
        venue.contacts.set(cleaned["contacts"])


@transaction.atomic
def venue_create(*, actor, county: Region, fields: VenueFields) -> Venue:
    """A county admin adds a venue to her county's catalogue (the edge checked she runs the county)."""
    cleaned = _clean(county, fields, venue=None)
    venue = Venue.objects.create(county=county, **cleaned["values"])
    _set_related(venue, cleaned)
    audit_record(actor=actor, action="venues.venue_create", target=venue, changes={"name": [None, venue.name]})
    return venue


@transaction.atomic
def venue_update(*, actor, venue: Venue, fields: VenueFields) -> Venue:
    """Edit a venue (the county admin, or one of its contacts: the edge passes contacts=None for a contact)."""
    cleaned = _clean(venue.county, fields, venue=venue)
    changes = {}
    for key, value in cleaned["values"].items():
        old = getattr(venue, key)
        if old != value:
            changes[key] = [str(old), str(value)]
            setattr(venue, key, value)
    venue.save()
    _set_related(venue, cleaned)
    audit_record(actor=actor, action="venues.venue_update", target=venue, changes=changes)
    return venue


@transaction.atomic
def venue_photo_add(*, actor, venue: Venue, upload, caption: str = "") -> VenuePhoto:
    """A photo of the venue: only a picture (JPG, PNG, WEBP), read from its content."""
    if upload is None:
        raise ValidationError(_("Choose a photo to upload."), code="file")
    caption = (caption or "").strip()
    if len(caption) > 80:
        raise ValidationError(_("The caption is too long: at most 80 characters."), code="caption")
    if VenuePhoto.objects.filter(venue=venue).count() >= MAX_PHOTOS:
        raise ValidationError(_("A venue may have at most %(n)s photos.") % {"n": MAX_PHOTOS}, code="file")
    checked = check_upload(upload, PHOTOS)
    photo = VenuePhoto(venue=venue, name=checked.name, caption=caption, added_by=actor)
    photo.file.save(checked.stored_name(), checked.file, save=False)
    photo.save()
    audit_record(actor=actor, action="venues.photo_add", target=venue, changes={"photo": [None, checked.name]})
    return photo


@transaction.atomic
def venue_photo_remove(*, actor, photo: VenuePhoto) -> None:
    venue = photo.venue
    name = photo.name
    photo.file.delete(save=False)
    photo.delete()
    audit_record(actor=actor, action="venues.photo_remove", target=venue, changes={"photo": [name, None]})
