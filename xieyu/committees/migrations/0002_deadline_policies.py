"""The clocks of committee work, on the deadline engine (an inquiry's own clock is `inquiry.default`: acknowledged
within 3 working days, answered within 10):

- committee.action: an action item of a meeting's minutes, due on the date the minutes set (each item passes its
  own resolution time); overdue, the committee's chair is reminded, then the school admin;
- ethics.concern: a family's private teacher-ethics (师德师风) concern, answered within 10 working days by the
  school's discipline office, else the county.
"""

from decimal import Decimal

from django.db import migrations

# name: (description, first response, resolution, due soon, escalation step, chain); amounts as (n, unit)
POLICIES = {
    "committee.action": (
        "An action item of a committee meeting's minutes: done by the date the minutes set.",
        None, (10, "days"), (2, "days"), (2, "days"), ["owner", "school_admin"],
    ),
    "ethics.concern": (
        "A family's private teacher-ethics concern: acknowledged within 3 working days, answered within 10.",
        (3, "days"), (10, "days"), (1, "days"), (2, "days"), ["owner", "school_admin", "county_admin"],
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
    dependencies = [("committees", "0001_initial"), ("deadlines", "0005_deadline_agency")]

    operations = [migrations.RunPython(create, remove)]
