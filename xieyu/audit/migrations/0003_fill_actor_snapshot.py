"""Fill the actor snapshot of rows written before it existed: the name their actor has now.

The roles such a row was written under are not known (memberships may have changed since), so they stay blank.
Runs before the database guard (0004), which would refuse these updates.
"""

from django.conf import settings
from django.db import migrations


def fill(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for name in ("AuditEvent", "AccessEvent"):
        Event = apps.get_model("audit", name)
        unnamed = Event.objects.filter(actor_id__isnull=False, actor_name="").order_by().values("actor_id")
        for user_id, user_name in User.objects.filter(pk__in=unnamed).values_list("pk", "name").iterator():
            Event.objects.filter(actor_id=user_id, actor_name="").update(actor_name=user_name[:100])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_actor_snapshot"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
