"""Applying a checked plan, and the import's lifecycle: create, validate, commit, recover.

1. ``roster_import_create`` — the upload: cheap checks of the file (size, real .xlsx, header row, not empty);
   a bad file gets a clear message and nothing is stored. A good one becomes a ``RosterImport`` row and a
   validation job, in one transaction.
2. ``roster_import_validate`` (worker) — reads every row, names every problem by row and column, checks the
   file against the database and counts what a commit would change.
3. ``roster_import_commit_request`` — a school admin asks to import a valid file: the row is claimed with a
   conditional update (valid → committing) and a commit job is queued, so a double click queues nothing.
4. ``roster_import_commit`` (worker) — re-checks the kept rows against the database and writes all of them in
   ONE transaction with bulk operations (students, class history, guardians, guardianships, audit rows). Any
   problem rolls everything back.
5. ``roster_import_recover`` (a scheduler job every five minutes, and the commit button) — a worker that dies
   mid-check or mid-commit leaves its claim behind (``claimed_at``, renewed by a check's progress). Once older
   than ``settings.ROSTER_STALE_SECONDS`` (15 minutes), a check is queued again and a commit, whose transaction
   rolled back, goes back to valid with a note, to be committed again. Conditional updates: never twice.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from xieyu.audit.services import audit_bulk, audit_record, snapshot

from ..models import ClassHistory, Guardian, Guardianship, RosterImport, School, Student
from ..services import GUARDIANSHIP_FIELDS, STUDENT_FIELDS
from ..tallies import tallies_refresh
from ..tasks import commit_roster_import, validate_roster_import
from .plan import Plan, check_against_database, check_classes_exist, plan_import
from .reader import Problems, RosterFileError, check_roster_file, decode_rows, encode_rows, read_roster

log = logging.getLogger(__name__)


class NotCommittable(Exception):
    """Only a valid import can be committed."""


def _apply(plan: Plan, *, school: School, actor) -> None:
    """Write the plan with bulk operations (inside the caller's transaction)."""
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    batch = 500

    # Students: new ones, changed fields, class moves.
    created = Student.objects.bulk_create(
        [
            Student(
                name=r.name, gender=r.gender, birth_date=r.birth_date, student_number=r.student_number,
                school_id=school.pk, school_class_id=r.class_id, status=Student.Status.ENROLLED,
                created_at=now, updated_at=now,
            )
            for r in plan.new_students
        ],
        batch_size=batch,
    )  # fmt: skip
    student_ids = dict(plan.student_ids)
    for r, student in zip(plan.new_students, created, strict=True):
        student_ids[r.row] = student.pk
    updated: dict[int, Student] = {}
    for r, pk, _changes in plan.changed_students:
        updated[pk] = Student(
            pk=pk, name=r.name, gender=r.gender, birth_date=r.birth_date, student_number=r.student_number,
            school_id=school.pk, school_class_id=r.class_id, status=Student.Status.ENROLLED, updated_at=now,
        )  # fmt: skip
    for r, pk, _from_class in plan.transfers:
        updated.setdefault(
            pk,
            Student(
                pk=pk, name=r.name, gender=r.gender, birth_date=r.birth_date, student_number=r.student_number,
                school_id=school.pk, school_class_id=r.class_id, status=Student.Status.ENROLLED, updated_at=now,
            ),
        )  # fmt: skip
    Student.objects.bulk_update(
        list(updated.values()),
        ["name", "gender", "birth_date", "student_number", "school_class", "status", "updated_at"],
        batch_size=batch,
    )
    ClassHistory.objects.bulk_create(
        [
            ClassHistory(student_id=s.pk, from_class_id=None, to_class_id=s.school_class_id, moved_at=now,
                         actor_id=actor_id, note="enrol (roster import)")
            for s in created
        ]
        + [
            ClassHistory(student_id=pk, from_class_id=from_class, to_class_id=r.class_id, moved_at=now,
                         actor_id=actor_id, note="roster import")
            for r, pk, from_class in plan.transfers
        ],
        batch_size=batch,
    )  # fmt: skip
    audit_bulk(
        actor=actor,
        action="student.create",
        targets=created,
        changes_for=lambda s: {f: [None, v] for f, v in _student_snapshot(s).items()},
    )
    changes_by_pk = {pk: changes for _r, pk, changes in plan.changed_students}
    audit_bulk(
        actor=actor,
        action="student.update",
        targets=[updated[pk] for pk in changes_by_pk],
        changes_for=lambda s: changes_by_pk[s.pk],
    )
    moves = {pk: (from_class, r.class_id) for r, pk, from_class in plan.transfers}
    audit_bulk(
        actor=actor,
        action="student.transfer",
        targets=[updated[pk] for pk in moves],
        changes_for=lambda s: {"school_class": list(moves[s.pk])},
    )

    # Guardians: one per mobile number (shared by siblings and across schools); phoneless ones per student.
    keys = list(plan.new_guardians)
    new_guardians = Guardian.objects.bulk_create(
        [Guardian(name=name, phone=phone, created_at=now) for name, phone in plan.new_guardians.values()],
        batch_size=batch,
    )
    guardian_ids: dict[str, int] = {key: g.pk for key, g in zip(keys, new_guardians, strict=True)}

    # Guardianships: the school's roster is authoritative, so imported bindings are confirmed.
    links = []
    for r, g, guardian in plan.new_links:
        links.append(
            Guardianship(
                student_id=student_ids[r.row], guardian_id=guardian if isinstance(guardian, int) else guardian_ids[guardian],
                relationship=g.relationship, is_primary_carer=g.is_primary_carer, lives_with_child=g.lives_with_child,
                status=Guardianship.Status.CONFIRMED, created_at=now, decided_by_id=actor_id, decided_at=now,
            )
        )  # fmt: skip
    links = Guardianship.objects.bulk_create(links, batch_size=batch)
    audit_bulk(
        actor=actor,
        action="guardianship.create",
        targets=links,
        changes_for=lambda link: {f: [None, getattr(link, f)] for f in GUARDIANSHIP_FIELDS},
    )
    changed = [
        Guardianship(
            pk=pk, relationship=g.relationship, is_primary_carer=g.is_primary_carer,
            lives_with_child=g.lives_with_child, status=Guardianship.Status.CONFIRMED,
            decided_by_id=actor_id, decided_at=now,
        )
        for pk, g, _changes in plan.changed_links
    ]  # fmt: skip
    Guardianship.objects.bulk_update(
        changed,
        ["relationship", "is_primary_carer", "lives_with_child", "status", "decided_by", "decided_at"],
        batch_size=batch,
    )
    link_changes = {pk: changes for pk, _g, changes in plan.changed_links}
    audit_bulk(
        actor=actor, action="guardianship.update", targets=changed, changes_for=lambda link: link_changes[link.pk]
    )


def _student_snapshot(student: Student) -> dict[str, Any]:
    return snapshot(student, STUDENT_FIELDS)


# --- the lifecycle -----------------------------------------------------------------------------------------


def roster_import_create(*, actor, school: School, file_name: str, data: bytes) -> RosterImport:
    """Store an uploaded roster and queue its check. A file that cannot be ours raises RosterFileError, storing
    nothing. The file is looked at before the transaction opens (SQLite: no write lock while reading it); the
    job row then commits in the same transaction as the import it serves."""
    estimate = check_roster_file(data)
    return _roster_import_store(actor=actor, school=school, file_name=file_name, data=data, estimate=estimate)


@transaction.atomic
def _roster_import_store(*, actor, school: School, file_name: str, data: bytes, estimate: int) -> RosterImport:

    roster_import = RosterImport.objects.create(
        school=school,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        file_name=(file_name or "roster.xlsx")[-200:],
        file_size=len(data),
        file_data=data,
        total_rows=estimate,
    )
    audit_record(actor=actor, action="roster_import.upload", target=roster_import)
    validate_roster_import.enqueue(roster_import.pk)
    return roster_import


def _progress(pk: int, status: str) -> Callable[[int, int | None], None]:
    def report(done: int, estimate: int | None) -> None:
        fields: dict[str, Any] = {"processed_rows": done, "claimed_at": timezone.now()}  # alive: renew the claim
        if estimate:
            fields["total_rows"] = max(estimate, done)
        RosterImport.objects.filter(pk=pk, status=status).update(**fields)

    return report


def _finish(pk: int, from_status: str, **fields) -> int:
    return RosterImport.objects.filter(pk=pk, status=from_status).update(**fields)


def roster_import_validate(*, roster_import_id: int) -> None:
    """Check every row of an uploaded file (worker). Not one transaction: its progress must be seen while it runs.

    Only reads the directory; the import row is claimed (uploaded → validating) so a finished check is not
    re-run. A check cut short by a crash is simply run again.
    """
    S = RosterImport.Status
    claimed = RosterImport.objects.filter(pk=roster_import_id, status__in=[S.UPLOADED, S.VALIDATING]).update(
        status=S.VALIDATING, processed_rows=0, claimed_at=timezone.now()
    )
    if not claimed:
        return
    roster_import = RosterImport.objects.select_related("school").get(pk=roster_import_id)
    started = time.monotonic()
    with override(settings.LANGUAGE_CODE):
        try:
            parsed = read_roster(
                bytes(roster_import.file_data), roster_import.school, progress=_progress(roster_import.pk, S.VALIDATING)
            )
        except RosterFileError as exc:
            _finish(
                roster_import.pk, S.VALIDATING, status=S.FAILED, message=exc.message[:300], validated_at=timezone.now()
            )
            return
        except Exception:
            _finish(roster_import.pk, S.VALIDATING, status=S.FAILED, message=_unexpected(), validated_at=timezone.now())
            raise
        known = check_against_database(roster_import.school, parsed.rows, parsed.problems)
        summary = {} if parsed.problems else plan_import(roster_import.school, parsed.rows, known).summary()
    _finish(
        roster_import.pk,
        S.VALIDATING,
        status=S.INVALID if parsed.problems else S.VALID,
        parsed_rows=None if parsed.problems else encode_rows(parsed.rows),
        total_rows=parsed.total,
        processed_rows=parsed.total,
        error_count=parsed.problems.count,
        errors=parsed.problems.sorted(),
        summary=summary,
        validated_at=timezone.now(),
        validate_seconds=round(time.monotonic() - started, 2),
    )


def _unexpected() -> str:
    return _("Something went wrong while handling this file; nothing was changed. Please try again later.")


@transaction.atomic
def roster_import_commit_request(*, actor, roster_import: RosterImport) -> RosterImport:
    """Claim a valid import for committing (valid → committing) and queue the commit job.

    Raises NotCommittable unless the import is valid (a second click finds it committing already).
    """

    S = RosterImport.Status
    if roster_import.commit_interrupted:  # its worker died: free it first (the scheduler may not have yet)
        roster_import_recover(roster_import_id=roster_import.pk)
    now = timezone.now()
    claimed = RosterImport.objects.filter(pk=roster_import.pk, status=S.VALID).update(
        status=S.COMMITTING,
        committed_by=actor if getattr(actor, "pk", None) else None,
        commit_started_at=now,
        claimed_at=now,
        processed_rows=0,
        message="",
    )
    if not claimed:
        raise NotCommittable(roster_import.pk)
    commit_roster_import.enqueue(roster_import.pk)
    roster_import.refresh_from_db(
        fields=["status", "committed_by", "commit_started_at", "claimed_at", "processed_rows", "message"]
    )
    return roster_import


class _StillInvalid(Exception):
    def __init__(self, problems: Problems):
        self.problems = problems


def roster_import_commit(*, roster_import_id: int) -> None:
    """Import a claimed, checked file (worker): all of it in one transaction, or nothing.

    It writes the rows kept by the check (what the preview counted), checked again against the database inside
    the transaction. There the import is claimed once more with a conditional update, so a second worker waits
    and then finds it done, and a crash rolls everything back and leaves it to roster_import_recover. The claim
    must still be the one this job read (``claimed_at``): a job that wakes up after its stale claim was freed and
    committed anew does nothing. The acting user is whoever asked for the commit.
    """
    S = RosterImport.Status
    roster_import = (
        RosterImport.objects.select_related("school", "committed_by")
        .filter(pk=roster_import_id, status=S.COMMITTING)
        .first()
    )
    if roster_import is None:
        return
    school, actor = roster_import.school, roster_import.committed_by
    started = time.monotonic()
    with override(settings.LANGUAGE_CODE):
        try:
            rows = decode_rows(bytes(roster_import.parsed_rows or b""))
            with transaction.atomic():
                claimed = RosterImport.objects.filter(
                    pk=roster_import.pk, status=S.COMMITTING, claimed_at=roster_import.claimed_at
                )
                if not claimed.update(status=S.COMMITTING):
                    return  # another worker committed it while this one was starting, or its claim was freed
                problems = Problems()
                check_classes_exist(school, rows, problems)
                known = check_against_database(school, rows, problems)
                if problems:
                    raise _StillInvalid(problems)
                plan = plan_import(school, rows, known)
                _apply(plan, school=school, actor=actor)
                tallies_refresh([school.pk])  # bulk writes send no signals: recount the school here
                summary = plan.summary()
                audit_record(actor=actor, action="roster_import.commit", target=roster_import, changes={
                    key: [None, value] for key, value in summary.items()
                })  # fmt: skip
                _finish(
                    roster_import.pk,
                    S.COMMITTING,
                    status=S.DONE,
                    summary=summary,
                    processed_rows=len(rows),
                    parsed_rows=None,
                    committed_at=timezone.now(),
                    commit_seconds=round(time.monotonic() - started, 2),
                )
        except _StillInvalid as exc:
            _finish(
                roster_import.pk,
                S.COMMITTING,
                status=S.INVALID,
                error_count=exc.problems.count,
                errors=exc.problems.sorted(),
                summary={},
                parsed_rows=None,
            )
        except Exception:
            log.exception("roster import %s failed", roster_import.pk)
            _finish(roster_import.pk, S.COMMITTING, status=S.FAILED, message=_unexpected())
            raise


def interrupted_note() -> str:
    return _("The last import was interrupted and nothing was written. Please import the file again.")


def roster_import_recover(*, roster_import_id: int, now: datetime.datetime | None = None) -> bool:
    """Free a stale claim (its worker died); True if this call freed it.

    A stale check goes back to uploaded with a new check job; a stale commit goes back to valid with a note
    (its transaction rolled back, so nothing was written) and is committed again by the admin. One conditional
    UPDATE decides, so two recoveries at once free it once. On PostgreSQL a commit still running holds the row
    in its transaction: it is skipped rather than waited for, as it may yet finish. (SQLite has no row locks;
    the transaction waits for the writer, then finds the commit done.)
    """

    S = RosterImport.Status
    stale = RosterImport.objects.filter(
        pk=roster_import_id, status__in=[S.VALIDATING, S.COMMITTING], claimed_at__lt=RosterImport.stale_before(now)
    )
    with transaction.atomic():
        found = stale.select_for_update(skip_locked=True).only("pk", "file_name", "status").first()
        if found is None:
            return False
        if found.status == S.VALIDATING:
            to_status = S.UPLOADED
            freed = stale.filter(status=S.VALIDATING).update(status=to_status, processed_rows=0, claimed_at=None)
            if freed:
                validate_roster_import.enqueue(roster_import_id)
        else:
            to_status = S.VALID
            with override(settings.LANGUAGE_CODE):
                note = interrupted_note()
            freed = stale.filter(status=S.COMMITTING).update(
                status=to_status, processed_rows=F("total_rows"), claimed_at=None, message=note[:300]
            )
        if not freed:
            return False
        audit_record(
            actor=None, action="roster_import.recover", target=found, changes={"status": [found.status, to_status]}
        )
    log.warning("roster import %s: stale %s claim freed", roster_import_id, found.status)
    return True


def roster_imports_recover_stale(*, now: datetime.datetime | None = None) -> list[int]:
    """Free every stale claim (the scheduler job); the ids freed."""
    candidates = RosterImport.objects.filter(
        status__in=[RosterImport.Status.VALIDATING, RosterImport.Status.COMMITTING],
        claimed_at__lt=RosterImport.stale_before(now),
    ).values_list("pk", flat=True)
    return [pk for pk in list(candidates) if roster_import_recover(roster_import_id=pk, now=now)]
