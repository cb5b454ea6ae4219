"""A copy of a child's care record for the guardian, as .xlsx (openpyxl, write-only): one sheet per part."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xieyu.care.cases.models import Section
from xieyu.care.registry.models import CarerSurvey

from . import access

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def record_rows(record: access.ChildRecord, log: list) -> dict[str, list[list]]:
    """The record as rows of text, by sheet (the page shows the same)."""
    s = record.student
    e = record.entry
    facts: list[list] = [
        [_("Child"), s.name],
        [_("School"), s.school.name],
        [_("Class"), str(s.school_class) if s.school_class else ""],
    ]
    if e is not None:
        facts += [
            [_("Registry"), e.get_state_display()],
            [_("Village or community"), e.village or (e.community.name if e.community else "")],
            [_("Carer"), e.carer_name, e.carer_relationship, e.get_carer_type_display() if e.carer_type else "",
             e.carer_phone, e.get_carer_source_display() if e.carer_source else "", e.carer_noted_on],
            [_("Next review"), e.next_review_on],
        ]  # fmt: skip
    categories = [[_("Category"), _("Detail"), _("Source"), _("Noted on"), _("Ended on")]] + [
        [c.get_category_display(), c.detail, c.get_source_display(), c.noted_on, c.ended_on] for c in record.categories
    ]
    parents = [[_("Parent"), _("Name"), _("Mobile number"), _("Works in"), _("Away since"), _("Source"),
                _("Noted on")]] + [
        [p.get_who_display(), p.name, p.phone, p.works_in, p.away_since, p.get_source_display(), p.noted_on]
        for p in record.absent_parents
    ]  # fmt: skip
    surveys = [[_("Answered at"), _("Guidance needed"), _("How often the child talks with the parents")]] + [
        [sv.answered_at, "、".join(_need_labels(sv.needs)), sv.get_parent_contact_display()] for sv in record.surveys
    ]
    reviews = [[_("Review due on"), _("Done at")]] + [[r.due_on, r.done_at] for r in record.reviews]
    consents = [[_("Purpose"), _("Recipient"), _("Sections shared"), _("Given how"), _("Given at"), _("Expires at"),
                 _("Revoked at")]] + [
        [c.purpose, c.agency.name if c.agency else c.agency_kind, "、".join(section_labels(c.sections)),
         c.get_method_display(), c.given_at, c.expires_at, c.revoked_at]
        for c in record.consents
    ]  # fmt: skip
    cases = [[_("Case opened at"), _("State")]] + [[c["opened_at"], c["state_label"]] for c in record.cases]
    reads = [[_("Read at"), _("Read by (role)"), _("What was read")]] + [
        [ev.at, "、".join(access.roles_read_as(ev.actor_roles)), what_was_read(ev.target_type)] for ev in log
    ]
    requests = [[_("Requested at"), _("Request"), _("What should change"), _("State"), _("Answer")]] + [
        [r.requested_at, r.get_kind_display(), r.detail, r.get_state_display(), r.answer] for r in record.requests
    ]
    return {
        _("Registry facts"): facts,
        _("Categories"): categories,
        _("Absent parents"): parents,
        _("Carer survey"): surveys,
        _("Reviews"): reviews,
        _("Consents"): consents,
        _("Cases"): cases,
        _("Access log"): reads,
        _("Requests"): requests,
    }


def _need_labels(needs) -> list[str]:
    labels = dict(CarerSurvey.Need.choices)
    return [str(labels.get(n, n)) for n in needs or []]


def section_labels(sections) -> list[str]:
    labels = dict(Section.choices)
    return [str(labels.get(s, s)) for s in sections or []]


def what_was_read(target_type: str) -> str:
    return {
        "directory.student": _("the child's school record"),
        "care.registryentry": _("the registry entry"),
        "care.case": _("a case file"),
    }.get(target_type, _("the record"))


def record_xlsx(record: access.ChildRecord, log: list) -> bytes:
    wb = Workbook(write_only=True)
    for title, rows in record_rows(record, log).items():
        ws = wb.create_sheet(title=str(title)[:31])
        for row in rows:
            ws.append([safe_cell(v) for v in row])
    ws = wb.create_sheet(title=_("About this copy")[:31])
    ws.append([_("Case records are kept by the counsellors; to read one, please make a request.")])
    ws.append([_("Made at"), safe_cell(timezone.now())])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
