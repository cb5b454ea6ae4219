"""Every write to the registry (建档立卡): propose, confirm or decline, change a fact with a reason, add or end a
category, record an absent parent, remove, record the periodic review and the carer survey.

Who may act is settled at the edge (access.py); these functions enforce the registry's rules (states, one open
entry per child, one open category of a kind, known categories and sources, 11-digit mobile numbers) and trust the
objects they are given. Every change leaves a RegistryChange (who, in which role, why, {field: [old, new]}) and an
audit row in the same transaction; a refused write raises ValidationError naming the reason and changes nothing.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Membership, Role
from xieyu.audit.services import audit_record
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_cancel, deadline_for, deadline_resolve, deadline_start, policy_get
from xieyu.deadlines.workcalendar import calendar_for
from xieyu.directory.models import Community, Student

from .access import role_on_entry
from .models import (
    AbsentParent,
    CarerSurvey,
    CarerType,
    Category,
    RegistryCategory,
    RegistryChange,
    RegistryEntry,
    RegistryReview,
    Source,
)

REVIEW_POLICY = "care.review"
PHONE = re.compile(r"^1[0-9]{10}$")
State = RegistryEntry.State
OPEN_STATES = (State.PROPOSED, State.CONFIRMED)
CARER_FIELDS = ("carer_name", "carer_relationship", "carer_type", "carer_phone", "carer_source", "carer_noted_on")
PLACE_FIELDS = ("village", "community")
FACT_FIELDS = CARER_FIELDS + PLACE_FIELDS


# --- semesters ---------------------------------------------------------------------------------------------------


def semester_end(day: datetime.date) -> datetime.date:
    """The last day of the semester `day` lies in: February–July ends on 31 July, August–January on 31 January."""
    if 2 <= day.month <= 7:
        return datetime.date(day.year, 7, 31)
    return datetime.date(day.year + 1 if day.month >= 8 else day.year, 1, 31)


def next_review_due(after: datetime.date, today: datetime.date) -> datetime.date:
    """The due day of the review that follows one due on `after`: the end of the next semester, or of the current
    one when the review was done late."""
    return semester_end(max(today, after + datetime.timedelta(days=1)))


# --- checks ------------------------------------------------------------------------------------------------------


def _text(value: Any, *, high: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if "\x00" in text:
        raise ValidationError(_("The text contains a character that is not allowed."), code="text")
    if len(text) > high:
        raise ValidationError(_("The text is too long: at most %(n)d characters.") % {"n": high}, code="too_long")
    return text


def _reason(reason: Any) -> str:
    text = _text(reason, high=200)
    if len(text) < 2:
        raise ValidationError(_("Say why (at least 2 characters): the history keeps the reason."), code="reason")
    return text


def _category(value: str) -> str:
    if value not in Category.values:
        raise ValidationError(_("Unknown registry category: %(value)s.") % {"value": value}, code="category")
    return value


def _source(value: str) -> str:
    if value not in Source.values:
        raise ValidationError(_("Say where the fact came from (a known source)."), code="source")
    return value


def _phone(value: Any, *, label: str) -> str:
    phone = (value or "").strip() if isinstance(value, str) else ""
    if phone and not PHONE.match(phone):
        raise ValidationError(
            _("%(field)s must be an 11-digit mobile number starting with 1.") % {"field": label}, code="phone"
        )
    return phone


def _date(value: Any, *, label: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValidationError(_("%(field)s is not a valid date.") % {"field": label}, code="date")
    if value > timezone.localdate():
        raise ValidationError(_("%(field)s cannot be in the future.") % {"field": label}, code="date")
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _history(*, actor, entry: RegistryEntry, action: str, reason: str, changes: dict | None = None) -> None:
    changes = {k: [_plain(a), _plain(b)] for k, (a, b) in (changes or {}).items()}
    RegistryChange.objects.create(
        entry=entry, actor=actor if getattr(actor, "pk", None) else None,
        actor_role=role_on_entry(actor, entry) if getattr(actor, "pk", None) else "",
        action=action, reason=reason[:200], changes=changes,
    )  # fmt: skip
    audit_record(actor=actor, action=f"care.registry.{action}", target=entry, changes=changes)


def _clean_carer(carer: dict[str, Any]) -> dict[str, Any]:
    """The carer fields given, checked (unknown keys are refused)."""
    unknown = set(carer) - set(CARER_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field: %(name)s.") % {"name": ", ".join(sorted(unknown))}, code="field")
    out: dict[str, Any] = {}
    if "carer_name" in carer:
        out["carer_name"] = _text(carer["carer_name"], high=50)
    if "carer_relationship" in carer:
        out["carer_relationship"] = _text(carer["carer_relationship"], high=24)
    if "carer_type" in carer:
        value = carer["carer_type"] or ""
        if value and value not in CarerType.values:
            raise ValidationError(_("Choose the carer type from the list."), code="carer_type")
        out["carer_type"] = value
    if "carer_phone" in carer:
        out["carer_phone"] = _phone(carer["carer_phone"], label=_("The carer's mobile number"))
    if "carer_source" in carer:
        value = carer["carer_source"] or ""
        out["carer_source"] = _source(value) if value else ""
    if "carer_noted_on" in carer:
        out["carer_noted_on"] = _date(carer["carer_noted_on"], label=_("The date the carer was noted"))
    return out


def _clean_place(entry_county_id: int, place: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "village" in place:
        out["village"] = _text(place["village"], high=80)
    if "community" in place:
        community = place["community"]
        if community is not None and (not isinstance(community, Community) or community.county_id != entry_county_id):
            raise ValidationError(_("Choose a village or community of the child's county."), code="community")
        out["community"] = community
    return out


def _clean_categories(categories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not categories:
        raise ValidationError(_("Choose at least one registry category."), code="category")
    seen, out = set(), []
    for c in categories:
        value = _category(c.get("category", ""))
        if value in seen:
            raise ValidationError(_("A category is given twice."), code="category")
        seen.add(value)
        out.append(
            {
                "category": value,
                "detail": _text(c.get("detail", ""), high=200),
                "source": _source(c.get("source", "")),
                "noted_on": _date(c.get("noted_on"), label=_("The date the fact was noted")) or timezone.localdate(),
            }
        )
    return out


# --- the entry's life --------------------------------------------------------------------------------------------


@transaction.atomic
def entry_propose(
    *,
    actor,
    student: Student,
    categories: list[dict[str, Any]],
    carer: dict[str, Any] | None = None,
    village: str = "",
    community: Community | None = None,
    absent_parents: list[dict[str, Any]] | None = None,
    note: str = "",
) -> RegistryEntry:
    """A head teacher or school admin proposes a pupil for the registry (the edge gave a pupil they may propose):
    categories, each with detail, source and date; the carer; where the child lives; the absent parents. A child
    has one open entry; a declined or removed entry is proposed again on the same row."""
    if student.status != Student.Status.ENROLLED:
        raise ValidationError(_("Only an enrolled pupil can be proposed for the registry."), code="student")
    cats = _clean_categories(categories)
    carer_values = _clean_carer(carer or {})
    place = _clean_place(student.school.county_id, {"village": village, "community": community})
    note = _text(note, high=200)
    entry = RegistryEntry.objects.select_for_update().filter(student=student).first()
    if entry is not None and entry.state in OPEN_STATES:
        raise ValidationError(
            _("%(name)s is already in the registry (%(state)s).")
            % {"name": student.name, "state": entry.get_state_display()},
            code="duplicate",
        )
    now = timezone.now()
    fields = {
        "county_id": student.school.county_id, "school_id": student.school_id, "state": State.PROPOSED,
        "proposed_by": actor, "proposed_at": now, "decided_by": None, "decided_at": None, "decision_note": "",
        "next_review_on": None, **place, **carer_values,
    }  # fmt: skip
    if entry is None:
        entry = RegistryEntry.objects.create(student=student, **fields)
    else:
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.save()
        RegistryCategory.objects.filter(entry=entry, ended_on__isnull=True).update(ended_on=timezone.localdate())
    RegistryCategory.objects.bulk_create([RegistryCategory(entry=entry, noted_by=actor, **c) for c in cats])
    for parent in absent_parents or []:
        _absent_parent_write(entry, parent)
    entry.student = student
    changes = {"state": [None, State.PROPOSED], "categories": [None, sorted(c["category"] for c in cats)]}
    changes |= {k: [None, v] for k, v in carer_values.items() if v}
    _history(actor=actor, entry=entry, action="propose", reason=note or _("Proposed for the registry"),
             changes=changes)  # fmt: skip
    return entry


def head_teacher_of(student: Student):
    """The head teacher of the pupil's class (the first, when a class has two), or None."""
    if not student.school_class_id:
        return None
    m = (
        Membership.objects.filter(
            role=Role.HEAD_TEACHER, school_class=student.school_class_id, is_active=True, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return m.user if m else None


def review_clock_start(cal, policy, due_on: datetime.date) -> datetime.datetime:
    """When a review's clock starts so that the engine's due (the policy's working days later, at the close of the
    day) is the last working day on or before `due_on`."""
    day = due_on if cal.is_working_day(due_on) else cal.previous_working_day(due_on)
    for _i in range(int(policy.resolution_amount or 0)):
        day = cal.previous_working_day(day)
    return cal.opens(day)


def review_title(student: Student) -> str:
    return _("Registry review: %(name)s") % {"name": student.name}


def _review_open(*, actor, entry: RegistryEntry, due_on: datetime.date) -> RegistryReview:
    """A review due on `due_on`, on the deadline engine: the clock is set so that the engine's due is the close of
    the last working day on or before `due_on`, and it escalates from the class's head teacher (or whoever opened
    it) to the school admins, then the county."""
    review = RegistryReview.objects.create(entry=entry, due_on=due_on)
    policy = policy_get(REVIEW_POLICY)
    cal = calendar_for(entry.county_id)
    owner = head_teacher_of(entry.student) or actor
    deadline_start(
        actor=actor, target=review, policy=policy, school=entry.school, owner=owner,
        title=review_title(entry.student), started_at=review_clock_start(cal, policy, due_on),
    )  # fmt: skip
    entry.next_review_on = due_on
    RegistryEntry.objects.filter(pk=entry.pk).update(next_review_on=due_on)
    return review


@transaction.atomic
def entry_confirm(*, actor, entry: RegistryEntry, note: str = "") -> RegistryEntry:
    """A school admin confirms a proposed entry: the child is registered and the first review is due at the end of
    the current semester."""
    entry = _locked(entry)
    if entry.state != State.PROPOSED:
        raise ValidationError(
            _("Only a proposed entry can be confirmed; this one is %(state)s.") % {"state": entry.get_state_display()},
            code="state",
        )
    if not RegistryCategory.objects.filter(entry=entry, ended_on__isnull=True).exists():
        raise ValidationError(_("The entry has no category: add one before confirming."), code="category")
    note = _text(note, high=200)
    entry.state, entry.decided_by, entry.decided_at, entry.decision_note = State.CONFIRMED, actor, timezone.now(), note
    entry.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "updated_at"])
    review = _review_open(actor=actor, entry=entry, due_on=semester_end(timezone.localdate()))
    _history(actor=actor, entry=entry, action="confirm", reason=note or _("Confirmed by the school"),
             changes={"state": [State.PROPOSED, State.CONFIRMED], "next_review_on": [None, review.due_on]})  # fmt: skip
    return entry


def _locked(entry: RegistryEntry) -> RegistryEntry:
    """The entry's row, locked for this transaction, keeping the relations the edge loaded."""
    fresh = RegistryEntry.objects.select_for_update().get(pk=entry.pk)
    for name in ("student", "school", "community"):
        if name in entry._state.fields_cache:
            setattr(fresh, name, getattr(entry, name))
    if hasattr(entry, "open_categories"):
        fresh.open_categories = entry.open_categories  # type: ignore[attr-defined]
    return fresh


@transaction.atomic
def entry_decline(*, actor, entry: RegistryEntry, reason: str) -> RegistryEntry:
    reason = _reason(reason)
    entry = _locked(entry)
    if entry.state != State.PROPOSED:
        raise ValidationError(
            _("Only a proposed entry can be declined; this one is %(state)s.") % {"state": entry.get_state_display()},
            code="state",
        )
    entry.state, entry.decided_by, entry.decided_at, entry.decision_note = State.DECLINED, actor, timezone.now(), reason
    entry.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "updated_at"])
    _history(actor=actor, entry=entry, action="decline", reason=reason,
             changes={"state": [State.PROPOSED, State.DECLINED]})  # fmt: skip
    return entry


def _check_open(entry: RegistryEntry) -> None:
    if entry.state not in OPEN_STATES:
        raise ValidationError(
            _("This entry is %(state)s: it can no longer be changed.") % {"state": entry.get_state_display()},
            code="state",
        )


@transaction.atomic
def entry_update_facts(*, actor, entry: RegistryEntry, changes: dict[str, Any], reason: str) -> RegistryEntry:
    """Change the carer or where the child lives, with a reason; the history keeps each field's old and new value."""
    reason = _reason(reason)
    unknown = set(changes) - set(FACT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown field: %(name)s.") % {"name": ", ".join(sorted(unknown))}, code="field")
    entry = _locked(entry)
    _check_open(entry)
    values = _clean_carer({k: v for k, v in changes.items() if k in CARER_FIELDS})
    values |= _clean_place(entry.county_id, {k: v for k, v in changes.items() if k in PLACE_FIELDS})
    diff = {}
    for name, value in values.items():
        old = getattr(entry, name)
        if (old.pk if hasattr(old, "pk") else old) != (value.pk if hasattr(value, "pk") else value):
            diff[name] = [old, value]
            setattr(entry, name, value)
    if not diff:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    entry.save(update_fields=[*diff, "updated_at"])
    _history(actor=actor, entry=entry, action="update", reason=reason, changes=diff)
    return entry


@transaction.atomic
def category_add(
    *, actor, entry: RegistryEntry, category: str, source: str, detail: str = "", noted_on=None, reason: str = ""
) -> RegistryCategory:
    [clean] = _clean_categories([{"category": category, "source": source, "detail": detail, "noted_on": noted_on}])
    entry = _locked(entry)
    _check_open(entry)
    if RegistryCategory.objects.filter(entry=entry, category=clean["category"], ended_on__isnull=True).exists():
        raise ValidationError(
            _("The entry already has the category “%(category)s”.") % {"category": Category(category).label},
            code="duplicate",
        )
    row = RegistryCategory.objects.create(entry=entry, noted_by=actor, **clean)
    entry.save(update_fields=["updated_at"])
    text = _text(reason, high=200) or Source(clean["source"]).label
    _history(actor=actor, entry=entry, action="category_add", reason=str(text),
             changes={"category": [None, clean["category"]], "detail": [None, clean["detail"]]})  # fmt: skip
    return row


@transaction.atomic
def category_end(*, actor, category: RegistryCategory, reason: str) -> RegistryCategory:
    """The category no longer applies (the parents came home): ended today, never deleted."""
    reason = _reason(reason)
    entry = _locked(category.entry)
    _check_open(entry)
    row = RegistryCategory.objects.select_for_update().get(pk=category.pk)
    if row.ended_on is not None:
        raise ValidationError(_("This category has already ended."), code="ended")
    row.ended_on = timezone.localdate()
    row.save(update_fields=["ended_on"])
    entry.save(update_fields=["updated_at"])
    _history(actor=actor, entry=entry, action="category_end", reason=reason,
             changes={"category": [row.category, None]})  # fmt: skip
    return row


def _absent_parent_write(entry: RegistryEntry, parent: dict[str, Any]) -> tuple[AbsentParent, dict[str, list[Any]]]:
    who = parent.get("who", "")
    if who not in AbsentParent.Who.values:
        raise ValidationError(_("Say which parent is away: the father or the mother."), code="who")
    values = {
        "name": _text(parent.get("name", ""), high=50),
        "phone": _phone(parent.get("phone", ""), label=_("The parent's mobile number")),
        "works_in": _text(parent.get("works_in", ""), high=80),
        "away_since": _date(parent.get("away_since"), label=_("The date the parent went away")),
        "source": _source(parent.get("source", "")),
        "noted_on": _date(parent.get("noted_on"), label=_("The date the fact was noted")) or timezone.localdate(),
    }
    row = AbsentParent.objects.filter(entry=entry, who=who).first()
    if row is None:
        row = AbsentParent.objects.create(entry=entry, who=who, **values)
        return row, {f"{who}.{k}": [None, v] for k, v in values.items() if v and k != "noted_on"}
    diff = {f"{who}.{k}": [getattr(row, k), v] for k, v in values.items() if getattr(row, k) != v and k != "noted_on"}
    for k, v in values.items():
        setattr(row, k, v)
    row.save()
    return row, diff


@transaction.atomic
def absent_parent_set(*, actor, entry: RegistryEntry, parent: dict[str, Any], reason: str = "") -> AbsentParent:
    """Record (or correct) the father or mother who lives away: name, mobile, where they work, since when."""
    entry = _locked(entry)
    _check_open(entry)
    row, diff = _absent_parent_write(entry, parent)
    if not diff:
        raise ValidationError(_("Nothing was changed."), code="unchanged")
    entry.save(update_fields=["updated_at"])
    text = _text(reason, high=200) or Source(row.source).label
    _history(actor=actor, entry=entry, action="absent_parent", reason=str(text), changes=diff)
    return row


@transaction.atomic
def entry_remove(*, actor, entry: RegistryEntry, reason: str) -> RegistryEntry:
    """A school admin takes the child off the registry, with a reason; the open review's clock stops."""
    reason = _reason(reason)
    entry = _locked(entry)
    _check_open(entry)
    before = entry.state
    for review in RegistryReview.objects.filter(entry=entry, done_at__isnull=True):
        d = deadline_for(review)
        if d is not None and d.state in Deadline.OPEN_STATES:
            deadline_cancel(actor=actor, deadline=d, reason=reason)
        review.delete()
    entry.state, entry.next_review_on = State.REMOVED, None
    entry.decided_by, entry.decided_at, entry.decision_note = actor, timezone.now(), reason
    entry.save(update_fields=["state", "next_review_on", "decided_by", "decided_at", "decision_note", "updated_at"])
    _history(actor=actor, entry=entry, action="remove", reason=reason, changes={"state": [before, State.REMOVED]})
    return entry


@transaction.atomic
def review_record(*, actor, review: RegistryReview, note: str) -> RegistryReview:
    """The periodic review is done: its note is kept, its deadline resolved, and the next review opened (due at the
    end of the next semester)."""
    note = _text(note, high=2000)
    if len(note) < 4:
        raise ValidationError(_("Write what the review found (at least 4 characters)."), code="note")
    review = (
        RegistryReview.objects.select_for_update()
        .select_related("entry", "entry__student", "entry__school")
        .get(pk=review.pk)
    )
    if review.done_at is not None:
        raise ValidationError(_("This review has already been recorded."), code="done")
    entry = review.entry
    if entry.state != State.CONFIRMED:
        raise ValidationError(_("Only a registered child is reviewed."), code="state")
    review.done_at, review.done_by, review.note = timezone.now(), actor, note
    review.save(update_fields=["done_at", "done_by", "note"])
    d = deadline_for(review)
    if d is not None and d.state in Deadline.OPEN_STATES:
        deadline_resolve(actor=actor, deadline=d)
    nxt = _review_open(actor=actor, entry=entry, due_on=next_review_due(review.due_on, timezone.localdate()))
    RegistryEntry.objects.filter(pk=entry.pk).update(updated_at=timezone.now())
    _history(actor=actor, entry=entry, action="review", reason=note[:200],
             changes={"next_review_on": [review.due_on, nxt.due_on]})  # fmt: skip
    return review


@transaction.atomic
def survey_record(
    *,
    actor,
    entry: RegistryEntry,
    needs: list[str],
    parent_contact: str,
    carer_age: int | None = None,
    carer_reads: bool = True,
    note: str = "",
) -> CarerSurvey:
    """The carer survey: what guidance the carer needs, how often the child talks with the parents, the carer's
    age, whether they can read notices, other needs."""
    _check_open(entry)
    needs = list(dict.fromkeys(needs or []))
    if any(n not in CarerSurvey.Need.values for n in needs):
        raise ValidationError(_("Choose the needs from the list."), code="needs")
    if parent_contact not in CarerSurvey.Contact.values:
        raise ValidationError(_("Say how often the child talks with the parents."), code="parent_contact")
    if carer_age is not None and (isinstance(carer_age, bool) or not 14 <= carer_age <= 110):
        raise ValidationError(_("The carer's age must be between 14 and 110."), code="carer_age")
    note = _text(note, high=300)
    survey = CarerSurvey.objects.create(
        entry=entry, needs=needs, parent_contact=parent_contact, carer_age=carer_age, carer_reads=bool(carer_reads),
        note=note, recorded_by=actor,
    )  # fmt: skip
    RegistryEntry.objects.filter(pk=entry.pk).update(updated_at=timezone.now())
    _history(actor=actor, entry=entry, action="survey", reason=_("Carer survey recorded"),
             changes={"survey": [None, survey.pk]})  # fmt: skip
    return survey
