"""The database refuses to change or remove audit rows, whatever path the change comes by (raw SQL, another tool).

PostgreSQL: a BEFORE UPDATE OR DELETE row trigger on both tables raises `restrict_violation`. TRUNCATE is not
refused (test databases are flushed with it); deny it by not letting the application's role own these tables.

SQLite: a BEFORE UPDATE trigger on both tables. DELETE is refused in the application only: Django flushes a SQLite
test database with DELETE FROM, which a DELETE trigger would refuse (docs/architecture.md, "Audit").

A later migration that alters these tables on SQLite rebuilds them and drops the triggers with them: re-create them
in that migration (xieyu/audit/tests/test_append_only.py fails until it does).
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_accessevent")
MESSAGE = "audit records are append-only"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)  # the % are RAISE's, not placeholders
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE on {table} refused'); END"
            )


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_refuse_change()")
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_fill_actor_snapshot")]

    operations = [migrations.RunPython(install, remove)]
