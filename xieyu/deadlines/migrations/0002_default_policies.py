from decimal import Decimal

from django.db import migrations

FULL_CHAIN = ["owner", "head_teacher", "school_admin", "county_admin"]

# name: (description, first response, resolution, due soon, escalation step, chain); amounts as (n, unit)
DEFAULTS = {
    "question.default": (
        "A parent's question: first answer within 2 working days, settled within 5.",
        (2, "days"), (5, "days"), (4, "hours"), (1, "days"), FULL_CHAIN,
    ),
    "question.urgent": (
        "An urgent question (safety, health): first answer within 4 working hours, settled within 1 working day.",
        (4, "hours"), (1, "days"), (1, "hours"), (2, "hours"), FULL_CHAIN,
    ),
    "inquiry.default": (
        "A parent committee inquiry (质询): reply within 3 working days, settled within 10.",
        (3, "days"), (10, "days"), (1, "days"), (2, "days"), ["owner", "school_admin", "county_admin"],
    ),
}


def create(apps, schema_editor):
    DeadlinePolicy = apps.get_model("deadlines", "DeadlinePolicy")
    for name, (description, first, resolution, soon, step, chain) in DEFAULTS.items():
        DeadlinePolicy.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "first_response_amount": Decimal(first[0]),
                "first_response_unit": first[1],
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
    apps.get_model("deadlines", "DeadlinePolicy").objects.filter(name__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
