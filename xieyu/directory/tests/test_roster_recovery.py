"""A worker that dies mid-check or mid-commit: the school admin is not left waiting for ever.

The commit's transaction rolled back, so nothing was written; once the claim is older than
settings.ROSTER_STALE_SECONDS (15 minutes), the scheduler's recovery job (or the admin's click) frees it.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from xieyu.audit.models import AuditEvent
from xieyu.core.scheduler import autodiscover
from xieyu.directory import roster
from xieyu.directory.models import ClassHistory, Guardian, RosterImport, Student
from xieyu.directory.tasks import commit_roster_import, recover_stale_roster_imports, validate_roster_import

from .roster_files import xlsx
from .test_roster import THREE_CHILDREN, THREE_NUMBERS, commit, detail, students_of, upload_and_check

S = RosterImport.Status
NUMBERS = set(THREE_NUMBERS)
NOTE = "The last import was interrupted and nothing was written. Please import the file again."


def later(minutes: int):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes))


def worker_died_running(task) -> None:
    """A worker took the queued job and died: the job stays "running" and no worker takes it again."""
    taken = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    assert taken == 1


def queued(task) -> int:
    return DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY).count()


def request_commit(client, imp: RosterImport) -> RosterImport:
    assert client.post(reverse("directory:import_commit", args=[imp.pk])).status_code == 302
    imp.refresh_from_db()
    return imp


def the_files_rows_exactly(school) -> None:
    students = Student.objects.filter(school=school, student_number__in=NUMBERS)
    assert sorted(students.values_list("student_number", flat=True)) == sorted(NUMBERS)  # each once
    assert ClassHistory.objects.filter(student__in=students).count() == 3
    assert AuditEvent.objects.filter(action="roster_import.commit").count() == 1


@pytest.fixture
def admin_with_a_valid_import(cast, client_for, run_tasks):
    client = client_for("school_admin_liu")
    imp = upload_and_check(client, cast.school_a, xlsx(THREE_CHILDREN), run_tasks)
    assert imp.status == S.VALID
    return client, imp


def test_a_commit_whose_worker_died_is_freed_once_and_then_imports_the_file_exactly(
    cast, admin_with_a_valid_import, run_tasks
):
    client, imp = admin_with_a_valid_import
    students, guardians = students_of(cast.school_a), Guardian.objects.count()
    imp = request_commit(client, imp)
    assert imp.status == S.COMMITTING and imp.claimed_at is not None
    worker_died_running(commit_roster_import)

    with later(minutes=20):
        recover_stale_roster_imports.enqueue()
        recover_stale_roster_imports.enqueue()  # two recoveries (two schedulers, or one run again)
        run_tasks()
        ran = DBTaskResult.objects.filter(task_path=recover_stale_roster_imports.module_path)
        assert sorted(ran.values_list("return_value", flat=True)) == [0, 1]
        imp.refresh_from_db()
        assert imp.status == S.VALID and imp.claimed_at is None
        assert AuditEvent.objects.filter(action="roster_import.recover", target_id=str(imp.pk)).count() == 1
        assert students_of(cast.school_a) == students  # nothing was written

        page = detail(client, imp)
        assert escape(gettext(NOTE)) in page
        assert gettext("Import now") in page and "hx-trigger" not in page

        imp = commit(client, imp, run_tasks)
    assert imp.status == S.DONE
    assert escape(gettext(NOTE)) not in detail(client, imp)
    assert students_of(cast.school_a) == students + 3
    assert Guardian.objects.count() == guardians + 4  # 王建, 林芳, 王奶奶, 孙立新
    the_files_rows_exactly(cast.school_a)


def test_the_admin_sees_an_interrupted_commit_before_the_scheduler_and_can_import_at_once(
    cast, admin_with_a_valid_import, run_tasks
):
    client, imp = admin_with_a_valid_import
    imp = request_commit(client, imp)
    worker_died_running(commit_roster_import)
    with later(minutes=20):
        page = detail(client, imp)
        assert escape(gettext(NOTE)) in page
        assert gettext("Import now") in page and "hx-trigger" not in page
        listing = client.get(reverse("directory:roster_upload", args=[cast.school_a.pk])).content.decode()
        assert gettext("interrupted") in listing
        imp = commit(client, imp, run_tasks)  # the click frees the dead claim and commits anew
    assert imp.status == S.DONE
    assert AuditEvent.objects.filter(action="roster_import.recover").count() == 1
    the_files_rows_exactly(cast.school_a)


def test_a_fresh_commit_is_left_alone_and_still_shows_its_progress(cast, admin_with_a_valid_import, run_tasks):
    client, imp = admin_with_a_valid_import
    students = students_of(cast.school_a)
    imp = request_commit(client, imp)
    claimed_at = imp.claimed_at
    with later(minutes=5):  # the worker is busy with other jobs; the commit waits its turn
        assert roster.roster_imports_recover_stale() == []
        imp.refresh_from_db()
        assert imp.status == S.COMMITTING and imp.claimed_at == claimed_at
        page = detail(client, imp)
        assert 'hx-trigger="every 1s"' in page and gettext("Import now") not in page
        assert escape(gettext(NOTE)) not in page
        run_tasks()
    imp.refresh_from_db()
    assert imp.status == S.DONE
    assert students_of(cast.school_a) == students + 3
    assert not AuditEvent.objects.filter(action="roster_import.recover").exists()


def test_a_stalled_commit_job_that_wakes_after_its_claim_was_freed_writes_nothing(
    cast, admin_with_a_valid_import, run_tasks, monkeypatch
):
    """The worker froze before its transaction; meanwhile the claim was freed and the admin committed again."""
    client, imp = admin_with_a_valid_import
    students = students_of(cast.school_a)
    request_commit(client, imp)
    real_decode = roster.apply.decode_rows

    def decode_while_frozen(data):
        with later(minutes=20):
            assert roster.roster_import_recover(roster_import_id=imp.pk)
            request_commit(client, imp)  # a new claim and a new job
        return real_decode(data)

    monkeypatch.setattr(roster.apply, "decode_rows", decode_while_frozen)
    roster.roster_import_commit(roster_import_id=imp.pk)  # the frozen worker wakes up
    imp.refresh_from_db()
    assert imp.status == S.COMMITTING and students_of(cast.school_a) == students  # it wrote nothing

    monkeypatch.setattr(roster.apply, "decode_rows", real_decode)
    run_tasks()  # the first job (never taken) and the new one: one commit between them
    imp.refresh_from_db()
    assert imp.status == S.DONE
    assert students_of(cast.school_a) == students + 3
    the_files_rows_exactly(cast.school_a)


def test_a_check_whose_worker_died_is_queued_again_once(cast, client_for, run_tasks):
    imp = roster.roster_import_create(
        actor=cast.school_admin_liu, school=cast.school_a, file_name="a.xlsx", data=xlsx(THREE_CHILDREN)
    )
    worker_died_running(validate_roster_import)
    RosterImport.objects.filter(pk=imp.pk).update(status=S.VALIDATING, claimed_at=timezone.now(), processed_rows=2)
    with later(minutes=10):
        assert roster.roster_imports_recover_stale() == []  # not stale yet
    with later(minutes=20):
        assert roster.roster_imports_recover_stale() == [imp.pk]
        assert roster.roster_imports_recover_stale() == []
        imp.refresh_from_db()
        assert imp.status == S.UPLOADED and imp.processed_rows == 0
        assert queued(validate_roster_import) == 1
        run_tasks()
    imp.refresh_from_db()
    assert imp.status == S.VALID and imp.summary["students_new"] == 3


def test_a_check_that_keeps_reporting_progress_is_not_stale(cast):
    imp = roster.roster_import_create(
        actor=cast.school_admin_liu, school=cast.school_a, file_name="a.xlsx", data=xlsx(THREE_CHILDREN)
    )
    with later(minutes=-30):
        RosterImport.objects.filter(pk=imp.pk).update(status=S.VALIDATING, claimed_at=timezone.now())
    roster.apply._progress(imp.pk, S.VALIDATING)(1000, 30000)  # the check moved on a moment ago
    assert roster.roster_imports_recover_stale() == []
    imp.refresh_from_db()
    assert imp.status == S.VALIDATING and imp.processed_rows == 1000


def test_the_recovery_is_a_scheduler_job_every_five_minutes():
    job = autodiscover()["directory.roster_recover"]
    assert job.every == 300
