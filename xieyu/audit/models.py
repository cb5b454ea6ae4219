"""Append-only records: who changed what (AuditEvent) and who read a child's record (AccessEvent).

Append-only is held twice: here, every ORM path that would change or remove a row raises `AppendOnlyError`;
in the database, triggers refuse UPDATE (and on PostgreSQL DELETE) of these tables (migration 0004).

The actor is a snapshot taken when the row is written: `actor_id` (a plain column, no foreign-key constraint and
no cascade), `actor_name` and `actor_roles`. Deleting a user leaves every row exactly as it was; `actor` then
points at nobody (`select_related("actor")` gives None) while the name and roles stay readable.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit records cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit records cannot be deleted")

    def _raw_delete(self, using):  # the deletion collector's fast path
        raise AppendOnlyError("audit records cannot be deleted")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        # Django's internals (the deletion collector, related managers) use the base manager: guard it too.
        base_manager_name = "objects"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit records cannot be deleted")


def _actor_field():
    # DO_NOTHING and no database constraint: deleting a user never touches an audit row (SET_NULL would UPDATE it).
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )


class AuditEvent(AppendOnlyModel):
    """One write: actor, action, target and the changed fields as {field: [old, new]}."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = _actor_field()
    actor_name = models.CharField(max_length=100, blank=True)
    # The staff roles the actor held, as "role:unit id" joined by commas ("head_teacher:12,teacher:3"); empty for
    # someone with none (a parent), for the system, and for rows written before the snapshot existed.
    actor_roles = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    target_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta(AppendOnlyModel.Meta):
        indexes = [models.Index(fields=["target_type", "target_id"])]
        ordering = ["-at"]


class AccessEvent(AppendOnlyModel):
    """One read of a protected record (a student's full record, a case file …)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = _actor_field()
    actor_name = models.CharField(max_length=100, blank=True)
    actor_roles = models.CharField(max_length=200, blank=True)  # as on AuditEvent
    target_type = models.CharField(max_length=60)
    target_id = models.CharField(max_length=40)
    purpose = models.CharField(max_length=60)
    # What was read and why, where the purpose alone does not say: {"sections": [...], "reason": "..."} for a case.
    # Nullable with no default so adding it never rewrites the table (and never fires its append-only triggers).
    detail = models.JSONField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta(AppendOnlyModel.Meta):
        indexes = [models.Index(fields=["target_type", "target_id"])]
        ordering = ["-at"]
