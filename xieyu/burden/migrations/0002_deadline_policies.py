"""The clocks of burden work, on the deadline engine:

- burden.report: a family's 双减 report (asked to grade homework, tutoring pushed by a teacher, homework by phone),
  handled by the county within 10 working days;
- visit.followup: a follow-up agreed on a home visit, done within the time its owner set (10 working days by
  default); overdue, the school admin is told.
"""

from decimal import Decimal

from django.db import migrations

# name: (description, first response, resolution, due soon, escalation step, chain); amounts as (n, unit)
POLICIES = {
    "burden.report": (
        "A family's double-reduction report: acknowledged within 3 working days, handled within 10, by the county.",
        (3, "days"), (10, "days"), (1, "days"), (2, "days"), ["owner", "county_admin"],
    ),
    "visit.followup": (
        "A follow-up agreed on a home visit: done within the time its owner set (10 working days by default).",
        None, (10, "days"), (2, "days"), (2, "days"), ["owner", "school_admin"],
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
    dependencies = [("burden", "0001_initial"), ("deadlines", "0005_deadline_agency")]

    operations = [migrations.RunPython(create, remove)]
