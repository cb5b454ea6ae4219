"""Audit and access rows are written once and never changed: by the ORM, by deleting a user, by raw SQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from xieyu.accounts.models import User
from xieyu.audit.models import AccessEvent, AppendOnlyError, AuditEvent
from xieyu.audit.services import access_record, audit_bulk, audit_record

MODELS = [AuditEvent, AccessEvent]
TABLES = [m._meta.db_table for m in MODELS]


def _rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")  # noqa: S608 - a fixed table name
        return cursor.fetchall()


@pytest.fixture
def written(cast):
    """One audit row and one access row by head teacher Li about Zhang Xiaoming."""
    student = cast.students["zhang_xiaoming"]
    return (
        audit_record(actor=cast.head_teacher_li, action="student.update", target=student, changes={"name": ["a", "b"]}),
        access_record(actor=cast.head_teacher_li, target=student, purpose="student.detail"),
    )


# --- the snapshot ------------------------------------------------------------------------------------------------


def test_each_row_keeps_who_acted_and_in_which_roles(cast, written):
    event, access = written
    for row in (event, access):
        row.refresh_from_db()
        assert (row.actor_id, row.actor_name, row.actor_roles) == (
            cast.head_teacher_li.pk, "李娜", f"head_teacher:{cast.class_a1.pk}"
        )  # fmt: skip


def test_a_parent_has_no_staff_role_and_the_system_no_name(cast):
    student = cast.students["zhang_xiaoming"]
    by_parent = audit_record(actor=cast.parent_zhang, action="x.test", target=student)
    by_system = audit_record(actor=None, action="x.test", target=student)
    assert (by_parent.actor_id, by_parent.actor_name, by_parent.actor_roles) == (cast.parent_zhang.pk, "张伟", "")
    assert (by_system.actor_id, by_system.actor_name, by_system.actor_roles) == (None, "", "")


def test_a_bulk_write_keeps_the_snapshot_on_every_row(cast):
    students = list(cast.students.values())[:3]
    audit_bulk(actor=cast.school_admin_liu, action="x.bulk", targets=students)
    rows = AuditEvent.objects.filter(action="x.bulk")
    assert {(r.actor_id, r.actor_name, r.actor_roles) for r in rows} == {
        (cast.school_admin_liu.pk, "刘芳", f"school_admin:{cast.school_a.pk}")
    }
    assert rows.count() == 3


def test_deleting_a_user_leaves_every_audit_and_access_row_as_it_was(cast):
    user = User.objects.create_user("13900000001", name="临时老师")
    student = cast.students["zhang_xiaoming"]
    audit_record(actor=user, action="student.update", target=student, changes={"name": ["a", "b"]})
    audit_bulk(actor=user, action="student.create", targets=[student])
    access_record(actor=user, target=student, purpose="student.detail")
    before = {t: _rows(t) for t in TABLES}
    user_pk = user.pk

    with CaptureQueriesContext(connection) as ctx:
        user.delete()

    assert not [q["sql"] for q in ctx if "audit_" in q["sql"]]  # the deletion never reaches the audit tables
    assert {t: _rows(t) for t in TABLES} == before
    for model in MODELS:
        for row in model.objects.select_related("actor").filter(actor_id=user_pk):
            assert (row.actor, row.actor_name) == (None, "临时老师")


# --- the application's guard -------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_orm_refuses_every_way_of_changing_or_removing_a_row(written, model):
    row = model.objects.get(pk=next(w.pk for w in written if isinstance(w, model)))
    before = _rows(model._meta.db_table)
    attempts = {
        "queryset update": lambda: model.objects.filter(pk=row.pk).update(target_id="0"),
        "queryset delete": lambda: model.objects.filter(pk=row.pk).delete(),
        "base manager update": lambda: model._base_manager.filter(pk=row.pk).update(target_id="0"),
        "base manager delete": lambda: model._base_manager.all().delete(),
        "bulk update": lambda: model.objects.bulk_update([row], ["target_id"]),
        "save an existing row": lambda: row.save(),
        "save a fetched row": lambda: model.objects.get(pk=row.pk).save(update_fields=["target_id"]),
        "delete a row": lambda: row.delete(),
    }
    for name, attempt in attempts.items():
        with pytest.raises(AppendOnlyError), transaction.atomic():  # bulk_update marks its transaction broken
            attempt()
            pytest.fail(f"{name} was allowed")
    assert _rows(model._meta.db_table) == before


def test_a_new_row_is_still_written(cast):
    row = AuditEvent(action="x.new", target_type="x", target_id="1")
    row.save()
    assert AuditEvent.objects.filter(pk=row.pk).exists()


# --- the database's guard ----------------------------------------------------------------------------------------


def _raw(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.parametrize("table", TABLES)
def test_the_database_refuses_an_update(written, table):
    before = _rows(table)
    with pytest.raises(IntegrityError, match="append-only"):
        _raw(f"UPDATE {table} SET target_id = '0'")  # noqa: S608
    assert _rows(table) == before


@pytest.mark.parametrize("table", TABLES)
def test_the_database_refuses_a_delete(written, table):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite refuses UPDATE only: Django flushes its test databases with DELETE FROM")
    before = _rows(table)
    with pytest.raises(IntegrityError, match="append-only"):
        _raw(f"DELETE FROM {table}")  # noqa: S608
    assert _rows(table) == before


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_snapshot_get_their_actors_name_and_the_guard_comes_back():
    user = User.objects.create_user("13900000002", name="老用户")
    executor = MigrationExecutor(connection)
    old = executor.loader.project_state(("audit", "0002_actor_snapshot")).apps
    latest = [key for key in executor.loader.graph.leaf_nodes() if key[0] == "audit"]
    try:
        executor.migrate([("audit", "0002_actor_snapshot")])
        Old = old.get_model("audit", "AuditEvent")
        Old.objects.create(actor_id=user.pk, action="x.old", target_type="x", target_id="1")
        Old.objects.create(actor_id=None, action="x.old", target_type="x", target_id="2")
    finally:
        MigrationExecutor(connection).migrate(latest)
    assert sorted(AuditEvent.objects.filter(action="x.old").values_list("actor_name", flat=True)) == ["", "老用户"]
    with pytest.raises(IntegrityError, match="append-only"):
        _raw("UPDATE audit_auditevent SET target_id = '0'")
