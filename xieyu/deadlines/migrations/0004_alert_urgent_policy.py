"""An urgent alert (a flagged question, to a counsellor or a school admin) must be opened within 1 working hour;
unopened, it escalates up the class's and school's chain one rung per working hour."""

from decimal import Decimal

from django.db import migrations

NAME = "alert.urgent"


def create(apps, schema_editor):
    apps.get_model("deadlines", "DeadlinePolicy").objects.get_or_create(
        name=NAME,
        defaults={
            "description": "An urgent alert about a child's safety: opened within 1 working hour, else escalated.",
            "first_response_amount": Decimal(1),
            "first_response_unit": "hours",
            "resolution_amount": Decimal(1),
            "resolution_unit": "days",
            "due_soon_amount": Decimal("0.25"),
            "due_soon_unit": "hours",
            "escalation_step_amount": Decimal(1),
            "escalation_step_unit": "hours",
            # The recipient already had the alert and an SMS: the next rungs are told, never the owner again.
            "escalation_chain": ["head_teacher", "school_admin", "county_admin"],
        },
    )


def remove(apps, schema_editor):
    apps.get_model("deadlines", "DeadlinePolicy").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0003_delete_schedulerlease")]

    operations = [migrations.RunPython(create, remove)]
