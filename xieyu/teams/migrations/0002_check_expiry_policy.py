"""The clock of a background check (入职查询), on the deadline engine, and the vetting step "references noted":

- teams.check_expiry: a person's latest check must be renewed 30 days before it lapses (each check passes its own
  resolution time, the working days until then); the person is reminded as the day nears, and once it has passed
  the county admins are told, so a lapsing check never goes unnoticed.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from xieyu.deadlines.policy_migrations import policy_operations

# name: (description, first response, resolution, due soon, escalation step, chain); amounts as (n, unit)
POLICIES = {
    "teams.check_expiry": (
        "A background check (入职查询) is renewed 30 days before it lapses: the person, then the county admins.",
        None, (20, "days"), (10, "days"), (5, "days"), ["owner", "county_admin"],
    ),
}


create, remove = policy_operations(POLICIES)


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
