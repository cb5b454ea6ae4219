from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def from_notices(apps, schema_editor):
    """A wave reminded by a notice before this field existed keeps that notice's time."""
    Wave = apps.get_model("surveys", "Wave")
    Notice = apps.get_model("notices", "Notice")
    sent = Notice.objects.filter(pk=OuterRef("reminder_notice_id")).values("send_at")[:1]
    Wave.objects.filter(reminder_notice__isnull=False).update(reminded_at=Subquery(sent))


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0003_evaluation"),
        ("notices", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="wave",
            name="reminded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(from_notices, migrations.RunPython.noop),
    ]
