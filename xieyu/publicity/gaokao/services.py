"""Every write to the majors table: one row saved or removed, and the county's Excel file imported whole or not at
all (rows of the file create or update the majors they name; majors the file does not name are left alone)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.directory.models import Region

from .models import FirstChoice, MajorRequirement, Subject
from .sheet import Parsed, read_sheet


@dataclass
class RequirementFields:
    discipline: str
    major: str
    first: str
    subjects: list[str]
    mode: str
    note: str = ""


def _clean(county: Region, f: RequirementFields, *, row: MajorRequirement | None) -> dict:
    discipline = (f.discipline or "").strip()
    major = (f.major or "").strip()
    if not discipline or len(discipline) > 20:
        raise ValidationError(_("Give the discipline (at most 20 characters)."), code="discipline")
    if not major or len(major) > 40:
        raise ValidationError(_("Give the major (at most 40 characters)."), code="major")
    if MajorRequirement.objects.filter(county=county, major=major).exclude(pk=row.pk if row else 0).exists():
        raise ValidationError(_("The table already has the major “%(major)s”.") % {"major": major}, code="major")
    if f.first not in FirstChoice.values:
        raise ValidationError(_("Choose the first-choice subject the major asks for."), code="first")
    subjects = list(dict.fromkeys(f.subjects or ()))
    if any(s not in Subject.values for s in subjects):
        raise ValidationError(_("Choose re-chosen subjects from the list."), code="subjects")
    if f.mode not in MajorRequirement.Mode.values:
        raise ValidationError(_("Choose how the re-chosen subjects are asked for."), code="mode")
    mode = f.mode
    if mode != MajorRequirement.Mode.NONE and not subjects:
        raise ValidationError(_("Tick the re-chosen subjects the requirement asks for."), code="subjects")
    if mode == MajorRequirement.Mode.NONE and subjects:
        raise ValidationError(
            _("Re-chosen subjects are ticked: choose “all of them” or “any one of them”, or untick them."),
            code="mode",
        )
    note = (f.note or "").strip()
    if len(note) > 200:
        raise ValidationError(_("The note is too long: at most 200 characters."), code="note")
    return {"discipline": discipline, "major": major, "first": f.first, "subjects": subjects, "mode": mode,
            "note": note}  # fmt: skip


@transaction.atomic
def requirement_save(
    *, actor, county: Region, fields: RequirementFields, row: MajorRequirement | None = None
) -> MajorRequirement:
    """Add a major to the county's table, or edit one (the edge checked the actor runs the county)."""
    values = _clean(county, fields, row=row)
    if row is None:
        row = MajorRequirement.objects.create(county=county, **values)
        audit_record(actor=actor, action="publicity.major_create", target=row, changes={"major": [None, row.major]})
        return row
    changes = {k: [str(getattr(row, k)), str(v)] for k, v in values.items() if getattr(row, k) != v}
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at = timezone.now()
    row.save()
    audit_record(actor=actor, action="publicity.major_update", target=row, changes=changes)
    return row


@transaction.atomic
def requirement_delete(*, actor, row: MajorRequirement) -> None:
    audit_record(actor=actor, action="publicity.major_delete", target=row, changes={"major": [row.major, None]})
    row.delete()


class ImportRefused(ValidationError):
    """The file has problems: none of its rows was imported. `problems` names each by row and column."""

    def __init__(self, message: str, problems: list[dict] | None = None, count: int = 0):
        super().__init__(message, code="import")
        self.problems = problems or []
        self.count = count


@dataclass
class ImportResult:
    created: int
    updated: int


def _refuse(parsed: Parsed) -> ImportRefused:
    first = parsed.problems[0]
    message = _("%(count)s problems in the file; nothing was imported. First: row %(row)s, “%(column)s”: %(message)s") % {
        "count": parsed.count, "row": first["row"], "column": first["column"], "message": first["message"],
    }  # fmt: skip
    return ImportRefused(message, parsed.problems, parsed.count)


@transaction.atomic
def table_import(*, actor, county: Region, data: bytes) -> ImportResult:
    """Import the county's file: every row is checked first; any problem and no row is written."""
    from .sheet import SheetError

    try:
        parsed = read_sheet(data)
    except SheetError as exc:
        raise ImportRefused(exc.message) from exc
    if parsed.count:
        raise _refuse(parsed)
    existing = {r.major: r for r in MajorRequirement.objects.filter(county=county)}
    now = timezone.now()
    created, updated = [], []
    for row in parsed.rows:
        values = {"discipline": row.discipline, "first": row.first, "subjects": row.subjects, "mode": row.mode,
                  "note": row.note}  # fmt: skip
        have = existing.get(row.major)
        if have is None:
            created.append(MajorRequirement(county=county, major=row.major, updated_at=now, **values))
        elif any(getattr(have, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(have, key, value)
            have.updated_at = now
            updated.append(have)
    MajorRequirement.objects.bulk_create(created)
    MajorRequirement.objects.bulk_update(updated, ["discipline", "first", "subjects", "mode", "note", "updated_at"])
    audit_record(actor=actor, action="publicity.majors_import", target=county,
                 changes={"created": [None, len(created)], "updated": [None, len(updated)]})  # fmt: skip
    return ImportResult(created=len(created), updated=len(updated))
