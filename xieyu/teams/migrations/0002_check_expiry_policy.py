"""The clock of a background check (入职查询), on the deadline engine, and the vetting step "references noted":

- teams.check_expiry: a person's latest check must be renewed 30 days before it lapses (each check passes its own
  resolution time, the working days until then); the person is reminded as the day nears, and once it has passed
  the county admins are told, so a lapsing check never goes unnoticed.
"""

from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# name: (description, first response, resolution, due soon, escalation step, chain); amounts as (n, unit)
POLICIES = {
    "teams.check_expiry": (
        "A background check (入职查询) is renewed 30 days before it lapses: the person, then the county admins.",
        None, (20, "days"), (10, "days"), (5, "days"), ["owner", "county_admin"],
    ),
}


def create(apps, schema_editor):
    DeadlinePolicy = apps.get_model("deadlines", "DeadlinePolicy")
    for name, (description, first, resolution, soon, step, chain) in POLICIES.items():
        DeadlinePolicy.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "first_response_amount": Decimal(first[0]) if first else None,
                "first_response_unit": first[1] if first else "days",
                "resolution_amount": Decimal(resolution[0]),
                "resolution_unit": resolution[1],
                "due_soon_amount": Decimal(soon[0]),
                "due_soon_unit": soon[1],
                "escalation_step_amount": Decimal(step[0]),
                "escalation_step_unit": step[1],
                "escalation_chain": chain,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("deadlines", "DeadlinePolicy").objects.filter(name__in=list(POLICIES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("deadlines", "0005_deadline_agency"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="references_checked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="member",
            name="references_checked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="member",
            name="references_note",
            field=models.CharField(blank=True, max_length=300, verbose_name="what the references said"),
        ),
        migrations.RunPython(create, remove),
    ]
