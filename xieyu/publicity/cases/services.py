"""Every write to typical cases: write and edit a case (plain text: any markup is removed), add and remove photos
(pictures only, re-encoded and scaled down, at most six), submit (to the school admin for a teacher's case, to
the county for a school admin's), the school's pass-on or return, the county's publish or return with a note
(the author is told each time), and `case_promote` for a selection result (the awards app calls it)."""

from __future__ import annotations

import html
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import holders
from xieyu.audit.services import audit_record
from xieyu.core.images import resized_jpeg
from xieyu.core.uploads import PHOTOS, check_upload
from xieyu.directory.models import Region, School
from xieyu.notices.messages import message_send

from ..sanitise import plain_text
from .models import Case, CasePhoto, Theme

MAX_PHOTOS = 6
MAX_SIDE = 1600  # pixels: a photo is scaled down to fit, re-encoded without its EXIF (GPS position included)
TEXT_LIMIT = 4000
TOPIC = "publicity.case"


@dataclass
class CaseFields:
    title: str
    theme: str
    background: str
    actions: str
    results: str
    replicable: str


def clean_text(value: str) -> str:
    """Plain text: tags (and scripts with their content) removed, entities read back, lines kept."""
    text = html.unescape(plain_text(value or ""))
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def _clean(f: CaseFields) -> dict:
    title = clean_text(f.title).replace("\n", " ")
    if not title or len(title) > 80:
        raise ValidationError(_("Give the case a title (at most 80 characters)."), code="title")
    if f.theme not in Theme.values:
        raise ValidationError(_("Choose the case's theme from the list."), code="theme")
    values = {"title": title, "theme": f.theme}
    labels = {
        "background": _("the background"), "actions": _("what the school did"), "results": _("the results"),
        "replicable": _("what others can copy"),
    }  # fmt: skip
    for key, label in labels.items():
        text = clean_text(getattr(f, key))
        if not text:
            raise ValidationError(_("Write %(part)s.") % {"part": label}, code=key)
        if len(text) > TEXT_LIMIT:
            raise ValidationError(
                _("%(part)s is too long: at most %(n)s characters.") % {"part": label.capitalize(), "n": TEXT_LIMIT},
                code=key,
            )
        values[key] = text
    return values


@transaction.atomic
def case_create(*, actor, school: School, fields: CaseFields) -> Case:
    """A school admin or teacher starts a case for her school (the edge checked she works there): a draft."""
    case = Case.objects.create(county_id=school.county_id, school=school, author=actor, **_clean(fields))
    audit_record(actor=actor, action="publicity.case_create", target=case, changes={"title": [None, case.title]})
    return case


@transaction.atomic
def case_update(*, actor, case: Case, fields: CaseFields) -> Case:
    values = _clean(fields)
    changes = {k: [getattr(case, k)[:40], v[:40]] for k, v in values.items() if getattr(case, k) != v}
    for key, value in values.items():
        setattr(case, key, value)
    case.save()
    audit_record(actor=actor, action="publicity.case_update", target=case, changes=changes)
    return case


def _tell(*, actor, case: Case, to, title: str, body: str) -> None:
    message_send(actor=actor, county_id=case.county_id, to_user=to, title=title, body=body,
                 link=reverse("publicity:case_detail", args=[case.pk]), topic=TOPIC)  # fmt: skip


def _set_status(actor, case: Case, status: str, **more) -> None:
    old = case.status
    case.status = status
    for key, value in more.items():
        setattr(case, key, value)
    case.save()
    audit_record(actor=actor, action=f"publicity.case_{status}", target=case, changes={"status": [old, status]})


@transaction.atomic
def case_submit(*, actor, case: Case) -> Case:
    """Send the case on: a school admin's (or the county's own, e.g. a promoted case returned and completed) goes to
    the county, a teacher's to her school admin first."""
    if case.status not in (Case.Status.DRAFT, Case.Status.RETURNED):
        raise ValidationError(_("Only a draft or a returned case can be submitted."), code="status")
    reviewers = holders(Role.COUNTY_ADMIN, county_id=case.county_id)
    if case.school_id is not None:
        reviewers = reviewers | holders(Role.SCHOOL_ADMIN, school_id=case.school_id)
    if case.school_id is not None and not reviewers.filter(pk=actor.pk).exists():
        _set_status(actor, case, Case.Status.SCHOOL_REVIEW, submitted_at=timezone.now(), review_note="")
        for admin in holders(Role.SCHOOL_ADMIN, school_id=case.school_id):
            _tell(actor=actor, case=case, to=admin, title=_("A typical case to review: %(title)s") % {"title": case.title},
                  body=_("%(name)s submitted a typical case for the school's review.") % {"name": actor.name})  # fmt: skip
        return case
    _set_status(actor, case, Case.Status.SUBMITTED, submitted_at=timezone.now(), review_note="")
    _notify_county(actor, case)
    return case


def _notify_county(actor, case: Case) -> None:
    for admin in holders(Role.COUNTY_ADMIN, county_id=case.county_id):
        _tell(actor=actor, case=case, to=admin, title=_("A typical case to review: %(title)s") % {"title": case.title},
              body=_("%(school)s submitted a typical case for the county's review.")
              % {"school": case.school.name if case.school else case.source})  # fmt: skip


@transaction.atomic
def case_school_approve(*, actor, case: Case) -> Case:
    """The school admin passes a teacher's case on to the county."""
    if case.status != Case.Status.SCHOOL_REVIEW:
        raise ValidationError(_("This case is not waiting for the school's review."), code="status")
    _set_status(actor, case, Case.Status.SUBMITTED, submitted_at=timezone.now())
    _notify_county(actor, case)
    return case


@transaction.atomic
def case_return(*, actor, case: Case, note: str) -> Case:
    """The school admin (at school review) or the county admin (once submitted) returns a case with a note."""
    note = clean_text(note).replace("\n", " ")
    if not note:
        raise ValidationError(_("Say what the author should change: the note is empty."), code="note")
    if len(note) > 300:
        raise ValidationError(_("The note is too long: at most 300 characters."), code="note")
    if case.status not in (Case.Status.SCHOOL_REVIEW, Case.Status.SUBMITTED):
        raise ValidationError(_("Only a case waiting for review can be returned."), code="status")
    _set_status(actor, case, Case.Status.RETURNED, reviewed_by=actor, review_note=note)
    _tell(actor=actor, case=case, to=case.author, title=_("Your typical case was returned: %(title)s") % {"title": case.title},
          body=_("Returned with this note: %(note)s") % {"note": note})  # fmt: skip
    return case


@transaction.atomic
def case_publish(*, actor, case: Case) -> Case:
    """The county admin publishes a submitted case in the library; the author is told."""
    if case.status != Case.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted case can be published."), code="status")
    _set_status(actor, case, Case.Status.PUBLISHED, reviewed_by=actor, review_note="", published_at=timezone.now())
    _tell(actor=actor, case=case, to=case.author, title=_("Your typical case is published: %(title)s") % {"title": case.title},
          body=_("The county published your case in the typical case library."))  # fmt: skip
    return case


@transaction.atomic
def case_promote(*, actor, county: Region, school: School | None, title: str, theme: str, text: str,
                 source: str) -> Case:  # fmt: skip
    """A submitted case made from a selection result: its text becomes the background; the county completes the
    other parts before publishing."""
    if school is not None and school.county_id != county.pk:
        raise ValidationError(_("The school is not in this county."), code="school")
    if theme not in Theme.values:
        theme = Theme.OTHER
    text = clean_text(text)
    if not text:
        raise ValidationError(_("Write %(part)s.") % {"part": _("the background")}, code="background")
    values = _clean(CaseFields(title=title, theme=theme, background=text, actions=text, results=text,
                               replicable=text))  # fmt: skip
    values.update(actions="", results="", replicable="")
    source = clean_text(source).replace("\n", " ")[:120]
    case = Case.objects.create(county=county, school=school, author=actor, source=source,
                               status=Case.Status.SUBMITTED, submitted_at=timezone.now(), **values)  # fmt: skip
    audit_record(actor=actor, action="publicity.case_promote", target=case, changes={"source": [None, source]})
    return case


@transaction.atomic
def case_photo_add(*, actor, case: Case, upload, caption: str = "") -> CasePhoto:
    if upload is None:
        raise ValidationError(_("Choose a photo to upload."), code="file")
    caption = clean_text(caption).replace("\n", " ")
    if len(caption) > 80:
        raise ValidationError(_("The caption is too long: at most 80 characters."), code="caption")
    if CasePhoto.objects.filter(case=case).count() >= MAX_PHOTOS:
        raise ValidationError(_("A case may have at most %(n)s photos.") % {"n": MAX_PHOTOS}, code="file")
    checked = check_upload(upload, PHOTOS)
    content, width, height = resized_jpeg(checked.file, max_side=MAX_SIDE)
    photo = CasePhoto(case=case, name=checked.name, caption=caption, added_by=actor, width=width, height=height)
    photo.file.save(secrets.token_hex(16) + ".jpg", content, save=False)
    photo.save()
    audit_record(actor=actor, action="publicity.case_photo_add", target=case, changes={"photo": [None, checked.name]})
    return photo


@transaction.atomic
def case_photo_remove(*, actor, photo: CasePhoto) -> None:
    case, name = photo.case, photo.name
    photo.file.delete(save=False)
    photo.delete()
    audit_record(actor=actor, action="publicity.case_photo_remove", target=case, changes={"photo": [name, None]})
